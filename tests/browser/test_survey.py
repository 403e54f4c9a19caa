"""The 0-3 survey in Chromium (seed 002): a municipal user enabled on Valfiorita sends SERVIZI 03, the Region rejects it
with a note, the user corrects and sends it again; INTERVENTI follows; the Region validates both and its dashboard shows
the Comune complete. axe on every page."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

import pytest

from services.istanze.models import Istanza
from services.istanze.states import Status
from services.procedures.models import ComuneEnablement, SurveyComune
from tests.browser.helpers import accessible, confirm, next_step, office_action, office_page

pytestmark = pytest.mark.browser


@pytest.fixture
def survey_site(site, settings):
    settings.SPID_BASE_URL = site
    settings.SPID_CIE_ENTITY_ID = f"{site}/demo-idp/metadata/"
    window = ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]
    settings.PROCEDURE_WINDOWS = {"RIL03": window, "RIL03_INTERVENTI": window}
    giulia, _ = get_user_model().objects.get_or_create(username="SPSGLI75L65F839U", defaults={
        "fiscal_code": "SPSGLI75L65F839U", "first_name": "Giulia", "last_name": "Esposito", "email": "giulia.esposito@example.it"})
    ComuneEnablement.objects.create(user=giulia, comune=SurveyComune.objects.get(istat_code="999001"))
    return site


def sign_in(page, site):
    page.goto(f"{site}/accedi/?next=/area-personale/rilevazione-0-3/")
    page.click("summary[data-element='spid-access-button']")
    page.click("text=Sportello demo IdP")
    page.wait_for_url(re.compile(r"/demo-idp/sso/"))
    page.click('label[for="id-giulia.esposito"]')
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/rilevazione-0-3/$"))
    accessible(page)


def open_sheet(page, row_id):
    before = page.url
    page.click(f"#{row_id} a")
    page.wait_for_url(lambda url: url != before)  # the sheet's page, not the list still loaded (a race otherwise)
    page.wait_for_load_state()
    if page.locator("button[value=nuova]").count():
        page.click("button[value=nuova]")
    page.wait_for_url(re.compile(r"/compila/$"))
    accessible(page)


def to_summary_and_send(page, button="Invia"):
    for name in ("privacy", "veridicita"):  # ticked already when the sheet comes back for corrections
        if not page.locator(f"#id_dichiarazioni-{name}").is_checked():
            page.click(f"label[for=id_dichiarazioni-{name}]")
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    accessible(page)
    confirm(page, button)
    page.wait_for_load_state()
    accessible(page)


def test_two_sheets_rejected_corrected_validated_and_the_dashboard(survey_site, page, browser):
    site = survey_site
    sign_in(page, site)
    assert "Le schede di Valfiorita" in page.content() and "Si compila dopo l'invio della scheda SERVIZI 03" in page.content()
    open_sheet(page, "scheda-ril03")
    assert page.locator("#id_comune-comune").input_value() == str(SurveyComune.objects.get(istat_code="999001").pk)
    page.click("label[for=id_comune-designato]")
    next_step(page)
    # Piccoli Passi ceased, Girotondo and Arcobaleno active, Trenino not reachable
    for row, choice in ((0, 1), (1, 0), (2, 0), (3, 2)):
        page.click(f"label[for=id_servizi-{row}-stato_{choice}]")
    page.fill("#id_servizi-1-media_frequentanti", "12")
    page.fill("#id_servizi-2-media_frequentanti", "24,5")
    next_step(page)  # the Trenino's reason is missing: said next to it, nothing else lost
    assert page.locator("#servizi-3-motivazione-error").is_visible() and page.locator("#id_servizi-2-media_frequentanti").input_value() == "24,5"
    page.fill("#id_servizi-3-motivazione", "Non interessato alla contribuzione pubblica.")
    next_step(page)
    next_step(page)  # no missing service
    to_summary_and_send(page)
    services = Istanza.objects.get(procedure_code="RIL03")
    assert services.status == Status.INVIATA

    region = office_page(browser, site, "ufficio-regionale-0-3")
    office_action(region, site, services, "prendi_in_carico")
    office_action(region, site, services, "richiedi_integrazione", {"note": "La media dell'Arcobaleno supera i posti: verificatela."})

    page.goto(f"{site}/area-personale/rilevazione-0-3/")
    accessible(page)
    assert "Rifiutata, in bozza per le correzioni" in page.content() and "La media dell" in page.content()
    page.click("#scheda-ril03 a")
    page.wait_for_load_state()
    accessible(page)
    page.click("text=Correggi e invia di nuovo")
    page.wait_for_url(re.compile(r"/compila/$"))
    page.click("button[form=wizard-form][value=servizi]")
    page.wait_for_load_state()
    page.fill("#id_servizi-2-media_frequentanti", "18")
    next_step(page)
    next_step(page)
    to_summary_and_send(page, "Invia l'integrazione")
    services.refresh_from_db()
    assert services.status == Status.PRESA_IN_CARICO and services.data["servizi"][2]["media_frequentanti"] == "18.0"

    page.goto(f"{site}/area-personale/rilevazione-0-3/")
    open_sheet(page, "scheda-ril03_interventi")
    page.click("label[for=id_comune-designato]")
    next_step(page)
    for field in page.locator("input[name$='_importo']").all():
        field.fill("1.000,00")
    for field in page.locator("input[name$='_descrizione']").all():
        field.fill("Sostegno comunale all'anno educativo")
    next_step(page)
    to_summary_and_send(page)
    actions = Istanza.objects.get(procedure_code="RIL03_INTERVENTI")
    assert actions.status == Status.INVIATA and len([k for k in actions.data["interventi"] if k.endswith("_importo")]) == 6

    office_action(region, site, services, "accogli")
    office_action(region, site, actions, "prendi_in_carico")
    office_action(region, site, actions, "accogli")
    page.goto(f"{site}/area-personale/rilevazione-0-3/")
    accessible(page)
    assert "La rilevazione del Comune è completa" in page.content()

    get_user_model().objects.get(username="op-ufficio-regionale-0-3").user_permissions.add(
        *Permission.objects.filter(codename__in=["view_survey_dashboard", "add_childpopulation"]))
    region.goto(f"{site}/admin/rilevazione-03/popolazione/carica/")
    accessible(region)
    region.goto(f"{site}/admin/rilevazione-03/cruscotto/?comune={SurveyComune.objects.get(istat_code='999001').pk}")
    accessible(region)
    assert "Rilevazioni complete: 1 su 1 Comuni." in region.content() and "<svg" in region.content()

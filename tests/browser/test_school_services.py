"""School-meal enrollment in Chromium: SPID demo login from the service page, a medical diet with its
certificate, the ISEE fee band shown in the summary, submission; the canteen's attendance sheet; axe throughout."""

import re

from django.contrib.auth.models import Group, Permission

import pytest

from services.core.clock import SchoolYear
from services.istanze.models import Istanza
from services.istanze.states import Status
from services.schools.models import School
from tests.browser.helpers import PDF, accessible, confirm, login_from_service_page, next_step, office_page

pytestmark = pytest.mark.browser


@pytest.fixture
def meals_site(site, settings):
    settings.SPID_BASE_URL = site
    settings.SPID_CIE_ENTITY_ID = f"{site}/demo-idp/metadata/"
    settings.PROCEDURE_WINDOWS = {"MENSA": ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]}
    return site


def test_meal_enrollment_with_a_medical_diet(meals_site, page, browser, tmp_path):
    from django.utils import timezone

    certificate = tmp_path / "certificato.pdf"
    certificate.write_bytes(PDF)
    login_from_service_page(page, meals_site, "/servizi/educazione-e-formazione/iscrizione-refezione-scolastica/")
    page.click("button[value=nuova]")
    page.wait_for_url(re.compile(r"/compila/$"))
    accessible(page)
    assert SchoolYear.next().label in page.content()
    for field, value in {"nome": "Anna", "cognome": "Rossi", "codice_fiscale": "RSSNNA18C52A271C", "classe": "2ª B"}.items():
        page.fill(f"#id_bambino-{field}", value)
    page.select_option("#id_bambino-scuola", str(School.objects.get(code="ANEE81001D").pk))
    next_step(page)
    page.click("label[for=id_dieta-dieta_1]")  # medical, without the certificate: the error is next to the field
    next_step(page)
    assert page.locator("#dieta-certificato-error").is_visible()
    page.set_input_files("#id_dieta-certificato", str(certificate))
    next_step(page)
    declared = page.get_attribute("input[name='tariffa-tariffa'][value=isee]", "id")  # after INPS's own, when offered
    page.click(f"label[for={declared}]")
    page.fill("#id_tariffa-valore_isee", "15.000,00")
    page.fill("#id_tariffa-protocollo_dsu", f"INPS-ISEE-{timezone.localdate().year}-12345678X-00")
    page.fill("#id_tariffa-data_attestazione", timezone.localdate().strftime("%d/%m/%Y"))
    next_step(page)
    for name in ("regole", "privacy", "veridicita"):
        page.click(f"label[for=id_dichiarazioni-{name}]")
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    accessible(page)
    assert "Fascia C" in page.content() and "€ 15.000,00" in page.content()
    confirm(page, "Invia")
    page.wait_for_url(re.compile(r"/inviata/$"))
    accessible(page)
    istanza = Istanza.objects.get(procedure_code="MENSA")
    assert istanza.status == Status.INVIATA and istanza.attachments.get().sensitive

    # the canteen's attendance sheet is reachable and accessible in the admin
    canteen = office_page(browser, meals_site, "ufficio-scuola")
    group, _ = Group.objects.get_or_create(name="Canteen staff")
    group.permissions.add(*Permission.objects.filter(codename__in=["add_mealchange", "view_child", "access_admin"]))
    canteen.context.cookies()  # same session: permissions are read per request
    from django.contrib.auth import get_user_model

    get_user_model().objects.get(username="op-ufficio-scuola").groups.add(group)
    canteen.goto(f"{meals_site}/admin/refezione/presenze/")
    canteen.select_option("#scuola", str(School.objects.get(code="ANEE81001D").pk))
    canteen.click("button:has-text('Mostra')")
    canteen.wait_for_load_state()
    assert "Presenze in mensa" in canteen.content()


def test_maria_enrolls_giulia_from_her_certified_family_with_the_isee_inps_certifies(meals_site, page, browser):
    """Issue 32: the child chosen from ANPR's family, the fee band from INPS's attestation, and the office's desk
    showing where each came from; axe on each step."""
    from django.core.cache import cache

    from services.pdnd import sandbox

    cache.clear()
    sandbox.set_fault("")
    login_from_service_page(page, meals_site, "/servizi/educazione-e-formazione/iscrizione-refezione-scolastica/")
    page.click("button[value=nuova]")
    page.wait_for_url(re.compile(r"/compila/$"))
    assert "Anagrafe nazionale (ANPR)" in page.content()
    accessible(page)
    giulia = page.get_attribute("input[name='bambino-figlio'][value=RSSGLI18C52A271N]", "id")
    page.click(f"label[for={giulia}]")
    page.fill("#id_bambino-classe", "3ª A")
    page.select_option("#id_bambino-scuola", str(School.objects.get(code="ANEE81001D").pk))
    next_step(page)
    page.click("label[for=id_dieta-dieta_0]")
    next_step(page)
    assert "dato certificato da INPS" in page.content()
    certified = page.get_attribute("input[name='tariffa-tariffa'][value=inps]", "id")
    page.click(f"label[for={certified}]")
    next_step(page)
    for name in ("regole", "privacy", "veridicita"):
        page.click(f"label[for=id_dichiarazioni-{name}]")
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    accessible(page)
    summary = page.content()
    assert "Giulia Rossi" in summary and "dato certificato da ANPR" in summary
    assert "certificato da INPS" in summary and "Fascia B" in summary
    confirm(page, "Invia")
    page.wait_for_url(re.compile(r"/inviata/$"))
    istanza = Istanza.objects.get(procedure_code="MENSA")
    assert istanza.data["bambino"]["fonte_dati"] == "anpr" and istanza.data["tariffa"]["fonte_isee"] == "inps"

    office = office_page(browser, meals_site, "ufficio-scuola")
    office.goto(f"{meals_site}/admin/istanze/istanza/inspect/{istanza.pk}/")
    desk = office.content()
    assert "dato certificato da ANPR" in desk and "certificato da INPS" in desk
    accessible(office)

"""Issue 33 in Chromium: an office user builds a two-step procedure in Wagtail's admin (a file and a fee), publishes
it, an editor offers it on a service page; a parent files it with the file and pays the fee at the pagoPA sandbox;
the office accepts it. axe on every citizen page."""

import re

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client

import pytest

from home.models import ServicePage
from services.builder.models import BuiltProcedure
from services.istanze.models import Istanza
from services.istanze.states import Status
from tests.browser.helpers import PDF, accessible, confirm, login_from_service_page, next_step, office_action, office_page

pytestmark = pytest.mark.browser


def admin_page(browser, site, username):
    user = get_user_model().objects.create_superuser(username, password="x", first_name="Ilaria", last_name="Uffici")
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": site}])
    return context.new_page()


def add_field(page, step: int, kind: str, values: dict):
    """Add a field of `kind` (its label in the block menu) at the end of step `step` and fill it."""
    campi = page.locator(f"input[name='steps-{step}-value-campi-count']")
    count = int(campi.input_value())
    campi.locator("xpath=..").locator("button.c-sf-add-button").last.click()
    page.click(f".w-combobox__option:has-text('{kind}')")
    prefix = f"steps-{step}-value-campi-{count}-value-"
    page.locator(f"[name='{prefix}codice']").wait_for()
    for name, value in values.items():
        page.fill(f"[name='{prefix}{name}']", value)


def add_step(page, code: str, title: str) -> int:
    steps = page.locator("input[name='steps-count']")
    n = int(steps.input_value())
    steps.locator("xpath=..").locator("button.c-sf-add-button").last.click()
    page.locator(f"[name='steps-{n}-value-codice']").wait_for()
    page.fill(f"[name='steps-{n}-value-codice']", code)
    page.fill(f"[name='steps-{n}-value-titolo']", title)
    return n


def test_an_office_builds_a_procedure_a_parent_files_and_pays_it_the_office_accepts(pagopa_site, page, browser):
    site = pagopa_site
    office = admin_page(browser, site, "ilaria.uffici")
    office.goto(f"{site}/admin/snippets/builder/builtprocedure/add/")
    office.fill("#id_code", "CAMBIO_FERMATA")
    office.fill("#id_title", "Cambio della fermata dello scuolabus")
    office.select_option("#id_office", label="Ufficio Scuola")
    office.fill("#id_privacy_text", "Il Comune tratta i dati solo per cambiare la fermata dello scuolabus.")
    office.fill("#id_fee_amount", "5.00")
    first = add_step(office, "alunno", "Alunno")
    add_field(office, first, "Testo breve", {"etichetta": "Nome dell'alunno", "codice": "nome"})
    add_field(office, first, "Codice fiscale", {"etichetta": "Codice fiscale dell'alunno", "codice": "codice_fiscale"})
    second = add_step(office, "fermata", "Nuova fermata")
    add_field(office, second, "Testo breve", {"etichetta": "Fermata richiesta", "codice": "fermata"})
    add_field(office, second, "File da allegare", {"etichetta": "Delega di chi accompagna l'alunno", "codice": "delega"})
    office.click("button.w-dropdown__toggle:has-text('Altre azioni')")
    office.click("button[name='action-publish']")
    office.wait_for_url(re.compile(r"/admin/snippets/builder/builtprocedure/$"))
    procedure = BuiltProcedure.objects.get(code="CAMBIO_FERMATA")
    assert procedure.live and procedure.versions.count() == 1 and procedure.office.slug == "ufficio-scuola"

    # an editor offers it on a service page
    service = ServicePage.objects.get(slug="domanda-rimborso-credito-mensa")
    office.goto(f"{site}/admin/pages/{service.pk}/edit/")
    office.select_option("#id_online_module", "CAMBIO_FERMATA")
    office.click("button.w-dropdown__toggle.button:has-text('Altre azioni')")
    office.click("button[name='action-publish']")
    office.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    assert ServicePage.objects.get(pk=service.pk).online_module == "CAMBIO_FERMATA"

    # a parent files it
    login_from_service_page(page, site, service.url)
    page.click("button[value=nuova]")
    page.wait_for_url(re.compile(r"/compila/$"))
    accessible(page)
    page.fill("#id_alunno-nome", "Giulia")
    page.fill("#id_alunno-codice_fiscale", "RSSGLI15M41H501X")
    next_step(page)
    assert "Il codice fiscale non è valido" in page.content() and page.input_value("#id_alunno-nome") == "Giulia"
    page.fill("#id_alunno-codice_fiscale", "RSSGLI15M41H501Z")
    next_step(page)
    page.fill("#id_fermata-fermata", "Via dei Mille, angolo Piazza Verdi")
    page.set_input_files("#id_fermata-delega", files=[{"name": "delega.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    next_step(page)
    page.click("label[for=id_dichiarazioni-privacy]")
    page.click("label[for=id_dichiarazioni-veridicita]")
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    accessible(page)
    assert "Via dei Mille" in page.content() and "delega.pdf" in page.content()
    confirm(page, "Invia")
    page.wait_for_url(re.compile(r"/pagopa-sandbox/checkout/"))
    istanza = Istanza.objects.get(procedure_code="CAMBIO_FERMATA")
    assert istanza.status == Status.IN_ATTESA_DI_PAGAMENTO
    page.click("button[value=paga]")
    page.wait_for_url(re.compile(r"/esito/\?esito=ok"))
    accessible(page)
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and istanza.number.startswith("CAMBIO_FERMATA_")
    assert istanza.attachments.get().original_name == "delega.pdf"
    page.goto(f"{site}/area-personale/pratiche/{istanza.public_id}/")
    accessible(page)
    assert "Inviata" in page.content()

    # the office accepts it
    desk = office_page(browser, site, "ufficio-scuola")
    office_action(desk, site, istanza, "prendi_in_carico")
    office_action(desk, site, istanza, "accogli")
    istanza.refresh_from_db()
    assert istanza.status == Status.ACCOLTA

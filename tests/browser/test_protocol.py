"""Protocol registration seen in Chromium (issue 31): the citizen submits while the protocol system is down and reads
«In corso di protocollazione»; the worker registers on the DocArea sandbox and the number shows on the page and in
the receipt PDF; an outcome the system refuses waits in the admin, where an operator sends it again. axe on the
citizen's page and on the new admin pages."""

import re

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

import pytest

from services.istanze.models import Istanza
from services.protocol import actions, sandbox
from services.protocol.models import Registration
from services.protocol.states import Status as R
from tests.browser.helpers import accessible, confirm, login_from_service_page, next_step, office_action, office_page

pytestmark = pytest.mark.browser


@pytest.fixture
def protocol_site(spid_site, settings):
    settings.PROTOCOL_ADAPTER = "docarea"
    settings.PROTOCOL_URL = f"{spid_site}/protocollo-sandbox/docarea/"
    settings.PROTOCOL_TRANSPORT = ""  # over HTTP to the live server, as a worker calls the Comune's system
    settings.PROTOCOL_RETRY_SECONDS = 0
    settings.ALLOWED_HOSTS = ["*"]
    sandbox.reset()
    yield spid_site
    sandbox.reset()


def _submit_serv06(page, site):
    login_from_service_page(page, site, "/servizi/educazione-e-formazione/registrazione-utenti-servizi-0-6/")
    page.click("button[value=nuova]")
    page.wait_for_url(re.compile(r"/compila/$"))
    page.click("label[for=id_privacy-accetta]")
    next_step(page)
    page.select_option("#id_comune-provincia", "AN")
    page.locator("#id_comune-comune option").nth(10).wait_for(state="attached")
    page.select_option("#id_comune-comune", "A271")
    for field, value in {"cap": "60121", "indirizzo": "Piazza XXIV Maggio 1", "codice_fiscale_comune": "00351040423",
                         "pec": "comune@pec.example.it", "rup_nome": "Chiara Galli", "rup_email": "rup@example.it",
                         "rup_telefono": "071 222 3333"}.items():
        page.fill(f"#id_comune-{field}", value)
    next_step(page)
    for field, value in {"nome": "Luca", "cognome": "Bianchi", "codice_fiscale": "BNCLCU82S02A271A",
                         "data_nascita": "02/11/1982", "email": "luca@example.it", "telefono": "3331234567"}.items():
        page.fill(f"#id_utenti-0-{field}", value)
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    confirm(page, "Invia")
    page.wait_for_url(re.compile(r"/inviata/$"))
    return Istanza.objects.get(procedure_code="SERV06_UTENTI")


def _admin(browser, site):
    admin = get_user_model().objects.create_superuser("protocollista", password="x" * 14)
    client = Client()
    client.force_login(admin)
    context = browser.new_context(locale="it-IT")
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": site}])
    return context.new_page()


def _settled(page):
    """Wagtail fades its messages in: axe measures the colours once no animation runs (config/static/sportello/admin.css)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def test_submit_in_corso_registered_stamped_and_a_refused_outcome_sent_again(protocol_site, page, browser):
    import pypdfium2

    site = protocol_site
    sandbox.set_faults(unavailable=True)
    istanza = _submit_serv06(page, site)
    page.goto(f"{site}/area-personale/pratiche/{istanza.public_id}/")
    assert page.text_content("#protocollo").strip() == "In corso di protocollazione"
    accessible(page)

    # the system is back: the worker's next attempt registers it
    sandbox.set_faults(unavailable=False)
    registration = Registration.objects.get(kind="istanza")
    Registration.objects.filter(pk=registration.pk).update(next_attempt_at=None)
    actions.registration_send(registration.pk)
    page.reload()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert page.text_content("#protocollo").strip() == f"Protocollo n. 0000001 del {today}"
    accessible(page)
    receipt = page.request.get(f"{site}/area-personale/pratiche/{istanza.public_id}/ricevuta/")
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    text = pypdfium2.PdfDocument(receipt.body())[0].get_textpage().get_text_range()
    assert f"Protocollo n. 0000001 del {today}" in text
    assert [row["number"] for row in sandbox.registrations("docarea")] == [1]

    # the outcome goes out, and the system refuses it
    sandbox.set_faults(refuse="Classificazione 7.1 chiusa")
    office = office_page(browser, site, "servizi-educativi-0-6")
    office_action(office, site, istanza, "prendi_in_carico")
    office_action(office, site, istanza, "accogli")
    failed = Registration.objects.get(kind="esito")
    assert failed.status == R.FAILED and "Classificazione 7.1 chiusa" in failed.last_error

    admin = _admin(browser, site)
    assert admin.goto(f"{site}/admin/protocol/registration/?status=non_riuscita").status == 200
    assert "Non riuscita" in admin.content()
    accessible(admin)
    admin.goto(f"{site}/admin/protocol/registration/inspect/{failed.pk}/")
    assert "Classificazione 7.1 chiusa" in admin.text_content("#ultimo-errore")
    accessible(admin)
    sandbox.set_faults(refuse="")
    admin.click("button:has-text('Invia di nuovo al sistema di protocollo')")
    admin.wait_for_load_state()
    assert admin.text_content("#stato-protocollazione").strip() == "Protocollata"
    _settled(admin)
    accessible(admin)
    page.reload()
    assert f"Protocollo n. 0000002 del {today}" in page.content()  # the outcome's outbound number in the timeline

    # where documents go: the ente's settings, refused next to the field when a code is not one
    admin.goto(f"{site}/admin/protocol/profile/")
    accessible(admin)
    admin.click("text=Impostazioni dell'ente")
    admin.wait_for_load_state()
    accessible(admin)
    admin.fill("#id_aoo", "AOO CON SPAZI")
    admin.click("button[type=submit]:has-text('Salva')")
    admin.wait_for_load_state()
    assert "al massimo 16" in admin.content() and admin.input_value("#id_aoo") == "AOO CON SPAZI"
    _settled(admin)
    accessible(admin)
    admin.context.close()
    office.context.close()

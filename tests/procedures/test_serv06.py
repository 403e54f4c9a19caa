"""Procedure A, SERV06_UTENTI, through the wizard as a citizen uses it."""

import datetime

from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

import pytest

from services.core.clock import add_working_days
from services.istanze.models import Istanza
from services.istanze.states import Status
from tests.istanze.helpers import compile_url, formset, post_step, spid_login, start

OPEN = {"SERV06_UTENTI": ["2020-01-01T12:00:00+01:00", "2099-01-01T12:00:00+01:00"]}
COMUNE = {
    "provincia": "AN", "comune": "A271", "cap": "60121", "indirizzo": "Piazza XXIV Maggio 1",
    "codice_fiscale_comune": "00351040423", "pec": "comune.ancona@emarche.it", "rup_nome": "Chiara Galli",
    "rup_email": "rup@example.it", "rup_telefono": "071 222 3333",
}
USERS = [
    {"nome": "Luca", "cognome": "Bianchi", "codice_fiscale": "BNCLCU82S02A271A", "data_nascita": "02/11/1982",
     "email": "luca@example.it", "telefono": "3331234567", "ha_credenziali": "on"},
    {"nome": "Giulia", "cognome": "Esposito", "codice_fiscale": "spsgli75l65f839u", "data_nascita": "25/07/1975",
     "email": "giulia@example.it", "telefono": "+39 333 7654321"},
]

pytestmark = pytest.mark.usefixtures("registries")


@pytest.fixture(autouse=True)
def _open_window(settings):
    settings.PROCEDURE_WINDOWS = OPEN


def _to_users_step(client, maria):
    istanza = start(client, "SERV06_UTENTI")
    assert post_step(client, istanza, "privacy", {"accetta": "on"}).status_code == 302
    assert post_step(client, istanza, "comune", COMUNE).status_code == 302
    return istanza


def _filled(client, maria):
    istanza = _to_users_step(client, maria)
    response = post_step(client, istanza, "utenti", formset(USERS))
    assert response.status_code == 302 and response["Location"].endswith("/riepilogo/")
    istanza.refresh_from_db()
    return istanza


def test_the_whole_procedure(client_maria, maria, django_capture_on_commit_callbacks):
    istanza = start(client_maria, "SERV06_UTENTI")
    page = client_maria.get(compile_url(istanza)).content.decode()
    assert "Passo 1 di 3" in page and "Informativa privacy" in page and "Salva in bozza" in page
    assert "*" in page  # required fields are marked

    response = post_step(client_maria, istanza, "privacy", {})
    assert response.status_code == 200
    assert "Per proseguire devi dichiarare di aver letto l&#x27;informativa." in response.content.decode()

    assert post_step(client_maria, istanza, "privacy", {"accetta": "on"}).status_code == 302
    page = client_maria.get(compile_url(istanza)).content.decode()
    assert "Passo 2 di 3" in page and 'value="Maria"' in page and 'value="RSSMRA85C52H501N"' in page  # prefilled from SPID

    assert post_step(client_maria, istanza, "comune", COMUNE).status_code == 302
    assert "Passo 3 di 3" in client_maria.get(compile_url(istanza)).content.decode()
    response = post_step(client_maria, istanza, "utenti", formset(USERS))
    assert response["Location"].endswith(f"/{istanza.public_id}/riepilogo/")
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE and istanza.number is None

    summary = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/riepilogo/").content.decode()
    for text in ("Ancona", "00351040423", "SPSGLI75L65F839U", "25/07/1975", "Utente 2", "Riporta in bozza", "Invia"):
        assert text in summary

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    assert response["Location"].endswith("/inviata/")
    istanza.refresh_from_db()
    year = timezone.localdate().year
    assert istanza.status == Status.INVIATA and istanza.number == f"SERV06_UTENTI_{year}.0000001"
    assert istanza.office.slug == "servizi-educativi-0-6"

    receipts = [m for m in mail.outbox if m.subject == f"Ricevuta della domanda {istanza.number}"]
    assert sorted(m.to[0] for m in receipts) == ["maria.rossi@example.it", "rup@example.it"]  # one message each
    receipt = next(m for m in receipts if m.to == ["maria.rossi@example.it"])
    name, content, mime = receipt.attachments[0]
    assert name == f"ricevuta-{istanza.number}.pdf" and mime == "application/pdf" and content.startswith(b"%PDF")
    assert str(istanza.public_id) in receipt.body and "RSSMRA85C52H501N" not in receipt.body

    sent = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/inviata/").content.decode()
    today = timezone.localdate()
    assert istanza.number in sent
    assert add_working_days(today, 2).strftime("%d/%m/%Y") in sent  # users with credentials
    assert add_working_days(today, 6).strftime("%d/%m/%Y") in sent  # new credentials
    assert "Quanto è stato facile usare questo servizio?" in sent


def test_submit_is_idempotent(client_maria, maria):
    istanza = _filled(client_maria, maria)
    url = f"/area-personale/pratiche/{istanza.public_id}/invia/"
    for _ in range(3):  # double click, replayed POST, back button and re-POST
        assert client_maria.post(url).status_code == 302
    assert Istanza.objects.filter(owner=maria, number__isnull=False).count() == 1
    assert Istanza.objects.get(pk=istanza.pk).events.filter(to_status=Status.INVIATA).count() == 1
    # the last wizard step posted again after submission changes nothing
    response = post_step(client_maria, istanza, "utenti", formset(USERS[:1]))
    assert response.status_code == 302 and "/compila/" not in response["Location"]
    istanza.refresh_from_db()
    assert len(istanza.data["utenti"]) == 2


def test_field_errors_are_next_to_the_fields_and_nothing_is_lost(client_maria, maria):
    istanza = start(client_maria, "SERV06_UTENTI")
    post_step(client_maria, istanza, "privacy", {"accetta": "on"})
    bad = {**COMUNE, "cap": "601", "codice_fiscale_comune": "00351040424", "indirizzo": "x" * 151, "pec": "non-una-pec"}
    page = post_step(client_maria, istanza, "comune", bad).content.decode()
    assert 'id="comune-cap-error"' in page and "Il CAP è di 5 cifre." in page
    assert "Il codice fiscale del Comune è di 11 cifre" in page
    assert "al massimo 150 caratteri" in page
    assert "L&#x27;indirizzo PEC non è valido." in page
    assert 'value="Chiara Galli"' in page  # what was typed stays
    bad_comune = {**COMUNE, "comune": "F205"}  # Milano is not in the province of Ancona
    assert "Il comune scelto non è in questa provincia" in post_step(client_maria, istanza, "comune", bad_comune).content.decode()


def test_users_rules(client_maria, maria):
    istanza = _to_users_step(client_maria, maria)
    twice = [USERS[0], {**USERS[1], "codice_fiscale": USERS[0]["codice_fiscale"], "data_nascita": "02/11/1982"}]
    page = post_step(client_maria, istanza, "utenti", formset(twice)).content.decode()
    assert "Questo codice fiscale è già nell&#x27;elenco." in page
    wrong_birth = [{**USERS[0], "data_nascita": "03/11/1982"}]
    assert "La data di nascita non corrisponde al codice fiscale." in post_step(
        client_maria, istanza, "utenti", formset(wrong_birth)).content.decode()
    bad_cf = [{**USERS[0], "codice_fiscale": "BNCLCU82S02A271B"}]
    assert "Il codice fiscale non è valido" in post_step(client_maria, istanza, "utenti", formset(bad_cf)).content.decode()
    assert "Indica almeno un utente da abilitare." in post_step(
        client_maria, istanza, "utenti", formset([{}])).content.decode()
    # a removed box does not count
    removed = [USERS[0], {**USERS[1], "DELETE": "on"}]
    assert post_step(client_maria, istanza, "utenti", formset(removed)).status_code == 302
    istanza.refresh_from_db()
    assert [u["codice_fiscale"] for u in istanza.data["utenti"]] == ["BNCLCU82S02A271A"]


def test_add_a_user_box_without_javascript_keeps_the_data(client_maria, maria):
    istanza = _to_users_step(client_maria, maria)
    response = post_step(client_maria, istanza, "utenti", formset(USERS[:1]), action="aggiungi")
    assert response.status_code == 302
    page = client_maria.get(compile_url(istanza)).content.decode()
    assert 'name="utenti-TOTAL_FORMS" value="2"' in page and 'value="BNCLCU82S02A271A"' in page


def test_draft_resumes_on_another_device(client_maria, maria):
    istanza = start(client_maria, "SERV06_UTENTI")
    post_step(client_maria, istanza, "privacy", {"accetta": "on"})
    response = post_step(client_maria, istanza, "comune", {"rup_nome": "Chiara Galli", "cap": "60"}, action="bozza")
    assert response.status_code == 302
    other_device = spid_login(Client(), maria)
    page = other_device.get("/area-personale/pratiche/nuova/SERV06_UTENTI/").content.decode()
    assert "Hai già iniziato questa domanda" in page and "Riprendi la bozza" in page
    assert other_device.post("/area-personale/pratiche/nuova/SERV06_UTENTI/", {"scelta": "riprendi"})["Location"] == compile_url(istanza)
    page = other_device.get(compile_url(istanza)).content.decode()
    assert "Passo 2 di 3" in page and 'value="Chiara Galli"' in page and "Il CAP è di 5 cifre." in page


def test_start_again_discards_the_draft(client_maria, maria):
    old = start(client_maria, "SERV06_UTENTI")
    new = start(client_maria, "SERV06_UTENTI", choice="ricomincia")
    assert new.pk != old.pk and not Istanza.objects.filter(pk=old.pk).exists()


def test_back_navigation_keeps_what_was_typed(client_maria, maria):
    istanza = start(client_maria, "SERV06_UTENTI")
    post_step(client_maria, istanza, "privacy", {"accetta": "on"})
    post_step(client_maria, istanza, "comune", {"rup_nome": "Chiara Galli"}, action="indietro")
    assert "Passo 1 di 3" in client_maria.get(compile_url(istanza)).content.decode()
    post_step(client_maria, istanza, "privacy", {"accetta": "on"})
    assert 'value="Chiara Galli"' in client_maria.get(compile_url(istanza)).content.decode()


def test_skipped_steps_and_tampered_hidden_fields(client_maria, maria):
    istanza = start(client_maria, "SERV06_UTENTI")
    response = post_step(client_maria, istanza, "utenti", formset(USERS))  # skip privacy and comune
    assert response.status_code == 302
    istanza.refresh_from_db()
    assert istanza.status == Status.BOZZA and "utenti" not in istanza.data
    page = client_maria.get(compile_url(istanza)).content.decode()
    assert "Completa prima i passi precedenti." in page and "Passo 1 di 3" in page
    response = client_maria.post(compile_url(istanza), {"privacy-accetta": "on"})  # no management form
    assert response.status_code == 302
    assert "La pagina non era aggiornata" in client_maria.get(compile_url(istanza)).content.decode()
    response = post_step(client_maria, istanza, "inventato", {})
    assert response.status_code == 302


def test_disabled_fields_cannot_be_tampered(client_maria, maria):
    istanza = _to_users_step(client_maria, maria)
    post_step(client_maria, istanza, "utenti", formset(USERS))
    istanza.refresh_from_db()
    assert istanza.data["comune"]["codice_fiscale"] == "RSSMRA85C52H501N"
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/riporta-in-bozza/")
    post_step(client_maria, istanza, "comune", {**COMUNE, "codice_fiscale": "BNCLCU82S02A271A", "nome": "Luca"})
    post_step(client_maria, istanza, "utenti", formset(USERS))
    istanza.refresh_from_db()
    assert istanza.data["comune"]["codice_fiscale"] == "RSSMRA85C52H501N" and istanza.data["comune"]["nome"] == "Maria"


def test_back_to_draft_then_edit_and_send(client_maria, maria):
    istanza = _filled(client_maria, maria)
    response = client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/riporta-in-bozza/")
    assert response["Location"] == compile_url(istanza)
    istanza.refresh_from_db()
    assert istanza.status == Status.BOZZA
    page = client_maria.get(compile_url(istanza)).content.decode()
    assert 'value="spsgli75l65f839u"' in page  # the data is still there, as typed
    post_step(client_maria, istanza, "utenti", formset(USERS[:1]))
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and len(istanza.data["utenti"]) == 1
    assert [e.to_status for e in istanza.events.all()] == ["bozza", "da_inviare", "bozza", "da_inviare", "inviata"]


@pytest.mark.parametrize("window, message", [
    (["2099-01-01T12:00:00+01:00", "2099-02-01T12:00:00+01:00"], "La domanda online si potrà presentare dal 01/01/2099 alle 12:00 al 01/02/2099 alle 12:00."),
    (["2020-01-01T12:00:00+01:00", "2020-02-01T12:00:00+01:00"], "Il termine per presentare la domanda online è scaduto il 01/02/2020 alle 12:00."),
])
def test_window_closed_says_the_dates(client_maria, maria, settings, window, message):
    istanza = _filled(client_maria, maria)
    settings.PROCEDURE_WINDOWS = {"SERV06_UTENTI": window}
    for response in (client_maria.get("/area-personale/pratiche/nuova/SERV06_UTENTI/"),
                     client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")):
        assert response.status_code == 403 and message in response.content.decode()
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE


def test_window_from_the_service_page(client_maria, maria, settings, demo):  # the window is the service page's
    from home.models import ServicePage

    settings.PROCEDURE_WINDOWS = {}
    page = ServicePage.objects.get(slug="registrazione-utenti-servizi-0-6")
    page.online_opens_at = timezone.now() + datetime.timedelta(days=3)
    page.online_closes_at = timezone.now() + datetime.timedelta(days=10)
    page.save_revision().publish()
    response = client_maria.get("/area-personale/pratiche/nuova/SERV06_UTENTI/")
    assert response.status_code == 403 and "La domanda online si potrà presentare dal" in response.content.decode()


def test_level_and_local_accounts(client, maria, settings):
    spid_login(client, maria, method="local")
    assert client.get("/area-personale/pratiche/nuova/SERV06_UTENTI/").status_code == 200  # allowed by the seed
    response = client.get("/area-personale/pratiche/nuova/OEPAC/")
    assert response.status_code == 403 and "serve l&#x27;accesso con SPID, CIE o CNS" in response.content.decode()
    assert "livello=2" in response.content.decode()
    spid_login(client, maria, level=1)
    assert "SPID o CIE di livello 2" in client.get("/area-personale/pratiche/nuova/OEPAC/").content.decode()
    spid_login(client, maria, level=3, method="cie")
    assert client.get("/area-personale/pratiche/nuova/SERV06_UTENTI/").status_code == 200


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/area-personale/pratiche/nuova/SERV06_UTENTI/")
    assert response.status_code == 302 and response["Location"].startswith("/accedi/?next=")


def test_personal_pages_are_private(client_maria, maria):
    istanza = _filled(client_maria, maria)
    for url in (compile_url(istanza), f"/area-personale/pratiche/{istanza.public_id}/riepilogo/",
                "/area-personale/pratiche/nuova/", f"/area-personale/pratiche/{istanza.public_id}/"):
        response = client_maria.get(url)
        cache_control = response["Cache-Control"]
        assert response.status_code in (200, 302) and "private" in cache_control and "no-store" in cache_control, url


def test_comuni_of_a_province():
    response = Client().get("/servizi-online/comuni/AN/")
    names = [name for _code, name in response.json()["comuni"]]
    assert "Ancona" in names and "Milano" not in names


@override_settings(PROCEDURE_WINDOWS=OPEN)
def test_catalogue_lists_both_procedures(client_maria):
    page = client_maria.get("/area-personale/pratiche/nuova/").content.decode()
    assert "Utenti Servizi 0-6" in page and "Servizio OEPAC" in page and "Servizi educativi" in page


def test_a_second_salva_e_prosegui_racing_the_first_is_harmless(client_maria, maria):
    from services.istanze import actions

    istanza = _to_users_step(client_maria, maria)
    # the first click has already moved it to DA INVIARE when the second one is validated
    original = actions.istanza_compile

    def first_then_second(**kwargs):
        original(**kwargs)
        return original(**kwargs)

    actions.istanza_compile = first_then_second
    try:
        response = post_step(client_maria, istanza, "utenti", formset(USERS))
    finally:
        actions.istanza_compile = original
    assert response.status_code == 302 and response["Location"].endswith("/riepilogo/")
    assert Istanza.objects.get(pk=istanza.pk).status == Status.DA_INVIARE


def test_what_was_typed_is_saved_when_the_session_ends_for_inactivity(client_maria, maria):
    """The wizard's page posts its form as a draft just before the idle timeout (sportello.js, data-save-on-expiry):
    the session ends, and after signing in again the step comes back with what was typed (issue 26)."""
    istanza = start(client_maria, "SERV06_UTENTI")
    post_step(client_maria, istanza, "privacy", {"accetta": "on"})
    page = client_maria.get(compile_url(istanza)).content.decode()
    assert "data-save-on-expiry" in page
    response = post_step(client_maria, istanza, "comune", {"rup_nome": "Chiara Galli", "cap": "60"}, action="bozza")
    payload = {"istanza-current_step": "comune", "azione": "bozza", "scadenza": "1", "comune-rup_nome": "Chiara Galli Rossi"}
    response = client_maria.post(compile_url(istanza), payload)
    assert response.status_code == 302 and response["Location"].startswith("/accedi/?next=")
    assert client_maria.get(compile_url(istanza)).status_code == 302  # signed out
    again = spid_login(Client(), maria)
    page = again.get(compile_url(istanza)).content.decode()
    assert 'value="Chiara Galli Rossi"' in page

"""The DocArea and Sicraweb adapters against their sandboxes (issue 31): the same WSDL on both sides, the
Segnatura.xml valid against its schema, numbers assigned once per event whatever the faults."""

import base64

from django.utils import timezone

import pytest
from lxml import etree

from services.istanze.actions import istanza_transition
from services.istanze.states import Actor, Status
from services.protocol import actions, port, sandbox
from services.protocol.adapters.docarea import segnatura
from services.protocol.models import Profile, Registration
from services.protocol.states import Status as R
from tests.istanze.helpers import make_operator, submitted
from tests.protocol.conftest import profile

pytestmark = pytest.mark.django_db
SYSTEMS = ["docarea", "sicraweb"]


@pytest.fixture(params=SYSTEMS)
def system(request, settings):
    settings.PROTOCOL_ADAPTER = request.param
    settings.PROTOCOL_URL = f"http://testserver/protocollo-sandbox/{request.param}/"
    settings.PROTOCOL_RETRY_SECONDS = 0
    sandbox.reset()
    profile("", ipa="c_z999", aoo="AOO_VALF", register="PG", office="Protocollo generale")
    yield request.param
    sandbox.reset()


def _submit(citizen, capture):
    with capture(execute=True):
        return submitted(citizen)


def _pdf_text(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    return "".join(page.get_textpage().get_text_range() for page in document)


def _again(registration):
    Registration.objects.filter(pk=registration.pk).update(next_attempt_at=None)
    return actions.registration_send(registration.pk)


def test_an_application_is_registered_with_its_receipt_and_the_procedures_classification(
        citizen, system, test_procedure, django_capture_on_commit_callbacks):
    profile(test_procedure.code, classification="7.2", office="Ufficio Scuola")
    istanza = _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.REGISTERED, registration.last_error
    assert registration.number == "0000001" and registration.registered_on == timezone.localdate()
    assert (registration.aoo, registration.register, registration.ipa) == ("AOO_VALF", "PG", "c_z999")
    from services.notifications.models import Message

    told = Message.objects.get(kind="istanze.protocol", user=citizen)  # the receipt went before the number: told after
    assert registration.stamp in told.body and istanza.number in told.subject and "è stata protocollata" in told.subject
    [row] = sandbox.registrations(system)
    assert row["classification"] == "7.2" and row["office"] == "Ufficio Scuola" and istanza.number in row["subject"]
    assert row["flow"] in ("E", "A") and row["documents"][0].startswith(f"ricevuta-{istanza.number}.pdf (")
    assert sandbox.count(system) == 1


def test_each_event_is_registered_once_and_the_outcome_goes_out(citizen, system, client, django_capture_on_commit_callbacks):
    istanza = _submit(citizen, django_capture_on_commit_callbacks)
    operator = make_operator("scuola", "municipio-1")
    with django_capture_on_commit_callbacks(execute=True):
        istanza = istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=operator, actor_kind=Actor.OFFICE)
        istanza_transition(istanza=istanza, to=Status.ACCOLTA, by=operator, actor_kind=Actor.OFFICE,
                           note="Ammessa al servizio.")
    kinds = list(Registration.objects.order_by("pk").values_list("kind", "direction", "status", "number"))
    assert kinds == [("istanza", "in", R.REGISTERED, "0000001"), ("esito", "out", R.REGISTERED, "0000002")]
    assert [row["flow"] for row in sandbox.registrations(system)] == (["U", "E"] if system == "docarea" else ["P", "A"])
    assert sandbox.count(system) == 2
    client.force_login(citizen)
    page = client.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode()
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Protocollo n. 0000001 del {today}" in page and f"Protocollo n. 0000002 del {today}" in page  # the outcome's
    # the outcome letter: registered as the outbound document, downloaded with its stamp
    [outcome] = [row for row in sandbox.registrations(system) if row["flow"] in ("U", "P")]
    assert outcome["documents"][0].startswith(f"esito-{istanza.number}.pdf (")
    letter = client.get(f"/area-personale/pratiche/{istanza.public_id}/esito/")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert "no-store" in letter["Cache-Control"]
    text = _pdf_text(b"".join(letter.streaming_content) if letter.streaming else letter.content)
    assert f"Protocollo n. 0000002 del {today}" in text and "Domanda accolta" in text and "Ammessa al servizio." in text


def test_an_answer_lost_after_registering_is_not_registered_twice(citizen, system, django_capture_on_commit_callbacks):
    sandbox.set_faults(lost_replies=1)
    _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.PENDING and "504" in registration.last_error and sandbox.count(system) == 1
    registration = _again(registration)
    assert registration.status == R.REGISTERED and registration.number == "0000001" and sandbox.count(system) == 1


@pytest.mark.parametrize("fault, reason", [
    ({"errors_500": 9}, "500 con un contenuto non leggibile"),
    ({"soap_faults": 9}, "momentaneamente non disponibile"),
    ({"bad_faults": 9}, "errore SOAP senza motivo"),
    ({"garbage": 9}, "contenuto non leggibile"),
])
def test_a_system_failing_is_retried_then_fails_with_the_reason(
        citizen, system, settings, fault, reason, django_capture_on_commit_callbacks):
    settings.PROTOCOL_MAX_ATTEMPTS = 2
    sandbox.set_faults(**fault)
    _submit(citizen, django_capture_on_commit_callbacks)
    registration = _again(Registration.objects.get())
    assert registration.status == R.FAILED and reason in registration.last_error and "dopo 2 tentativi" in registration.last_error
    assert sandbox.count(system) == 0


@pytest.mark.parametrize("fault, reason", [({"bad_numbers": 1}, "numero non valido"),
                                           ({"refuse": "Classifica 9.9 inesistente"}, "Classifica 9.9 inesistente")])
def test_a_refusal_or_a_number_in_an_unexpected_format_fails_at_once_with_the_reason(
        citizen, system, fault, reason, django_capture_on_commit_callbacks):
    sandbox.set_faults(**fault)
    _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.FAILED and reason in registration.last_error and registration.attempts == 1
    sandbox.set_faults(refuse="", bad_numbers=0)
    with django_capture_on_commit_callbacks(execute=True):
        actions.registration_retry(registration=registration, by=make_operator("protocollo", "municipio-1"))
    registration.refresh_from_db()
    assert registration.status == R.REGISTERED and sandbox.count(system) == 1


def test_incomplete_settings_are_named_to_the_operator(citizen, system, django_capture_on_commit_callbacks):
    Profile.objects.filter(scope="").update(aoo="")
    _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.FAILED and "codice AOO" in registration.last_error


def test_wrong_credentials_are_a_refusal(citizen, system, settings, django_capture_on_commit_callbacks):
    settings.PROTOCOL_PASSWORD = "sbagliata"  # noqa: S105
    _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.FAILED and ("Credenziali non valide" in registration.last_error
                                                or "Utente non autorizzato" in registration.last_error)


# The Segnatura ------------------------------------------------------------------------------------------------------

def _document(**overrides):
    values = {"direction": "in", "subject": "Domanda SERV06.0000001: iscrizione al servizio di refezione scolastica",
              "correspondent": port.Correspondent(name="Sara Russo", given_name="Sara", family_name="Russo",
                                                  fiscal_code="RSSSRA90P70F205P", email="sara@example.org"),
              "main": port.Attachment("ricevuta.pdf", b"%PDF-1.7"), "classification": "7.2", "file_reference": "12/2026",
              "office": "Ufficio Scuola", "ipa": "c_z999", "aoo": "AOO_VALF", "register": "PG",
              "administration": "Comune di Valfiorita"}
    return port.Document(**{**values, **overrides})


def test_the_segnatura_is_valid_against_its_schema():
    xml = segnatura.build(_document(), ids=[11, 12], names=["ricevuta.pdf", "isee.pdf"], key="istanze.istanza:1:istanza:9")
    assert segnatura.errors(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext("Intestazione/Identificatore/Flusso") == "E"
    assert root.find("Intestazione/Mittente/Persona/CodiceFiscale").text == "RSSSRA90P70F205P"
    assert root.find("Intestazione/Destinatario/Amministrazione/UnitaOrganizzativa").text == "Ufficio Scuola"
    assert root.find("Intestazione/Fascicolo").attrib == {"numero": "12", "anno": "2026"}
    assert [d.get("id") for d in root.iter("Documento")] == ["11", "12"]
    outbound = etree.fromstring(segnatura.build(_document(direction="out"), ids=[1], names=["esito.pdf"], key="k"))
    assert outbound.find("Intestazione/Mittente/Amministrazione") is not None


@pytest.mark.parametrize("overrides, where", [({"aoo": "AOO CON SPAZI"}, "CodiceAOO"), ({"classification": "7..2"}, "Classificazione"),
                                              ({"subject": ""}, "Oggetto")])
def test_a_segnatura_our_data_makes_invalid_is_refused_before_it_leaves(overrides, where):
    xml = segnatura.build(_document(**overrides), ids=[1], names=["ricevuta.pdf"], key="k")
    with pytest.raises(port.ProtocolRefused, match=where):
        segnatura.validated(xml)


def test_the_sandbox_refuses_a_request_its_schema_does_not_allow(client):
    envelope = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                b'<login xmlns="http://tempuri.org/"><strCodEnte>c_z999</strCodEnte></login></soap:Body></soap:Envelope>')
    response = client.post("/protocollo-sandbox/docarea/", envelope, content_type="text/xml")
    assert response.status_code == 500 and b"Client" in response.content and b"strUserName" in response.content
    entity = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
              b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x>&e;</x></soap:Body></soap:Envelope>')
    response = client.post("/protocollo-sandbox/docarea/", entity, content_type="text/xml")
    assert response.status_code == 500 and b"root:" not in response.content


def test_the_sandbox_serves_its_wsdl_and_shows_what_it_registered(client):
    wsdl = client.get("/protocollo-sandbox/sicraweb/?wsdl")
    assert wsdl.status_code == 200 and b'location="http://testserver/protocollo-sandbox/sicraweb/"' in wsdl.content
    assert b'schemaLocation="?xsd=1"' in wsdl.content
    assert b"registraProtocollo" in client.get("/protocollo-sandbox/sicraweb/?xsd=1").content
    assert client.get("/protocollo-sandbox/").status_code == 200


def test_a_segnatura_that_is_not_base64_is_refused_by_the_sandbox(client):
    sandbox.reset()
    envelope = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
                '<protocollazione xmlns="http://tempuri.org/"><strUserName>u</strUserName><strDST>x</strDST>'
                f'<binSegnatura>{base64.b64encode(b"<Segnatura/>").decode()}</binSegnatura></protocollazione>'
                '</soap:Body></soap:Envelope>').encode()
    response = client.post("/protocollo-sandbox/docarea/", envelope, content_type="text/xml")
    assert response.status_code == 200 and b"DST non valido" in response.content


def test_the_demo_registers_what_its_loaders_left_pending_but_one_that_waits_for_an_operator(
        citizen, system, urp, django_capture_on_commit_callbacks):
    from services.assistance import actions as assistance
    from services.protocol import demo
    from tests.assistance.test_requests import _request

    profile("urp")
    sandbox.set_faults(unavailable=True)  # as during the demo's load: the site that serves the sandbox is not up
    with django_capture_on_commit_callbacks(execute=True):
        submitted(citizen)
        request = _request()
    with django_capture_on_commit_callbacks(execute=True):
        assistance.reply_send(request=request, body="Ecco il modulo.", by=urp, resolve=True)
    assert set(Registration.objects.values_list("status", flat=True)) == {R.PENDING}
    sandbox.set_faults(unavailable=False)
    assert demo.load_registrations(None) == 3
    rows = dict(Registration.objects.values_list("kind", "status"))
    assert rows == {"istanza": R.REGISTERED, "richiesta": R.REGISTERED, "risposta": R.FAILED}
    assert demo.REFUSAL in Registration.objects.get(kind="risposta").last_error and not sandbox.faults()["refuse"]


def test_the_outcome_letter_is_there_only_once_decided_and_only_for_its_owner(citizen, client, django_capture_on_commit_callbacks):
    from tests.istanze.helpers import make_citizen

    istanza = _submit(citizen, django_capture_on_commit_callbacks)
    client.force_login(citizen)
    url = f"/area-personale/pratiche/{istanza.public_id}/esito/"
    assert client.get(url).status_code == 404  # not decided yet
    assert "comunicazione di esito" not in client.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode()
    operator = make_operator("scuola", "municipio-1")
    istanza = istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=operator, actor_kind=Actor.OFFICE)
    istanza_transition(istanza=istanza, to=Status.RESPINTA, by=operator, actor_kind=Actor.OFFICE,
                       note="Il bambino non è residente nel Comune.")
    response = client.get(url)
    text = _pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert "Domanda respinta" in text and "non è residente" in text and "Tribunale amministrativo" in text
    assert "Protocollo n." not in text  # no protocol system configured: no stamp
    client.force_login(make_citizen("luca" if citizen.username != "BNCLCU82S02A271A" else "maria"))
    assert client.get(url).status_code == 404


def test_the_sandbox_faults_take_known_names_and_types_only(client):
    sandbox.reset()
    response = client.post("/protocollo-sandbox/guasti/", '{"slow": "abc", "errors_500": "2", "ignota": 1, "refuse": 5}',
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["errors_500"] == 2 and response.json()["slow"] == 0.0
    assert response.json()["refuse"] == "" and "ignota" not in response.json()
    assert client.post("/protocollo-sandbox/guasti/", "[1]", content_type="application/json").status_code == 400
    assert client.post("/protocollo-sandbox/guasti/", "{", content_type="application/json").status_code == 400
    sandbox.reset()

"""INPS ConsultazioneISEE through PDND (issue 32): the attestation for a benefit over SOAP with the voucher and the
ModI headers, each of the sandbox's cases, the failures, and the register."""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.test import Client
from django.utils import timezone

import pytest

from services.pdnd import client, inps, sandbox
from services.pdnd.models import Consultation

pytestmark = pytest.mark.django_db
MEALS = "A2.12"


@pytest.fixture(autouse=True)
def clean_sandbox():
    cache.clear()
    yield
    sandbox.set_fault("")


def caller():
    return client.Caller(user=None, reason="Tariffa della refezione scolastica", reference="istanza:7")


def test_a_valid_attestation():
    found = inps.attestation("RSSMRA85C52H501N", benefit=MEALS, caller=caller())
    year = timezone.localdate().year
    assert (found.value, found.protocol, found.indicator) == (Decimal("9876.50"), f"INPS-ISEE-{year}-00012345A-00", "Minorenni")
    assert found.expires == datetime.date(year, 12, 31) and not found.expired and not found.annotated
    row = Consultation.objects.get()
    assert (row.eservice, row.outcome, row.reference) == ("inps-isee", "ok", "istanza:7")


def test_an_attestation_with_omissions_and_discrepancies():
    found = inps.attestation("BNCLCU82S02A271A", benefit=MEALS, caller=caller())
    assert found.annotated and len(found.omissions) == 1 and "Anagrafe tributaria" in found.discrepancies[0]


def test_an_expired_attestation_says_so():
    assert inps.attestation("FRRPLA68A14L219Z", benefit=MEALS, caller=caller()).expired


def test_no_attestation_is_not_found():
    with pytest.raises(client.NotFound):
        inps.attestation("RSSSRA90P70F205P", benefit=MEALS, caller=caller())


@pytest.mark.parametrize("fault, error", [
    ("inps_errore_500", client.Unavailable), ("inps_spazzatura", client.Unavailable),
    ("inps_non_disponibile", client.Unavailable), ("voucher_rifiutato", client.NotAuthorised),
])
def test_failures(fault, error):
    sandbox.set_fault(fault)
    with pytest.raises(error):
        inps.attestation("RSSMRA85C52H501N", benefit=MEALS, caller=caller())
    assert Consultation.objects.get().outcome == error.outcome


def test_a_call_without_the_modi_headers_is_refused():
    envelope = (b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
                b'<soapenv:Body/></soapenv:Envelope>')
    response = Client().post("/pdnd-sandbox/inps/consultazione-isee", envelope, content_type="text/xml")
    assert response.status_code == 401


def test_an_invalid_request_is_answered_richiesta_invalida(settings):
    with pytest.raises(client.Unavailable):
        inps.attestation("RSSMRA85C52H501N", benefit="mensa", caller=caller())  # not a benefit code


def test_the_wsdl_is_served():
    response = Client().get("/pdnd-sandbox/inps/consultazione-isee?wsdl")
    assert response.status_code == 200 and b"ConsultazioneAttestazione" in response.content


def test_attestation_xml_with_entities_is_refused():
    evil = (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<Attestazione xmlns="urn:sportello:inps:isee:attestazione" ProtocolloDSU="&x;" DataRilascio="2026-01-01" '
            b'DataScadenza="2026-12-31" TipoIndicatore="Minorenni"><ISEE>1.00</ISEE></Attestazione>')
    try:
        found = inps.parse_attestation(evil)
    except client.Unavailable:
        return  # refused outright
    assert "root:" not in found.protocol  # or read without the file's content

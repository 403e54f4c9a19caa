"""A built procedure's fee: paid with pagoPA at Invia, the application waiting for payment (numbered, seen by the
citizen and the office) until the receipt sends it; withdrawn before paying, the notice is withdrawn too."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from services.builder.procedure import fee_of
from services.istanze import fees
from services.istanze.models import Istanza
from services.istanze.states import Status
from services.payments.models import PaymentPosition
from tests.istanze.helpers import post_step, start
from tests.payments.test_sandbox_flow import pagopa  # noqa: F401  (the pagoPA sandbox on the live server)

from .conftest import document
from .test_group_and_admin import CHILD, PDF, children, contacts


def test_the_fee_adds_up_the_weeks_of_every_child():
    definition = document("centro-estivo")
    data = {"bambini": [{"settimane": ["s1", "s3"]}, {"settimane": ["s2"]}, {"settimane": []}]}
    assert fee_of(definition, data) == Decimal("180.00")
    assert fee_of({**definition, "pagamento": {"importo": "25.50"}}, data) == Decimal("25.50")
    assert fee_of({**definition, "pagamento": None}, data) is None


@pytest.fixture
def to_pay(client_maria, built):
    """Maria's summer camp application with two children (three weeks), at the summary."""
    built("centro-estivo")
    istanza = start(client_maria, "CENTRO_ESTIVO")
    contacts(client_maria, istanza)
    second = {**CHILD, "nome": "Marco", "codice_fiscale": "RSSMRC19C12H501W", "nascita": "12/03/2019", "settimane": ["s2"],
              "salute": "True"}
    upload = SimpleUploadedFile("certificato.pdf", PDF, content_type="application/pdf")
    assert children(client_maria, istanza, [CHILD, second], files={"1-certificato": upload}).status_code == 302
    post_step(client_maria, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE
    return istanza


def submit(client, istanza):
    return client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")


def test_invia_waits_for_the_payment_even_when_pagopa_cannot_be_reached(client_maria, to_pay):
    response = submit(client_maria, to_pay)  # no pagoPA here: the notice waits among the payments to make
    assert response.status_code == 302 and response["Location"] == "/area-personale/pagamenti/"
    istanza = Istanza.objects.get(pk=to_pay.pk)
    assert istanza.status == Status.IN_ATTESA_DI_PAGAMENTO
    assert istanza.number.startswith("CENTRO_ESTIVO_") and istanza.submitted_at is None
    position = PaymentPosition.objects.get(purpose=fees.PURPOSE, purpose_ref=str(istanza.public_id))
    assert position.amount == Decimal("180.00") and istanza.number in position.description
    assert submit(client_maria, istanza).status_code == 302  # a second click: the same payment
    assert PaymentPosition.objects.filter(purpose=fees.PURPOSE).count() == 1
    page = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode()
    assert "In attesa di pagamento" in page and "€ 180,00" in page and "Paga ora con pagoPA" in page
    fees.settled(position, None)  # the receipt, however it comes (push, poll, reconciliation)
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and istanza.submitted_at and istanza.due_date
    assert istanza.events.last().note.startswith("Pagamento ricevuto")


@pytest.mark.usefixtures("pagopa")
def test_paid_at_the_sandbox_the_application_reaches_the_office(client_maria, to_pay):
    import httpx

    response = submit(client_maria, to_pay)
    assert response.status_code == 302 and "/pagopa-sandbox/checkout/" in response["Location"]
    back = httpx.post(response["Location"], data={"esito": "paga"}, follow_redirects=False, timeout=10)
    assert "esito=ok" in back.headers["Location"]
    istanza = Istanza.objects.get(pk=to_pay.pk)
    assert istanza.status == Status.INVIATA
    assert fees.position_of(istanza).status in ("PAID", "REPORTED")


def test_the_office_sees_it_waiting_and_cannot_work_it_yet(to_pay, client_maria):
    from services.istanze import desk
    from tests.istanze.helpers import make_operator

    submit(client_maria, to_pay)
    istanza = Istanza.objects.get(pk=to_pay.pk)
    operator = make_operator("refezione", "ufficio-scuola")
    available = [a.name for a in desk.DESK.available(istanza, operator)]
    assert "prendi_in_carico" not in available and "assegna" not in available
    operator_page = Istanza.objects.filter(office__slug="ufficio-scuola", status=Status.IN_ATTESA_DI_PAGAMENTO)
    assert list(operator_page) == [istanza]


def test_withdrawn_before_paying_withdraws_the_notice(client_maria, to_pay):
    submit(client_maria, to_pay)
    istanza = Istanza.objects.get(pk=to_pay.pk)
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/ritira/")
    istanza.refresh_from_db()
    assert istanza.status == Status.ANNULLATA
    assert fees.position_of(istanza).status == "INVALID"


def test_a_payment_after_the_withdrawal_is_noted_for_the_office(client_maria, to_pay):
    submit(client_maria, to_pay)
    istanza = Istanza.objects.get(pk=to_pay.pk)
    Istanza.objects.filter(pk=istanza.pk).update(status=Status.ANNULLATA)
    fees.settled(fees.position_of(istanza), None)
    istanza.refresh_from_db()
    assert istanza.status == Status.ANNULLATA
    assert "l'ufficio restituisce la quota" in istanza.events.last().note


def test_a_procedure_without_fee_is_sent_at_once(client_maria, built):
    from .test_built_procedure import GOOD_IBAN, fill_refund

    built("rimborso-mensa")
    istanza = start(client_maria, "RIMBORSO_MENSA")
    fill_refund(client_maria, istanza)
    post_step(client_maria, istanza, "accredito", {"iban": GOOD_IBAN, "intestatario": "Maria Rossi", "intestato_a_me": "on"})
    post_step(client_maria, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    assert submit(client_maria, istanza)["Location"].endswith("/inviata/")
    assert not PaymentPosition.objects.filter(purpose=fees.PURPOSE).exists()


def test_an_application_not_paid_in_time_is_closed_and_its_notice_withdrawn(client_maria, to_pay):
    from datetime import timedelta

    submit(client_maria, to_pay)
    istanza = Istanza.objects.get(pk=to_pay.pk)
    position = fees.position_of(istanza)
    assert fees.unpaid_close(today=position.due_date + timedelta(days=1)) == 0  # a day's grace for a receipt on its way
    assert fees.unpaid_close(today=position.due_date + timedelta(days=2)) == 1
    istanza.refresh_from_db()
    assert istanza.status == Status.ANNULLATA and "Quota non pagata entro il" in istanza.events.last().note
    assert fees.position_of(istanza).status == "INVALID"

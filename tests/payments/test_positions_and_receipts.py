import threading
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

import pytest

from services.core.money import AmountError
from services.payments import purposes
from services.payments.actions import UnknownPosition, position_create, receipt_record
from services.payments.codes import is_valid_nav
from services.payments.models import PaymentEvent, PaymentPosition, Receipt
from services.payments.states import PositionStatus

SETTLED_CALLS = []


@pytest.fixture(autouse=True)
def _test_purpose():
    """A payment purpose of these tests only, registered for each test and gone after it."""
    SETTLED_CALLS.clear()
    purposes.register("test-topup", label="Ricarica di prova", taxonomy="9/0101108TS/",
                      on_settled=lambda position, receipt: SETTLED_CALLS.append((position.pk, receipt.receipt_id)),
                      max_amount=Decimal("500"))
    yield
    purposes.unregister("test-topup")


@pytest.fixture
def parent(db):
    return get_user_model().objects.create_user("RSSMRA85C52H501N", fiscal_code="RSSMRA85C52H501N", first_name="Maria", last_name="Rossi")


def _position(parent, amount="25.00"):
    return position_create(owner=parent, purpose="test-topup", amount=amount, description="Ricarica conto mensa",
                           due_date=date(2026, 12, 31), purpose_ref="wallet:1")


def test_a_position_has_its_codes(parent):
    first, second = _position(parent), _position(parent)
    assert first.iuv.startswith("01") and is_valid_nav(first.nav) and first.nav == "3" + first.iuv
    assert int(second.iuv[2:15]) == int(first.iuv[2:15]) + 1
    assert first.iupd.startswith("80012340420-") and first.amount == Decimal("25.00") and first.status == PositionStatus.NEW
    assert first.debtor_name == "Maria Rossi" and first.taxonomy == "9/0101108TS/"


@pytest.mark.parametrize("amount", ["0", "-1", "10.001", "500.01"])
def test_bad_amounts_create_nothing(parent, amount):
    with pytest.raises(AmountError):
        _position(parent, amount)
    assert not PaymentPosition.objects.exists()


def _receipt(position, receipt_id="R1", outcome="OK", cents=2500, source="push"):
    return receipt_record(ente_fiscal_code=position.ente_fiscal_code, iuv=position.iuv, receipt_id=receipt_id,
                          outcome=outcome, amount_cents=cents, psp_name="Tabaccheria Centrale", payload={"x": 1}, source=source)


def test_a_receipt_settles_once_even_when_duplicated(parent):
    position = _position(parent)
    receipt, created = _receipt(position)
    assert created and [(position.pk, "R1")] == SETTLED_CALLS
    again, created_again = _receipt(position, source="poll")  # the poll finds the same receipt
    assert not created_again and again.pk == receipt.pk
    position.refresh_from_db()
    assert position.status == PositionStatus.PAID and position.settled_at and [(position.pk, "R1")] == SETTLED_CALLS
    assert Receipt.objects.count() == 1


def test_a_second_payment_of_the_same_notice_is_kept_but_not_credited(parent):
    position = _position(parent)
    _receipt(position, "R1")
    _receipt(position, "R2")  # paid twice through two PSPs
    assert len(SETTLED_CALLS) == 1 and Receipt.objects.count() == 2
    assert PaymentEvent.objects.filter(position=position, kind="paid_twice").exists()


def test_ko_and_wrong_amount_do_not_settle(parent):
    position = _position(parent)
    _receipt(position, "R1", outcome="KO")
    _receipt(position, "R2", cents=2400)
    position.refresh_from_db()
    assert position.status == PositionStatus.NEW and not SETTLED_CALLS
    assert set(PaymentEvent.objects.filter(position=position).values_list("kind", flat=True)) >= {"receipt_ko", "receipt_amount_mismatch"}


def test_unknown_iuv_is_rejected_and_logged(db):
    with pytest.raises(UnknownPosition):
        receipt_record(ente_fiscal_code="80012340420", iuv="01000000009999912", receipt_id="X", outcome="OK", amount_cents=100)
    assert PaymentEvent.objects.filter(kind="receipt_unknown_iuv").count() == 1 and not Receipt.objects.exists()


def test_a_failing_owner_leaves_the_receipt_unrecorded(parent):
    def broken(position, receipt):
        raise ZeroDivisionError

    purposes.register("test-broken", label="Rotta", taxonomy="9/X/", on_settled=broken)
    try:
        position = position_create(owner=parent, purpose="test-broken", amount="5", description="x", due_date=date(2026, 12, 31))
        with pytest.raises(ZeroDivisionError):
            receipt_record(ente_fiscal_code=position.ente_fiscal_code, iuv=position.iuv, receipt_id="R1", outcome="OK",
                           amount_cents=500)
    finally:
        purposes.unregister("test-broken")
    position.refresh_from_db()
    assert position.status == PositionStatus.NEW and not Receipt.objects.exists()  # the next push or poll tries again


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_receipts_credit_once():
    from django.db import connections

    parent = get_user_model().objects.create_user("p", fiscal_code="RSSMRA85C52H501N")
    position = _position(parent)
    workers = 6
    errors = []

    def push():
        try:
            _receipt(position)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=push) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(SETTLED_CALLS) == 1 and Receipt.objects.count() == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_iuv_unique_under_concurrency():
    from django.db import connections

    parent = get_user_model().objects.create_user("p", fiscal_code="RSSMRA85C52H501N")
    workers = 6
    errors = []

    def create():
        try:
            for _ in range(5):
                _position(parent)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bases = sorted(int(iuv[2:15]) for iuv in PaymentPosition.objects.values_list("iuv", flat=True))
    assert errors == [] and bases == list(range(1, workers * 5 + 1))


def test_notice_pdf_carries_the_qr_payload_and_the_printed_code(parent):
    import pypdfium2
    import zxingcpp

    from services.payments.notice import notice_pdf

    position = _position(parent)
    pdf = notice_pdf(position)
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    text = page.get_textpage().get_text_range()
    nav = position.nav
    for expected in (f"{nav[:4]} {nav[4:8]} {nav[8:12]} {nav[12:16]} {nav[16:]}", "80012340420", "25,00 Euro",
                     "Comune di Valfiorita", "Maria Rossi", "31/12/2026", "AAA0A", "PAGA CON L'APP IO"):
        assert expected in text, expected
    image = page.render(scale=4).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes if c.format == zxingcpp.BarcodeFormat.QRCode] == [f"PAGOPA|002|{nav}|80012340420|2500"]


def test_the_settling_receipt_is_e_mailed_and_downloadable_by_its_owner_only(parent, client, django_capture_on_commit_callbacks):
    from django.core import mail

    import pypdfium2

    parent.email = "maria@example.it"
    parent.save()
    position = _position(parent)
    client.force_login(parent)
    assert client.get(f"/area-personale/pagamenti/{position.public_id}/ricevuta/").status_code == 404  # not paid yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _receipt(position)
    with django_capture_on_commit_callbacks(execute=True):
        _receipt(position, source="poll")  # the same receipt again: no second e-mail
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["maria@example.it"] and "€ 25,00" in mail.outbox[0].body
    name, pdf, kind = mail.outbox[0].attachments[0]
    assert name == f"ricevuta-{position.iuv}.pdf" and kind == "application/pdf"
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    for expected in ("Ricevuta di pagamento", "€ 25,00", "R1", "Tabaccheria Centrale", position.iuv, "Ricarica conto mensa", "Maria Rossi"):
        assert expected in text, expected
    response = client.get(f"/area-personale/pagamenti/{position.public_id}/ricevuta/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and "no-store" in response["Cache-Control"]
    assert f"/area-personale/pagamenti/{position.public_id}/ricevuta/" in client.get("/area-personale/pagamenti/").content.decode()
    assert "Ricevuta di pagamento" in client.get("/area-personale/documenti/").content.decode()
    other = get_user_model().objects.create_user("luca", fiscal_code="BNCLCU82S02A271A")
    client.force_login(other)
    assert client.get(f"/area-personale/pagamenti/{position.public_id}/ricevuta/").status_code == 404


def test_every_state_change_follows_the_table_with_a_history_row(db):
    from services.core import workflow
    from services.payments import states
    from services.payments.actions import position_transition

    assert states.PositionStatus.VALID not in states.TRANSITIONS[states.PositionStatus.PAID]
    assert {"NEW", "DRAFT", "PUBLISHED", "VALID", "PARTIALLY_PAID"} == states.OPEN  # PARTIALLY_PAID is unpaid too
    owner = get_user_model().objects.create_user("pia", fiscal_code="RSSPIA80A41H501X")
    position = position_create(owner=owner, purpose="demo", amount=Decimal("10.00"), description="Prova", due_date=date(2027, 1, 31))
    assert list(PaymentPosition.objects.open()) == [position]
    position_transition(position=position, to=PositionStatus.INVALID, kind="invalidated")
    assert not PaymentPosition.objects.open().exists()
    assert position.events.last().from_status == "NEW" and position.events.last().to_status == "INVALID"
    with pytest.raises(workflow.TransitionError, match="Non si può passare da «Annullata» a «Pagata»"):
        position_transition(position=position, to=PositionStatus.PAID, kind="paid")

"""The pagoPA client against the sandbox over real HTTP (live server): publishing, Checkout, receipts
pushed and polled, faults."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

import httpx
import pytest

from services.payments import client, purposes, sandbox
from services.payments.actions import position_create, position_publish, positions_mop_up, receipts_poll
from services.payments.models import PaymentEvent, PaymentPosition, Receipt
from services.payments.states import PositionStatus

CREDITED = []


@pytest.fixture(autouse=True)
def _sandbox_purpose():
    purposes.register("sandbox-topup", label="Ricarica di prova", taxonomy="9/0101108TS/",
                      on_settled=lambda position, receipt: CREDITED.append(position.pk))
    yield
    purposes.unregister("sandbox-topup")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pagopa(live_server, settings):
    base = f"{live_server.url}/pagopa-sandbox"
    settings.PAGOPA_SANDBOX_BASE = base
    settings.PAGOPA_GPD_URL = f"{base}/gpd"
    settings.PAGOPA_CHECKOUT_URL = f"{base}/checkout/ec/v1"
    settings.PAGOPA_RECEIPTS_URL = f"{base}/receipts"
    settings.PAGOPA_RECEIPT_PUSH_URL = f"{live_server.url}/pagopa/ricevute/"
    settings.PAGOPA_TIMEOUT = 1.0
    settings.ALLOWED_HOSTS = ["*"]
    CREDITED.clear()
    sandbox.reset()
    client.BACKOFF = 0.01
    return live_server.url


@pytest.fixture
def parent(db):
    return get_user_model().objects.create_user("maria", fiscal_code="RSSMRA85C52H501N", first_name="Maria",
                                                last_name="Rossi", email="maria@example.it")


def _position(parent, amount="30.00"):
    return position_create(owner=parent, purpose="sandbox-topup", amount=amount, description="Ricarica conto mensa",
                           due_date=date(2026, 12, 31), purpose_ref="wallet:1")


def _checkout(site, parent, position):
    browser = Client()
    browser.force_login(parent)
    response = browser.post(f"/area-personale/pagamenti/{position.public_id}/paga/")
    assert response.status_code == 302 and "/pagopa-sandbox/checkout/" in response["Location"], response.content[:300]
    return browser, response["Location"]


def _choose(location, choice):
    return httpx.post(location, data={"esito": choice}, follow_redirects=False, timeout=10)


def test_positions_are_published_after_commit(pagopa, parent):
    position = _position(parent)
    assert PaymentPosition.objects.get(pk=position.pk).status == PositionStatus.VALID
    assert client.gpd_get(position)["status"] == "VALID"


def _unpublished(parent):
    position = _position(parent)
    sandbox.reset()  # as if GPD never got it
    PaymentPosition.objects.filter(pk=position.pk).update(status=PositionStatus.NEW)
    position.refresh_from_db()
    return position


def test_publish_retries_timeouts_and_500s(pagopa, parent):
    position = _unpublished(parent)
    sandbox.set_faults(gpd_timeouts=1, gpd_errors=1)
    assert position_publish(position=position).status == PositionStatus.VALID


def test_publish_treats_409_as_maybe_created(pagopa, parent):
    position = _unpublished(parent)
    sandbox.set_faults(gpd_create_conflict=True)
    assert position_publish(position=position).status == PositionStatus.VALID


def test_publish_gives_up_after_retries(pagopa, parent):
    position = _unpublished(parent)
    sandbox.set_faults(gpd_errors=5)
    with pytest.raises(client.PagoPAError):
        position_publish(position=position)
    assert PaymentPosition.objects.get(pk=position.pk).status == PositionStatus.NEW


def test_pay_online_receipt_pushed_credits_once(pagopa, parent):
    sandbox.set_faults(duplicate_push=True)
    position = _position(parent)
    browser, location = _checkout(pagopa, parent, position)
    answer = _choose(location, "paga")
    assert answer.status_code == 302 and "esito=ok" in answer.headers["Location"]
    position.refresh_from_db()
    assert position.status == PositionStatus.PAID and [position.pk] == CREDITED
    assert Receipt.objects.filter(position=position).count() == 1
    page = browser.get(f"/area-personale/pagamenti/{position.public_id}/esito/?esito=ok").content.decode()
    assert "ricevuto" in page
    assert "Nessun pagamento eseguito" not in browser.get("/area-personale/pagamenti/").content.decode()


def test_the_return_url_alone_settles_nothing(pagopa, parent):
    sandbox.set_faults(no_push=True)
    position = _position(parent)
    browser, _location = _checkout(pagopa, parent, position)
    page = browser.get(f"/area-personale/pagamenti/{position.public_id}/esito/?esito=ok").content.decode()
    assert "in verifica" in page and not CREDITED  # nothing paid: pagoPA has no receipt


def test_receipt_before_the_user_returns_and_push_after(pagopa, parent):
    sandbox.set_faults(push_after_return=True)
    position = _position(parent)
    browser, location = _checkout(pagopa, parent, position)
    _choose(location, "paga")
    page = browser.get(f"/area-personale/pagamenti/{position.public_id}/esito/?esito=ok").content.decode()
    assert "ricevuto" in page and [position.pk] == CREDITED  # the return polled the receipt
    assert sandbox.flush_pending_pushes() == 1  # the late push is a duplicate
    assert [position.pk] == CREDITED and Receipt.objects.count() == 1


def test_user_who_never_returns_is_settled_by_the_mop_up(pagopa, parent):
    sandbox.set_faults(no_push=True, never_return=True)
    position = _position(parent)
    _browser, location = _checkout(pagopa, parent, position)
    assert _choose(location, "paga").status_code == 200
    assert positions_mop_up() == {"settled": 0, "still_open": 0, "paid_without_receipt": 0}  # not 90 minutes yet
    later = timezone.now() + timedelta(minutes=91)
    assert positions_mop_up(now=later)["settled"] == 1
    assert [position.pk] == CREDITED
    assert Receipt.objects.get(position=position).source == Receipt.Source.MOPUP


def test_cancel_and_error_leave_it_to_pay(pagopa, parent):
    position = _position(parent)
    browser, location = _checkout(pagopa, parent, position)
    assert "esito=annullato" in _choose(location, "annulla").headers["Location"]
    assert "annullato il pagamento" in browser.get(f"/area-personale/pagamenti/{position.public_id}/esito/?esito=annullato").content.decode()
    assert not CREDITED and PaymentPosition.objects.get(pk=position.pk).settled_at is None


def test_paid_at_a_tabaccheria_and_found_by_polling(pagopa, parent):
    sandbox.set_faults(no_push=True)
    position = position_publish(position=_position(parent))
    page = httpx.post(f"{pagopa}/pagopa-sandbox/psp/", data={"nav": position.nav, "ente": position.ente_fiscal_code}).text
    assert "Pagato" in page and not CREDITED
    assert receipts_poll() == 1 and [position.pk] == CREDITED
    assert receipts_poll() == 0  # nothing left open


def test_the_tabaccheria_says_what_is_wrong_and_keeps_what_was_typed(pagopa, parent):
    response = httpx.post(f"{pagopa}/pagopa-sandbox/psp/", data={"nav": "3012 3456", "ente": "80012340420"})
    page = response.text
    assert response.status_code == 400 and "Il codice avviso ha 18 cifre" in page and 'id="nav-error"' in page
    assert 'value="3012 3456"' in page and 'value="80012340420"' in page
    response = httpx.post(f"{pagopa}/pagopa-sandbox/psp/", data={"nav": "301234567890123456", "ente": "80012340420"})
    assert response.status_code == 400 and "Nessun avviso da pagare con questo codice" in response.text
    assert 'value="301234567890123456"' in response.text


def test_push_endpoint_rules(pagopa, parent, settings):
    position = position_publish(position=_position(parent))
    receipt = sandbox.pay(position.nav, position.ente_fiscal_code, "PSP")
    xml = sandbox.receipt_xml(receipt)
    url = f"{pagopa}/pagopa/ricevute/"
    assert httpx.post(url, content=xml, headers={"Authorization": "Bearer wrong"}).status_code == 401
    good = {"Authorization": f"Bearer {settings.PAGOPA_PUSH_TOKEN}"}
    assert httpx.post(url, content="<receipt><broken>", headers=good).status_code == 400
    unknown = sandbox.receipt_xml({**receipt, "creditorReferenceId": "01000000009999912"})
    assert httpx.post(url, content=unknown, headers=good).status_code == 404
    assert PaymentEvent.objects.filter(kind="receipt_unknown_iuv").exists()
    first = httpx.post(url, content=xml, headers=good).json()
    second = httpx.post(url, content=xml, headers=good).json()
    assert first == {"outcome": "OK", "duplicate": False} and second == {"outcome": "OK", "duplicate": True}
    assert [position.pk] == CREDITED


def test_another_familys_notice_is_404(pagopa, parent):
    position = _position(parent)
    other = get_user_model().objects.create_user("luca", fiscal_code="BNCLCU82S02A271A")
    browser = Client()
    browser.force_login(other)
    for url in (f"/area-personale/pagamenti/{position.public_id}/avviso/", f"/area-personale/pagamenti/{position.public_id}/esito/"):
        assert browser.get(url).status_code == 404
    assert browser.post(f"/area-personale/pagamenti/{position.public_id}/paga/").status_code == 404
    assert browser.post(f"/area-personale/pagamenti/{position.public_id}/avviso/email/").status_code == 404


def test_notice_download_and_email(pagopa, parent):
    from django.core import mail

    position = _position(parent)
    browser = Client()
    browser.force_login(parent)
    response = browser.get(f"/area-personale/pagamenti/{position.public_id}/avviso/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF") and "no-store" in response["Cache-Control"]
    browser.post(f"/area-personale/pagamenti/{position.public_id}/avviso/email/")
    assert mail.outbox[-1].to == ["maria@example.it"] and mail.outbox[-1].attachments[0][0] == f"avviso-{position.nav}.pdf"


def test_reconciliation_lists_differences_once(pagopa, parent):
    from services.payments.actions import reconcile
    from services.payments.models import ReconciliationIssue

    sandbox.set_faults(no_push=True)
    paid_twice = position_publish(position=_position(parent))
    sandbox.pay(paid_twice.nav, paid_twice.ente_fiscal_code, "PSP")
    from services.payments.actions import receipt_record
    receipt_record(ente_fiscal_code=paid_twice.ente_fiscal_code, iuv=paid_twice.iuv, receipt_id="A", outcome="OK", amount_cents=3000)
    receipt_record(ente_fiscal_code=paid_twice.ente_fiscal_code, iuv=paid_twice.iuv, receipt_id="B", outcome="OK", amount_cents=3000)
    foreign = {"receiptId": "Z", "fiscalCode": paid_twice.ente_fiscal_code, "creditorReferenceId": "01000000009999912",
               "outcome": "OK", "paymentAmount": "1.00", "debtor": "X", "paymentDateTime": timezone.now().isoformat()}
    sandbox.receipt_add(foreign)
    paid_elsewhere = position_publish(position=_position(parent))
    sandbox.pay(paid_elsewhere.nav, paid_elsewhere.ente_fiscal_code, "PSP")  # settled by reconciliation itself
    found = reconcile()
    assert found["paid_twice"] == 1 and found["unknown_iuv"] == 1
    assert PaymentPosition.objects.get(pk=paid_elsewhere.pk).settled_at is not None
    assert reconcile() == {kind: 0 for kind in found}  # the same day: nothing new
    assert ReconciliationIssue.objects.count() == 2


def test_suspended_payments_say_until_when(pagopa, parent):
    from services.payments.suspension import PaymentSettings

    conf = PaymentSettings.load()
    conf.suspended_from = timezone.now() - timedelta(hours=1)
    conf.suspended_until = timezone.now() + timedelta(days=2)
    conf.save()
    position = _position(parent)
    browser = Client()
    browser.force_login(parent)
    response = browser.post(f"/area-personale/pagamenti/{position.public_id}/paga/", follow=True)
    page = response.content.decode()
    assert "I pagamenti online sono sospesi" in page and timezone.localtime(conf.suspended_until).strftime("%d/%m/%Y") in page
    assert not PaymentPosition.objects.get(pk=position.pk).checkout_started_at


def test_admin_listing_detail_and_export(pagopa, parent):
    admin = get_user_model().objects.create_superuser("capo", password="x")
    position = _position(parent)
    browser = Client()
    browser.force_login(admin)
    assert position.nav in browser.get("/admin/payments/paymentposition/?causale=sandbox-topup").content.decode()
    detail = browser.get(f"/admin/payments/paymentposition/inspect/{position.pk}/").content.decode()
    assert position.iupd in detail and "created" in detail
    export = browser.get("/admin/payments/paymentposition/?export=csv")
    content = b"".join(export.streaming_content) if export.streaming else export.content
    assert position.nav.encode() in content
    assert browser.get("/admin/payments/reconciliationissue/").status_code == 200
    citizen = Client()
    citizen.force_login(parent)
    assert citizen.get("/admin/payments/paymentposition/").status_code in (302, 403)


def test_invalidate_an_unpaid_notice_but_not_a_paid_one(pagopa, parent):
    from services.payments.actions import position_invalidate, receipt_record

    unpaid = _position(parent)
    assert position_invalidate(position=unpaid, reason="iscrizione ritirata").status == PositionStatus.INVALID
    assert client.gpd_get(unpaid)["status"] == "INVALID"
    paid = _position(parent)
    receipt_record(ente_fiscal_code=paid.ente_fiscal_code, iuv=paid.iuv, receipt_id="R", outcome="OK", amount_cents=3000)
    with pytest.raises(client.PagoPAError):
        position_invalidate(position=paid, reason="errore")


def test_a_position_whose_publication_was_lost_is_published_by_the_sweep(pagopa, parent):
    """Issue 28 (sweeps): the publish task was lost (a broker down at commit, a worker killed); the mop-up republishes
    it, and the health probe says how long it waited."""
    from datetime import timedelta

    from django.utils import timezone

    from services.core import health
    from services.payments.actions import positions_publish_stuck
    from services.payments.health import unpublished

    position = _unpublished(parent)
    assert positions_publish_stuck() == 0  # not stuck yet: its task may still be on its way
    PaymentPosition.objects.filter(pk=position.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    assert unpublished().status == health.WARN
    assert positions_publish_stuck() == 1
    position.refresh_from_db()
    assert position.status == PositionStatus.VALID and client.gpd_get(position)["status"] == "VALID"
    assert unpublished().status == health.OK and positions_publish_stuck() == 0


def test_publish_reads_a_garbage_answer_as_pagopas_fault_and_retries(pagopa, parent):
    """Issue 28: a proxy's HTML page with 200 is not a position: an error, never a crash or a VALID state."""
    position = _unpublished(parent)
    sandbox.set_faults(gpd_garbage=5)
    with pytest.raises(client.PagoPAError):
        position_publish(position=position)
    with pytest.raises(client.PagoPAError, match="non leggibile"):
        client.gpd_get(position)
    assert PaymentPosition.objects.get(pk=position.pk).status == PositionStatus.NEW
    sandbox.set_faults(gpd_garbage=0)
    assert position_publish(position=position).status == PositionStatus.VALID


@pytest.mark.parametrize("fault", ["unavailable", "refused"])
def test_paying_while_pagopa_is_down_says_so_in_italian_and_keeps_the_notice(pagopa, parent, settings, fault):
    position = _position(parent)
    if fault == "unavailable":
        sandbox.set_faults(unavailable=True)
    else:
        settings.PAGOPA_CHECKOUT_URL = "http://127.0.0.1:1/checkout/ec/v1"  # nobody listens: connection refused
    browser = Client()
    browser.force_login(parent)
    response = browser.post(f"/area-personale/pagamenti/{position.public_id}/paga/", follow=True)
    assert response.status_code == 200
    assert "pagoPA non è raggiungibile in questo momento" in response.content.decode()
    assert PaymentPosition.objects.get(pk=position.pk).status == PositionStatus.VALID
    sandbox.set_faults(unavailable=False)
    settings.PAGOPA_CHECKOUT_URL = f"{pagopa}/pagopa-sandbox/checkout/ec/v1"
    browser, location = _checkout(pagopa, parent, position)  # back up: the same notice is paid, once
    assert _choose(location, "paga").status_code == 302
    assert PaymentPosition.objects.get(pk=position.pk).status == PositionStatus.PAID and [position.pk] == CREDITED


def test_receipts_polling_with_pagopa_down_changes_nothing(pagopa, parent):
    sandbox.set_faults(unavailable=True)
    with pytest.raises(client.PagoPAError):
        receipts_poll()
    assert not Receipt.objects.exists()


@pytest.mark.concurrency
def test_a_receipt_pushed_while_the_sweep_holds_the_row_waits_and_credits_once(pagopa, parent, settings):
    """Issue 28: the mop-up has locked the position to settle it from a polled receipt; the push of the same receipt
    arrives meanwhile. It waits for the lock (no error to pagoPA), then finds the receipt recorded: credited once."""
    import threading

    from django.db import connections, transaction

    from services.payments.actions import receipt_sync

    position = position_publish(position=_position(parent))
    receipt = sandbox.pay(position.nav, position.ente_fiscal_code, "PSP")
    locked, answers = threading.Event(), []

    def sweep():
        try:
            with transaction.atomic():
                PaymentPosition.objects.select_for_update().get(pk=position.pk)
                locked.set()
                threading.Event().wait(1.0)  # the sweep is busy with the row while the push arrives
                receipt_sync(position=PaymentPosition.objects.get(pk=position.pk), source=Receipt.Source.MOPUP)
        finally:
            connections.close_all()

    thread = threading.Thread(target=sweep)
    thread.start()
    assert locked.wait(10)
    response = httpx.post(f"{pagopa}/pagopa/ricevute/", content=sandbox.receipt_xml(receipt), timeout=30,
                          headers={"Authorization": f"Bearer {settings.PAGOPA_PUSH_TOKEN}"})
    answers.append(response)
    thread.join()
    assert answers[0].status_code == 200 and answers[0].json() == {"outcome": "OK", "duplicate": True}  # it waited
    assert [position.pk] == CREDITED and Receipt.objects.filter(position=position).count() == 1
    assert PaymentPosition.objects.get(pk=position.pk).status == PositionStatus.PAID

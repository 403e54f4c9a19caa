import io

"""The family meal account: ledger invariants, top-ups through pagoPA credited exactly once."""

import threading
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import Client

import httpx
import pytest

from services.meals.actions import ledger_mismatches, ledger_post, wallet_get_or_create
from services.meals.models import LedgerEntry, Wallet
from services.payments import sandbox
from services.payments.models import PaymentPosition


@pytest.fixture
def parent(db):
    return get_user_model().objects.create_user("maria", fiscal_code="RSSMRA85C52H501N", first_name="Maria",
                                                last_name="Rossi", email="maria@example.it")


def test_one_wallet_per_holder_with_a_stable_code(parent):
    wallet = wallet_get_or_create(holder=parent)
    assert wallet_get_or_create(holder=parent).pk == wallet.pk
    assert len(wallet.payment_code) == 10 and wallet.payment_code.startswith("M")


def test_entries_are_idempotent_and_the_balance_is_their_sum(parent):
    wallet = wallet_get_or_create(holder=parent)
    ledger_post(wallet_id=wallet.pk, kind="opening", amount=Decimal("10.00"), reference="import:1", description="Saldo iniziale")
    entry, created = ledger_post(wallet_id=wallet.pk, kind="meal", amount=Decimal("-4.50"), reference="meal:2026-11-24:1", description="Pasto")
    again, created_again = ledger_post(wallet_id=wallet.pk, kind="meal", amount=Decimal("-4.50"), reference="meal:2026-11-24:1", description="Pasto")
    assert created and not created_again and again.pk == entry.pk
    wallet.refresh_from_db()
    assert wallet.balance == Decimal("5.50") == entry.balance_after
    assert ledger_mismatches() == []
    call_command("meals_check_ledger", stdout=io.StringIO())
    Wallet.objects.filter(pk=wallet.pk).update(balance=Decimal("99"))
    with pytest.raises(CommandError, match="1 conti"):
        call_command("meals_check_ledger", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_zero_entry_is_refused_by_the_database(parent):
    wallet = wallet_get_or_create(holder=parent)
    with pytest.raises(IntegrityError):
        ledger_post(wallet_id=wallet.pk, kind="adjustment", amount=Decimal("0"), reference="x", description="x")


@pytest.mark.parametrize("amount, message", [("2", "L&#x27;importo minimo è € 5,00."), ("600", "L&#x27;importo massimo è € 500,00."),
                                             ("10,005", "al massimo due decimali"), ("dieci", "Scrivi l&#x27;importo")])
def test_topup_amount_errors_next_to_the_field(client, parent, amount, message):
    client.force_login(parent)
    response = client.post("/area-personale/conto-mensa/ricarica/", {"amount": amount, "how": "online"})
    page = response.content.decode()
    assert response.status_code == 400 and message in page and 'id="amount-error"' in page and f'value="{amount}"' in page
    assert not PaymentPosition.objects.exists()


def test_topup_with_a_notice_lands_in_payments(client, parent):
    client.force_login(parent)
    response = client.post("/area-personale/conto-mensa/ricarica/", {"amount": "20", "how": "avviso"})
    assert response.status_code == 302 and response["Location"] == "/area-personale/pagamenti/"
    position = PaymentPosition.objects.get()
    assert position.purpose == "wallet-topup" and position.amount == Decimal("20.00")
    page = client.get("/area-personale/conto-mensa/").content.decode()
    assert "Ricariche in attesa del pagamento" in page and position.nav in page


@pytest.mark.django_db(transaction=True)
def test_online_topup_is_credited_once(live_server, settings):
    base = f"{live_server.url}/pagopa-sandbox"
    settings.PAGOPA_SANDBOX_BASE, settings.PAGOPA_GPD_URL = base, f"{base}/gpd"
    settings.PAGOPA_CHECKOUT_URL, settings.PAGOPA_RECEIPTS_URL = f"{base}/checkout/ec/v1", f"{base}/receipts"
    settings.PAGOPA_RECEIPT_PUSH_URL = f"{live_server.url}/pagopa/ricevute/"
    settings.ALLOWED_HOSTS = ["*"]
    sandbox.reset()
    sandbox.set_faults(duplicate_push=True)
    parent = get_user_model().objects.create_user("maria", fiscal_code="RSSMRA85C52H501N", email="maria@example.it")
    browser = Client()
    browser.force_login(parent)
    response = browser.post("/area-personale/conto-mensa/ricarica/", {"amount": "25,50", "how": "online"})
    assert response.status_code == 302 and "/pagopa-sandbox/checkout/" in response["Location"]
    back = httpx.post(response["Location"], data={"esito": "paga"}, follow_redirects=False, timeout=10)
    assert "esito=ok" in back.headers["Location"]
    wallet = Wallet.objects.get(holder=parent)
    assert wallet.balance == Decimal("25.50") and wallet.entries.count() == 1
    entry = wallet.entries.get()
    assert entry.kind == LedgerEntry.Kind.TOPUP and entry.reference.startswith("pagopa:")
    page = browser.get("/area-personale/conto-mensa/").content.decode()
    assert "€ 25,50" in page and "Ricarica pagoPA" in page
    assert ledger_mismatches() == []


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_postings_with_duplicates_lose_nothing():
    from django.db import connections

    parent = get_user_model().objects.create_user("p", fiscal_code="RSSMRA85C52H501N")
    wallet = wallet_get_or_create(holder=parent)
    workers = 6
    errors = []

    def work(n):
        try:
            for i in range(10):
                # every worker posts the same 10 top-ups (duplicates) and 10 meals of its own
                ledger_post(wallet_id=wallet.pk, kind="topup", amount=Decimal("5.00"), reference=f"pagopa:{i}", description="R")
                ledger_post(wallet_id=wallet.pk, kind="meal", amount=Decimal("-1.25"), reference=f"meal:{n}:{i}", description="P")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wallet.refresh_from_db()
    assert errors == []
    assert wallet.entries.filter(kind="topup").count() == 10 and wallet.entries.filter(kind="meal").count() == 10 * workers
    assert wallet.balance == Decimal("50.00") - Decimal("1.25") * 10 * workers and ledger_mismatches() == []


def test_a_double_click_on_ricarica_makes_one_notice(client, parent):
    client.force_login(parent)
    for _ in range(2):
        client.post("/area-personale/conto-mensa/ricarica/", {"amount": "20", "how": "avviso"})
    client.post("/area-personale/conto-mensa/ricarica/", {"amount": "30", "how": "avviso"})  # a different amount is a new top-up
    assert sorted(PaymentPosition.objects.values_list("amount", flat=True)) == [Decimal("20.00"), Decimal("30.00")]

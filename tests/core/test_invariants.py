"""Issue 28: the invariants the fault suite and the restore check (core.invariants, `manage.py check_invariants`).
Each holds on rows made the proper way and reports the break made by hand — none of them can pass on anything."""

import io
from decimal import Decimal

from django.core.management import CommandError, call_command
from django.db import transaction

import pytest

from services.core import invariants
from services.core.models import Sequence
from services.core.sequences import sequence_next
from services.meals.actions import TOPUP, ledger_post
from services.meals.models import LedgerEntry, Wallet
from services.notifications.models import Dispatch
from services.payments.models import PaymentPosition
from services.payments.states import PositionStatus
from tests.factories import IstanzaFactory, MessageFactory, PaymentPositionFactory, WalletFactory

pytestmark = pytest.mark.django_db


def broken(name: str) -> list[str]:
    return invariants.run(settled=True)[name]


def test_every_app_registered_its_invariants():
    names = {i.name for i in invariants.all_invariants()}
    assert {"meals.wallets_balance", "meals.topups_credited_once", "payments.paid_settled", "payments.receipts_once",
            "istanze.none_half_submitted", "istanze.numbers_gapless", "notifications.messages_once",
            "notifications.outbox_drained"} <= names


def test_a_wallet_whose_balance_is_not_its_entries_is_reported():
    wallet = WalletFactory()
    ledger_post(wallet_id=wallet.pk, kind=LedgerEntry.Kind.TOPUP, amount=Decimal("20.00"), reference="t:1", description="x")
    ledger_post(wallet_id=wallet.pk, kind=LedgerEntry.Kind.MEAL, amount=Decimal("-4.10"), reference="t:2", description="y")
    assert broken("meals.wallets_balance") == []
    Wallet.objects.filter(pk=wallet.pk).update(balance=Decimal("16.00"))
    assert broken("meals.wallets_balance") == [f"conto {wallet.pk}: saldo 16.00, somma dei movimenti 15.90"]


def test_a_paid_top_up_must_be_credited_exactly_once():
    wallet = WalletFactory()
    position = PaymentPositionFactory(owner=wallet.holder, purpose=TOPUP, purpose_ref=str(wallet.pk))
    PaymentPosition.objects.filter(pk=position.pk).update(status=PositionStatus.PAID)
    assert broken("meals.topups_credited_once") == [f"ricarica pagata {position.pk}: 0 accrediti"]
    ledger_post(wallet_id=wallet.pk, kind=LedgerEntry.Kind.TOPUP, amount=position.amount, reference=f"pagopa:{position.iuv}",
                description="ricarica")
    assert broken("meals.topups_credited_once") == []
    ledger_post(wallet_id=wallet.pk, kind=LedgerEntry.Kind.TOPUP, amount=Decimal("5.00"), reference="pagopa:99999",
                description="ricarica che nessuno ha pagato")
    assert broken("meals.topups_credited_once") == ["1 accrediti di ricariche non pagate"]


def test_a_paid_notice_needs_its_receipt_and_its_settlement():
    position = PaymentPositionFactory()
    assert broken("payments.paid_settled") == []
    PaymentPosition.objects.filter(pk=position.pk).update(status=PositionStatus.PAID)
    assert broken("payments.paid_settled") == [f"avviso pagato {position.pk} non comunicato al servizio",
                                               f"avviso pagato {position.pk} senza ricevuta"]


def test_an_application_is_a_draft_or_fully_submitted():
    draft = IstanzaFactory()
    assert broken("istanze.none_half_submitted") == []
    type(draft).objects.filter(pk=draft.pk).update(status="inviata")
    assert broken("istanze.none_half_submitted") == [f"pratica {draft.pk} inviata senza numero o data",
                                                     f"pratica {draft.pk} inviata senza l'evento d'invio"]


def test_application_numbers_have_no_gap():
    with transaction.atomic():
        value = sequence_next(key="istanza:SERV06_UTENTI:2026")
    IstanzaFactory(status="bozza", number=f"SERV06_UTENTI_2026.{value:07d}")
    assert broken("istanze.numbers_gapless") == []
    Sequence.objects.filter(key="istanza:SERV06_UTENTI:2026").update(last_value=value + 1)  # a number taken, never given
    assert broken("istanze.numbers_gapless") == [f"istanza:SERV06_UTENTI:2026: contatore a {value + 1}, numeri dati 1"]


def test_a_dispatch_still_waiting_breaks_only_the_settled_check():
    message = MessageFactory()
    Dispatch.objects.create(message=message, channel="email", status=Dispatch.Status.RETRY)
    assert "notifications.outbox_drained" not in invariants.run()
    assert broken("notifications.outbox_drained")[0].startswith("1 invii ancora in attesa")
    with pytest.raises(CommandError, match="notifications.outbox_drained"):
        call_command("check_invariants", "--settled", stdout=io.StringIO())

"""The meal account's invariants (core.invariants): a wallet's balance is the sum of its entries, no entry twice, and
every top-up paid at pagoPA is in the ledger exactly once (and none that was not paid)."""

from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from services.core import invariants
from services.core.money import CENT
from services.payments.models import PaymentPosition
from services.payments.states import PositionStatus

from .actions import TOPUP
from .models import LedgerEntry, Wallet


def _euro(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def wallets_balance() -> list[str]:
    total = LedgerEntry.objects.filter(wallet=OuterRef("pk")).values("wallet").annotate(s=Sum("amount")).values("s")
    rows = Wallet.objects.annotate(total=Coalesce(Subquery(total), Value(0), output_field=DecimalField())).values_list(
        "pk", "balance", "total")
    # compared in euro cents here: SQLite sums decimals as floating point
    wrong = [(pk, balance, total) for pk, balance, total in rows.iterator() if _euro(balance) != _euro(total)]
    return [f"conto {pk}: saldo {_euro(balance)}, somma dei movimenti {_euro(total)}" for pk, balance, total in wrong[:50]]


def ledger_references() -> list[str]:
    n = invariants.duplicates(LedgerEntry.objects.all(), "wallet", "reference")
    return [f"{n} riferimenti ripetuti nello stesso conto"] if n else []


def topups_credited_once() -> list[str]:
    paid = dict(PaymentPosition.objects.filter(purpose=TOPUP, status__in=[PositionStatus.PAID, PositionStatus.REPORTED])
                .values_list("iuv", "pk"))
    credited = dict(LedgerEntry.objects.filter(kind=LedgerEntry.Kind.TOPUP, reference__startswith="pagopa:")
                    .values("reference").annotate(n=Count("pk")).values_list("reference", "n"))
    problems = [f"ricarica pagata {pk}: {credited.get(f'pagopa:{iuv}', 0)} accrediti"
                for iuv, pk in paid.items() if credited.get(f"pagopa:{iuv}", 0) != 1]
    unpaid = set(credited) - {f"pagopa:{iuv}" for iuv in paid}
    if unpaid:
        problems.append(f"{len(unpaid)} accrediti di ricariche non pagate")
    return problems[:50]


def register() -> None:
    invariants.register("meals.wallets_balance", "ogni saldo è la somma dei suoi movimenti", wallets_balance)
    invariants.register("meals.ledger_references", "nessun movimento ripetuto nello stesso conto", ledger_references)
    invariants.register("meals.topups_credited_once", "ogni ricarica pagata è accreditata una volta", topups_credited_once)

"""Payments' invariants (core.invariants): a notice paid has its receipt and was settled with its owner exactly once;
no receipt twice; IUVs continue from their counter without a reuse."""

from django.db.models import Count

from services.core import invariants
from services.core.models import Sequence

from .models import PaymentPosition, Receipt
from .states import PositionStatus

PAID = [PositionStatus.PAID, PositionStatus.REPORTED]


def paid_settled() -> list[str]:
    paid = PaymentPosition.objects.filter(status__in=PAID)
    unsettled = list(paid.filter(settled_at__isnull=True).values_list("pk", flat=True)[:20])
    without = list(paid.annotate(n=Count("receipts")).filter(n=0).values_list("pk", flat=True)[:20])
    return ([f"avviso pagato {pk} non comunicato al servizio" for pk in unsettled]
            + [f"avviso pagato {pk} senza ricevuta" for pk in without])


def receipts_once() -> list[str]:
    n = invariants.duplicates(Receipt.objects.all(), "ente_fiscal_code", "iuv", "receipt_id")
    return [f"{n} ricevute registrate più volte"] if n else []


def iuv_counter() -> list[str]:
    """Each IUV counter is at least the number of IUVs made from it: the next one cannot reuse an IUV."""
    made = PaymentPosition.objects.count()
    counted = sum(Sequence.objects.filter(key__startswith="iuv:").values_list("last_value", flat=True))
    return [f"{made} avvisi ma il contatore degli IUV è a {counted}"] if counted < made else []


def register() -> None:
    invariants.register("payments.paid_settled", "ogni avviso pagato ha la ricevuta ed è stato comunicato", paid_settled)
    invariants.register("payments.receipts_once", "nessuna ricevuta registrata due volte", receipts_once)
    invariants.register("payments.iuv_counter", "il contatore degli IUV non riusa un numero", iuv_counter)

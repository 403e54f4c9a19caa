"""Writes of the payments module: positions are created with their codes; receipts settle them once."""

import logging
import uuid
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from services.core.sequences import sequence_next

from . import purposes
from .codes import make_iuv, nav_from_iuv
from .creditor import creditor
from .models import SETTLED, PaymentEvent, PaymentPosition, PositionStatus, Receipt
from .money import from_cents, parse_amount, to_cents

logger = logging.getLogger(__name__)


class UnknownPosition(Exception):
    """A receipt for an IUV we never issued."""


@transaction.atomic
def position_create(
    *, owner, purpose: str, amount, description: str, due_date: date, purpose_ref: str = "",
    debtor_fiscal_code: str = "", debtor_name: str = "",
) -> PaymentPosition:
    """A new position with its IUV, NAV and IUPD, unique over time (gapless counter per segregation code)."""
    kind = purposes.get(purpose)
    value = parse_amount(amount, maximum=kind.max_amount)
    ente = creditor()
    iuv = make_iuv(ente.segregation_code, sequence_next(key=f"iuv:{ente.fiscal_code}:{ente.segregation_code}"))
    position = PaymentPosition.objects.create(
        iupd=f"{ente.fiscal_code}-{uuid.uuid4()}", iuv=iuv, nav=nav_from_iuv(iuv), ente_fiscal_code=ente.fiscal_code,
        purpose=purpose, purpose_ref=purpose_ref, taxonomy=kind.taxonomy, owner=owner,
        debtor_fiscal_code=debtor_fiscal_code or owner.fiscal_code,
        debtor_name=(debtor_name or owner.get_full_name() or owner.fiscal_code)[:140],
        description=description[:140], amount=value, due_date=due_date,
    )
    PaymentEvent.objects.create(position=position, kind="created", to_status=position.status,
                                detail={"amount_cents": to_cents(value)})
    return position


def receipt_record(
    *, ente_fiscal_code: str, iuv: str, receipt_id: str, outcome: str, amount_cents: int,
    payment_date: datetime | None = None, psp_name: str = "", payload: dict | None = None, source: str = Receipt.Source.PUSH,
) -> tuple[Receipt, bool]:
    """Record a receipt; (receipt, True) the first time, (existing, False) for a duplicate.

    The first OK receipt of a position settles it and tells its purpose's owner, in the same
    transaction. Another receipt for a settled position (a second payment) is kept for the
    reconciliation report and settles nothing.
    """
    position = PaymentPosition.objects.filter(ente_fiscal_code=ente_fiscal_code, iuv=iuv).first()
    if position is None:
        PaymentEvent.objects.create(kind="receipt_unknown_iuv", detail={"iuv": iuv, "receipt_id": receipt_id, "source": source})
        logger.warning("receipt for an unknown IUV rejected (source %s)", source)
        raise UnknownPosition(iuv)
    try:
        with transaction.atomic():
            return _record_locked(position.pk, ente_fiscal_code, iuv, receipt_id, outcome, amount_cents,
                                  payment_date, psp_name, payload or {}, source)
    except IntegrityError:  # the same receipt committed concurrently: it is already recorded
        return Receipt.objects.get(ente_fiscal_code=ente_fiscal_code, iuv=iuv, receipt_id=receipt_id), False


def _record_locked(position_id, ente_fiscal_code, iuv, receipt_id, outcome, amount_cents, payment_date, psp_name, payload, source):
    position = PaymentPosition.objects.select_for_update().get(pk=position_id)
    existing = Receipt.objects.filter(ente_fiscal_code=ente_fiscal_code, iuv=iuv, receipt_id=receipt_id).first()
    if existing:
        return existing, False
    receipt = Receipt.objects.create(
        position=position, ente_fiscal_code=ente_fiscal_code, iuv=iuv, receipt_id=receipt_id, outcome=outcome,
        amount=from_cents(amount_cents), payment_date=payment_date, psp_name=psp_name[:140], payload=payload, source=source,
    )
    if outcome != "OK":
        PaymentEvent.objects.create(position=position, kind="receipt_ko", detail={"receipt_id": receipt_id})
        return receipt, True
    if amount_cents != to_cents(position.amount):
        PaymentEvent.objects.create(position=position, kind="receipt_amount_mismatch",
                                    detail={"receipt_id": receipt_id, "expected": to_cents(position.amount), "paid": amount_cents})
        return receipt, True
    if position.settled_at is not None or position.status in SETTLED:
        PaymentEvent.objects.create(position=position, kind="paid_twice", detail={"receipt_id": receipt_id})
        return receipt, True
    previous = position.status
    now = timezone.now()
    position.status, position.paid_at, position.settled_at = PositionStatus.PAID, payment_date or now, now
    position.save(update_fields=["status", "paid_at", "settled_at", "updated_at"])
    PaymentEvent.objects.create(position=position, kind="paid", from_status=previous, to_status=position.status,
                                detail={"receipt_id": receipt_id, "source": source})
    handler = purposes.get(position.purpose).on_settled
    if handler:
        handler(position, receipt)
    return receipt, True

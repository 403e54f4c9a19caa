"""Writes of the payments module: positions are created with their codes; receipts settle them once."""

import logging
import uuid
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from services.core import observability, workflow
from services.core.money import from_cents, to_cents
from services.core.sequences import sequence_next
from services.core.tasks import enqueue_after_commit

from . import messages, purposes
from .codes import make_iuv, nav_from_iuv
from .creditor import creditor
from .models import PaymentEvent, PaymentPosition, Receipt
from .states import PAYABLE, PUBLISHED_AS, SETTLED, PositionStatus

logger = logging.getLogger(__name__)


class UnknownPosition(Exception):
    """A receipt for an IUV we never issued."""


ANONYMOUS_DEBTOR = "ANONIMO"  # pagoPA GPD's debtor code when the payer's codice fiscale is not proven


def _debtor_code(owner) -> str:
    """A notice in someone's name shows in their pagoPA and App IO wallet: only a codice fiscale the Comune can stand
    behind names the debtor; one typed at the local sign-up may be somebody else's."""
    return owner.fiscal_code if owner.fiscal_code and getattr(owner, "fiscal_code_trusted", False) else ANONYMOUS_DEBTOR


@transaction.atomic
def position_create(
    *, owner, purpose: str, amount, description: str, due_date: date, purpose_ref: str = "",
    debtor_fiscal_code: str = "", debtor_name: str = "", notify: bool = False, requested_by_citizen: bool = False,
) -> PaymentPosition:
    """A new position with its IUV, NAV and IUPD, unique over time (gapless counter per segregation code). The amount
    is checked here, once, against the purpose's limits; a position the citizen asks for (a top-up) is refused while
    payments are suspended. `notify`: a notice to pay later, sent to the citizen (on App IO with the *Paga* button)."""
    from .suspension import suspension_message

    kind = purposes.get(purpose)
    value = kind.amount(amount)
    if requested_by_citizen and (suspended := suspension_message()):
        raise PaymentsSuspended(suspended)
    ente = creditor()
    iuv = make_iuv(ente.segregation_code, sequence_next(key=f"iuv:{ente.fiscal_code}:{ente.segregation_code}"))
    position = PaymentPosition.objects.create(
        iupd=f"{ente.fiscal_code}-{uuid.uuid4()}", iuv=iuv, nav=nav_from_iuv(iuv), ente_fiscal_code=ente.fiscal_code,
        purpose=purpose, purpose_ref=purpose_ref, taxonomy=kind.taxonomy, owner=owner,
        debtor_fiscal_code=debtor_fiscal_code or _debtor_code(owner),
        debtor_name=(debtor_name or owner.get_full_name() or owner.fiscal_code)[:140],
        description=description[:140], amount=value, due_date=due_date,
    )
    PaymentEvent.objects.create(position=position, kind="created", to_status=position.status,
                                detail={"amount_cents": to_cents(value)})
    from . import tasks

    enqueue_after_commit(tasks.publish_position, position.pk, caught_by="payments.positions_publish_stuck")
    if notify:
        messages.notice_queue(position)
    observability.event("payment.position_created", position_id=position.pk, purpose=purpose, amount_cents=to_cents(value))
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
    observability.event("payment.receipt", position_id=position.pk, outcome=outcome, source=source)
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
    now = timezone.now()
    position_transition(position=position, to=PositionStatus.PAID, kind="paid", detail={"receipt_id": receipt_id, "source": source},
                        paid_at=payment_date or now, settled_at=now)
    handler = purposes.get(position.purpose).on_settled
    if handler:
        handler(position, receipt)
    messages.receipt_queue(position)
    return receipt, True


def _event(position, kind, **detail):
    PaymentEvent.objects.create(position=position, kind=kind, detail=detail)


def position_transition(*, position: PaymentPosition, to: str, kind: str, detail: dict | None = None, **fields) -> PaymentPosition:
    """The one way a position changes state: the kernel checks states.TRANSITIONS and writes the history row
    (`record_event`). The caller holds the row's lock."""
    return workflow.transition(position, to, locked=True, details={"kind": kind, "detail": detail or {}}, **fields)


def record_event(position: PaymentPosition, from_state: str, to_state: str, *, by, actor, note: str, details: dict) -> PaymentEvent:
    """The kernel's event row for a position: its own payment history."""
    return PaymentEvent.objects.create(position=position, kind=details.get("kind", "transition"), from_status=from_state,
                                       to_status=to_state, detail=details.get("detail", {}))


def position_publish(*, position: PaymentPosition) -> PaymentPosition:
    """Create the position on GPD (idempotent: a 409 is confirmed with a GET); NEW → VALID."""
    from . import client

    if position.status != PositionStatus.NEW:
        return position
    remote = client.gpd_create(position, creditor())
    with transaction.atomic():
        locked = PaymentPosition.objects.select_for_update().get(pk=position.pk)
        if locked.status == PositionStatus.NEW:
            status = remote.get("status", "VALID")
            position_transition(position=locked, to=status if status in PUBLISHED_AS else PositionStatus.VALID, kind="published")
    return locked


def checkout_start(*, position: PaymentPosition, urls, email: str = "") -> str:
    """Publish if needed, then ask pagoPA Checkout for a cart; returns where to send the citizen."""
    from . import client
    from .suspension import suspension_message

    message = suspension_message()
    if message:
        raise PaymentsSuspended(message)
    position = position_publish(position=position)
    if position.status not in (PositionStatus.VALID, PositionStatus.PARTIALLY_PAID):
        raise client.PagoPAError("Questo avviso non si può pagare.")
    location = client.checkout_cart(position, creditor(), urls, email)
    PaymentPosition.objects.filter(pk=position.pk).update(checkout_started_at=timezone.now())
    _event(position, "checkout_started")
    return location


def receipt_sync(*, position: PaymentPosition, source: str = Receipt.Source.POLL) -> bool:
    """Ask pagoPA for the position's receipt and record it; True when the position is settled."""
    from . import client

    text = client.receipt_get(position.ente_fiscal_code, position.iuv)
    if text is None:
        return False
    try:
        data = client.parse_receipt_xml(text) if isinstance(text, str) else text
        paid_at = client.payment_date(data.get("paymentDateTime", ""))
    except ValueError as error:  # a receipt pagoPA cannot have meant: kept in the history, the next poll tries again
        _event(position, "receipt_malformed", error=str(error)[:200])
        return False
    receipt_record(
        ente_fiscal_code=position.ente_fiscal_code, iuv=position.iuv, receipt_id=data["receiptId"], outcome=data["outcome"],
        amount_cents=data["amountCents"], payment_date=paid_at,
        psp_name=data.get("pspCompanyName", ""), payload=data, source=source,
    )
    position.refresh_from_db()
    return position.settled_at is not None


def receipts_poll(*, days: int = 3) -> int:
    """The polling job: receipts issued in the last `days` for positions still open here."""
    from datetime import timedelta

    from . import client

    ente = creditor()
    today = timezone.localdate()
    settled = 0
    open_iuvs = set(PaymentPosition.objects.filter(ente_fiscal_code=ente.fiscal_code, settled_at__isnull=True)
                    .values_list("iuv", flat=True))
    for row in client.receipts_list(ente.fiscal_code, date_from=today - timedelta(days=days), date_to=today):
        if row.get("iuv") in open_iuvs:
            position = PaymentPosition.objects.get(ente_fiscal_code=ente.fiscal_code, iuv=row["iuv"])
            settled += receipt_sync(position=position)
    return settled


def positions_publish_stuck(*, now=None) -> int:
    """Positions still NEW (not on GPD) PAGOPA_PUBLISH_STUCK_MINUTES after they were made: the publish task was lost (a
    broker down at commit, a worker killed) or pagoPA kept failing. Hand them to the workers again; publishing is
    idempotent (a 409 is confirmed with a GET). Returns how many."""
    from datetime import timedelta

    from django.conf import settings

    from . import tasks

    now = now or timezone.now()
    stuck = list(PaymentPosition.objects.filter(status=PositionStatus.NEW, created_at__lte=now - timedelta(
        minutes=settings.PAGOPA_PUBLISH_STUCK_MINUTES)).values_list("pk", flat=True)[:500])
    for pk in stuck:
        tasks.publish_position.delay(pk)
    observability.sweep_found("payments_unpublished", len(stuck))
    return len(stuck)


def positions_mop_up(*, now=None) -> dict:
    """Citizens who left for Checkout more than PAGOPA_MOPUP_MINUTES ago and whose payment is not settled:
    ask pagoPA for the receipt, then for the position's state."""
    from datetime import timedelta

    from django.conf import settings

    from . import client

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.PAGOPA_MOPUP_MINUTES)
    result = {"settled": 0, "still_open": 0, "paid_without_receipt": 0}
    stuck = PaymentPosition.objects.filter(checkout_started_at__lte=cutoff, settled_at__isnull=True,
                                           status__in=PAYABLE)
    for position in stuck:
        if receipt_sync(position=position, source=Receipt.Source.MOPUP):
            result["settled"] += 1
            continue
        remote = client.gpd_get(position) or {}
        if remote.get("status") in ("PAID", "REPORTED"):
            _event(position, "paid_without_receipt", gpd_status=remote.get("status"))
            result["paid_without_receipt"] += 1
        else:
            result["still_open"] += 1
    observability.sweep_found("payments_receipts_missing", result["settled"] + result["paid_without_receipt"])
    return result


class PaymentsSuspended(Exception):
    """Payments are suspended; the message is for the citizen."""


def reconcile(*, days: int = 7, today=None) -> dict:
    """Nightly: compare local positions, pagoPA's positions and receipts, and local events; every
    difference becomes a ReconciliationIssue (once per kind, IUV and day) for the admin report."""
    from datetime import timedelta

    from . import client
    from .models import ReconciliationIssue

    ente = creditor()
    today = today or timezone.localdate()
    since = today - timedelta(days=days)
    found = {kind: 0 for kind in ReconciliationIssue.Kind.values}

    def issue(kind, iuv, position=None, **detail):
        _obj, created = ReconciliationIssue.objects.get_or_create(
            kind=kind, iuv=iuv, found_on=today, defaults={"position": position, "detail": detail})
        found[kind] += created

    local = {p.iuv: p for p in PaymentPosition.objects.filter(ente_fiscal_code=ente.fiscal_code, created_at__date__gte=since)}
    for position in local.values():
        if position.status == PositionStatus.NEW:
            try:
                position_publish(position=position)  # a publish that never got through
            except client.PagoPAError:
                pass
            continue
        if position.settled_at is not None:
            continue
        remote = client.gpd_get(position) or {}
        remote_status = remote.get("status")
        if remote_status in ("PAID", "REPORTED") and not receipt_sync(position=position):
            issue(ReconciliationIssue.Kind.PAID_WITHOUT_RECEIPT, position.iuv, position, gpd_status=remote_status)
        elif remote_status and remote_status not in ("PAID", "REPORTED") and remote_status != position.status:
            issue(ReconciliationIssue.Kind.STATE_MISMATCH, position.iuv, position, local=position.status, gpd=remote_status)
    for row in client.receipts_list(ente.fiscal_code, date_from=since, date_to=today):
        if not PaymentPosition.objects.filter(ente_fiscal_code=ente.fiscal_code, iuv=row.get("iuv")).exists():
            issue(ReconciliationIssue.Kind.UNKNOWN_IUV, row.get("iuv", ""), None, debtor=row.get("debtor", ""))
    for event in PaymentEvent.objects.filter(kind__in=["paid_twice", "receipt_amount_mismatch"], created_at__date__gte=since).select_related("position"):
        kind = ReconciliationIssue.Kind.PAID_TWICE if event.kind == "paid_twice" else ReconciliationIssue.Kind.AMOUNT_MISMATCH
        issue(kind, event.position.iuv, event.position, **event.detail)
    return found


def position_invalidate(*, position: PaymentPosition, reason: str) -> PaymentPosition:
    """Withdraw an unpaid notice (GPD invalidate); a paid one cannot be withdrawn."""
    from . import client

    with transaction.atomic():
        locked = PaymentPosition.objects.select_for_update().get(pk=position.pk)
        if locked.settled_at is not None or locked.status in SETTLED:
            raise client.PagoPAError("Un avviso pagato non si può annullare.")
        if locked.status != PositionStatus.NEW:
            client.gpd_invalidate(locked)
        position_transition(position=locked, to=PositionStatus.INVALID, kind="invalidated", detail={"reason": reason})
    return locked


def due_remind(*, today=None) -> int:
    """Notices still to pay whose due date is PAYMENTS_DUE_REMINDER_DAYS away (or less, not yet past): one reminder each,
    through the outbox. Returns how many were reminded now."""
    from datetime import timedelta

    from django.conf import settings

    from services.notifications.models import Message

    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.PAYMENTS_DUE_REMINDER_DAYS)
    reminded = 0
    due = PaymentPosition.objects.filter(status__in=PAYABLE, settled_at__isnull=True, due_date__gte=today, due_date__lte=horizon,
                                         owner__isnull=False).select_related("owner")
    for position in due.iterator():
        if Message.objects.filter(event=f"position-due:{position.pk}", user=position.owner_id).exists():
            continue
        with transaction.atomic():
            messages.due_reminder_queue(position)
        reminded += 1
    return reminded

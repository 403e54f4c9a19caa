"""Writes of the meal account. Every change of a balance is one ledger entry, under the wallet's row lock."""

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from prometheus_client import Counter

from services.core import observability
from services.payments import purposes
from services.payments.actions import position_create
from services.payments.models import PaymentPosition

from .models import LedgerEntry, Wallet

LEDGER_POSTINGS = Counter("sportello_ledger_postings_total", "Entries posted to the meal accounts' ledger, by kind.", ["kind"])
TOPUP = "wallet-topup"  # the payment purpose of a top-up (registered in apps.py with its limits)
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alike characters, for a code read over the phone


def _new_payment_code() -> str:
    return "M" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(9))


def wallet_get_or_create(*, holder) -> Wallet:
    wallet = Wallet.objects.filter(holder=holder).first()
    if wallet:
        return wallet
    for _ in range(5):
        try:
            with transaction.atomic():
                return Wallet.objects.create(holder=holder, payment_code=_new_payment_code())
        except IntegrityError:
            existing = Wallet.objects.filter(holder=holder).first()
            if existing:
                return existing  # created by a concurrent request
    raise RuntimeError("could not allocate a payment code")


class _Duplicate(Exception):
    pass


def ledger_post(*, wallet_id: int, kind: str, amount: Decimal, reference: str, description: str,
                business_date: date | None = None) -> tuple[LedgerEntry, bool]:
    """Post one entry; the same reference twice returns the first entry and changes nothing.

    Two statements on the happy path: the UPDATE that moves the balance also locks the wallet row
    until commit, then the INSERT that the unique (wallet, reference) turns into a no-op for a
    duplicate, in which case the balance change is rolled back.
    """
    day = business_date or timezone.localdate()
    if connection.vendor != "postgresql":  # SQLite computes numeric columns in floating point: do the sum in Python
        return _ledger_post_portable(wallet_id, kind, amount, reference, description, day)
    wallets = connection.ops.quote_name(Wallet._meta.db_table)
    entries = connection.ops.quote_name(LedgerEntry._meta.db_table)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {wallets} SET balance = balance + %s WHERE id = %s RETURNING balance", [amount, wallet_id])  # noqa: S608 - table names from model metadata; every value is a parameter
                row = cursor.fetchone()
                if row is None:
                    raise Wallet.DoesNotExist(wallet_id)
                balance_after = row[0]
                cursor.execute(
                    f"INSERT INTO {entries} (wallet_id, kind, amount, description, reference, business_date, balance_after, created_at) "  # noqa: S608 - table names from model metadata; every value is a parameter
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (wallet_id, reference) DO NOTHING RETURNING id",
                    [wallet_id, kind, amount, description[:200], reference, day, balance_after, timezone.now()],
                )
                inserted = cursor.fetchone()
            if inserted is None:
                raise _Duplicate
    except _Duplicate:
        return LedgerEntry.objects.get(wallet_id=wallet_id, reference=reference), False
    entry = LedgerEntry(pk=inserted[0], wallet_id=wallet_id, kind=kind, amount=amount, description=description[:200],
                        reference=reference, business_date=day, balance_after=balance_after)
    LEDGER_POSTINGS.labels(kind=kind).inc()
    return entry, True


@transaction.atomic
def _ledger_post_portable(wallet_id, kind, amount, reference, description, day):
    wallet = Wallet.objects.select_for_update().get(pk=wallet_id)
    existing = LedgerEntry.objects.filter(wallet=wallet, reference=reference).first()
    if existing:
        return existing, False
    wallet.balance += amount
    wallet.save(update_fields=["balance"])
    entry = LedgerEntry.objects.create(wallet=wallet, kind=kind, amount=amount, reference=reference,
                                       description=description[:200], business_date=day, balance_after=wallet.balance)
    LEDGER_POSTINGS.labels(kind=kind).inc()
    return entry, True


def wallet_credit_topup(position, receipt):
    """pagoPA settled a top-up (called once, inside the receipt's transaction)."""
    ledger_post(
        wallet_id=int(position.purpose_ref), kind=LedgerEntry.Kind.TOPUP, amount=position.amount,
        reference=f"pagopa:{position.iuv}", description=f"Ricarica pagoPA {position.nav}",
        business_date=timezone.localdate(receipt.payment_date or timezone.now()),
    )
    observability.event("payment.credited", position_id=position.pk, wallet_id=int(position.purpose_ref))


REPLAY_MINUTES = 10


def topup_start(*, holder, amount, notify: bool = False) -> "object":
    """A pagoPA position for a top-up of the holder's wallet (payments checks the amount against the purpose's limits,
    and the suspension). `notify`: the citizen pays it later from the notice, which is sent to them (payable from App IO)."""
    value = purposes.get(TOPUP).amount(amount)
    wallet = wallet_get_or_create(holder=holder)

    recent = (PaymentPosition.objects.open().filter(owner=holder, purpose=TOPUP, purpose_ref=str(wallet.pk), amount=value,
                                             created_at__gte=timezone.now() - timedelta(minutes=REPLAY_MINUTES))
              .order_by("-created_at").first())
    if recent:
        return recent  # a double click or a replayed form: the same notice, not a second one
    return position_create(
        owner=holder, purpose=TOPUP, amount=value, purpose_ref=str(wallet.pk),
        description=f"Ricarica conto mensa {wallet.payment_code}",
        due_date=timezone.localdate() + timedelta(days=30), notify=notify, requested_by_citizen=True,
    )


def ledger_mismatches() -> list[tuple[int, Decimal, Decimal]]:
    """Wallets whose balance is not the sum of their entries: (wallet id, balance, sum). Should be empty."""
    from django.db.models import Sum

    cent = Decimal("0.01")  # SQLite sums decimals as floating point: every amount has two decimals, so round the sum
    sums = {w: Decimal(t).quantize(cent) for w, t in
            LedgerEntry.objects.values("wallet").annotate(total=Sum("amount")).values_list("wallet", "total")}
    return [(w.pk, w.balance, sums.get(w.pk, Decimal("0.00")))
            for w in Wallet.objects.all() if w.balance != sums.get(w.pk, Decimal("0.00"))]


class MealChangeError(Exception):
    """The message is for the parent, in Italian."""


def meal_change_set(*, child, day: date, kind: str, by, staff: bool = False, now=None):
    """Cancel a day's meal or ask for a plain one (parents, before the cut-off); record an absence (staff, any time)."""
    from .days import can_change, cutoff, is_school_day
    from .models import MealChange

    if kind not in MealChange.Kind.values or (kind == MealChange.Kind.ABSENT and not staff):
        raise MealChangeError("Operazione non consentita.")
    if not is_school_day(day, child.school_id):
        raise MealChangeError(f"Il {day:%d/%m/%Y} non è un giorno di scuola: non c'è nessun pasto da modificare.")
    if not staff and not can_change(day, now, child.school_id):
        raise MealChangeError(f"Le modifiche per il {day:%d/%m/%Y} si potevano fare fino alle {timezone.localtime(cutoff(day, child.school_id)):%H:%M} di quel giorno.")
    if staff and day_charged(child, day):
        raise MealChangeError(f"Il pasto del {day:%d/%m/%Y} è già stato addebitato: per restituirlo serve una rettifica sul conto.")
    change, _created = MealChange.objects.update_or_create(child=child, day=day, defaults={"kind": kind, "by": by})
    return change


def day_charged(child, day: date) -> bool:
    from .models import LedgerEntry

    return LedgerEntry.objects.filter(wallet_id=child.wallet_id, reference=f"meal:{day.isoformat()}:{child.pk}").exists()


ATTENDANCE = ("present", "absent", "plain")  # what the staff's sheet records for a child and day


@transaction.atomic
def attendance_record(*, children, day: date, states: dict, by) -> dict:
    """Staff's sheet for a day: each child present, absent or on a plain meal. A parent's cancellation stays;
    a day already charged does not move."""
    from .models import MealChange

    counts = {"changed": 0, "refused": []}
    current = dict(MealChange.objects.filter(child__in=children, day=day).values_list("child_id", "kind"))
    for child in children:
        wanted, now = states.get(child.pk), current.get(child.pk, "present")
        if wanted not in ATTENDANCE or wanted == now or now == MealChange.Kind.CANCELLED:
            continue
        if day_charged(child, day):
            counts["refused"].append(child)
            continue
        if wanted == "present":
            MealChange.objects.filter(child=child, day=day).delete()
        else:
            meal_change_set(child=child, day=day, kind=wanted, by=by, staff=True)
        counts["changed"] += 1
    return counts


def meal_change_clear(*, child, day: date, now=None):
    """Back to the normal meal, before the cut-off."""
    from .days import can_change
    from .models import MealChange

    if not can_change(day, now, child.school_id):
        raise MealChangeError(f"Le modifiche per il {day:%d/%m/%Y} non sono più possibili.")
    MealChange.objects.filter(child=child, day=day).exclude(kind=MealChange.Kind.ABSENT).delete()


def child_diet_set(*, child, diet: str, medical_diet: str, by) -> None:
    """A new diet for a child in service: a medical diet keeps its text encrypted; any other diet drops it."""
    from .models import Diet

    child.diet = diet
    child.medical_diet = medical_diet if diet == Diet.MEDICAL else ""
    child.save(update_fields=["diet", "medical_diet"])

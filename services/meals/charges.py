"""The daily meal charge: one batch per business day (Europe/Rome), set-based, idempotent.

For the day D every child in service at a school where D is a school day, without a cancellation
or an absence for D, is charged the price of its fee band (plain meals cost the same). Each charge
is a ledger entry with the reference `meal:<D>:<child id>`, inserted with ON CONFLICT DO NOTHING:
running the same day again inserts nothing and moves no balance. Children are processed in
chunks of CHUNK ids, one transaction each; a balance moves by the sum of what was inserted.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from services.core.clock import is_working_day

from .models import CalendarBreak, Child, LedgerEntry, MealChange, Wallet

CHUNK = 20_000


def charge_day(day: date, *, chunk: int = CHUNK) -> dict:
    if not is_working_day(day):
        return {"day": day.isoformat(), "charged": 0, "amount": Decimal("0.00"), "school_day": False}
    if CalendarBreak.objects.filter(start__lte=day, end__gte=day, school__isnull=True).exists():
        return {"day": day.isoformat(), "charged": 0, "amount": Decimal("0.00"), "school_day": False}
    closed_schools = list(CalendarBreak.objects.filter(start__lte=day, end__gte=day, school__isnull=False).values_list("school_id", flat=True))
    children = Child.objects.filter(service_from__lte=day).exclude(service_to__lt=day)
    bounds = children.order_by("pk").values_list("pk", flat=True)
    ids = list(bounds)
    charged, total = 0, Decimal("0.00")
    for start in range(0, len(ids), chunk):
        low, high = ids[start], ids[min(start + chunk, len(ids)) - 1]
        n, amount = _charge_chunk(day, low, high, closed_schools)
        charged += n
        total += amount
    return {"day": day.isoformat(), "charged": charged, "amount": total, "school_day": True}


def _charge_chunk(day: date, low: int, high: int, closed_schools: list) -> tuple[int, Decimal]:
    t = {m: connection.ops.quote_name(m._meta.db_table) for m in (LedgerEntry, Child, MealChange, Wallet)}
    fee = connection.ops.quote_name(Child._meta.get_field("fee_band").related_model._meta.db_table)
    closed = ""
    params = [f"meal:{day.isoformat()}:", day, timezone.now(), day, day, low, high, day]
    if closed_schools:
        closed = f" AND c.school_id NOT IN ({', '.join(['%s'] * len(closed_schools))})"
        params += closed_schools
    concat = "||" if connection.vendor in ("postgresql", "sqlite") else None
    sql = (
        f"INSERT INTO {t[LedgerEntry]} (wallet_id, kind, amount, description, reference, business_date, balance_after, created_at) "  # noqa: S608 - table names from model metadata; every value is a parameter
        f"SELECT c.wallet_id, 'meal', -f.price, 'Pasto di ' {concat} c.first_name, %s {concat} CAST(c.id AS TEXT), %s, 0, %s "
        f"FROM {t[Child]} c JOIN {fee} f ON f.id = c.fee_band_id "
        f"WHERE c.service_from <= %s AND (c.service_to IS NULL OR c.service_to >= %s) AND c.id BETWEEN %s AND %s "
        f"AND NOT EXISTS (SELECT 1 FROM {t[MealChange]} m WHERE m.child_id = c.id AND m.day = %s AND m.kind IN ('cancelled', 'absent'))"
        f"{closed} ON CONFLICT (wallet_id, reference) DO NOTHING RETURNING wallet_id, amount"
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        deltas: dict[int, Decimal] = defaultdict(Decimal)
        for wallet_id, amount in rows:
            deltas[wallet_id] += Decimal(str(amount)).quantize(Decimal("0.01"))
        _move_balances(deltas, day)
    return len(rows), sum(deltas.values(), Decimal("0.00"))


def _move_balances(deltas: dict, day: date):
    """Add each wallet's total for the day and write the resulting balance on that day's meal entries."""
    if not deltas:
        return
    if connection.vendor == "postgresql":
        wallets = connection.ops.quote_name(Wallet._meta.db_table)
        entries = connection.ops.quote_name(LedgerEntry._meta.db_table)
        values = ", ".join(["(%s, %s::numeric)"] * len(deltas))
        params = [x for item in deltas.items() for x in item]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH d(wallet_id, delta) AS (VALUES {values}), "  # noqa: S608 - table names from model metadata; every value is a parameter
                f"w AS (UPDATE {wallets} SET balance = balance + d.delta FROM d WHERE {wallets}.id = d.wallet_id RETURNING {wallets}.id, balance) "
                f"UPDATE {entries} e SET balance_after = w.balance FROM w WHERE e.wallet_id = w.id AND e.kind = 'meal' "
                f"AND e.business_date = %s AND e.balance_after = 0",
                params + [day],
            )
        return
    for wallet in Wallet.objects.select_for_update().filter(pk__in=list(deltas)):  # SQLite: exact sums in Python
        wallet.balance += deltas[wallet.pk]
        wallet.save(update_fields=["balance"])
        LedgerEntry.objects.filter(wallet=wallet, kind="meal", business_date=day, balance_after=0).update(balance_after=wallet.balance)

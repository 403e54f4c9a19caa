"""Gapless counters (application numbers such as SERV06_UTENTI_2022.0000008).

The next value is taken by an UPDATE on the sequence's row inside the caller's transaction:
the row stays locked until that transaction ends, so concurrent callers queue up, and a
transaction that rolls back gives its number back. Call it as late as possible in the
transaction that uses the number.
"""

from django.db import IntegrityError, connection, transaction

from .models import Sequence


def sequence_next(*, key: str) -> int:
    if not connection.in_atomic_block:
        raise RuntimeError("sequence_next must run inside transaction.atomic()")
    value = _increment(key)
    if value is None:
        try:
            with transaction.atomic():  # a savepoint: losing the race to create the row is fine
                Sequence.objects.create(key=key)
        except IntegrityError:
            pass
        value = _increment(key)
    return value


def _increment(key: str) -> int | None:
    """One statement: UPDATE ... RETURNING (PostgreSQL, SQLite >= 3.35). None when the row is missing."""
    table = connection.ops.quote_name(Sequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last_value = last_value + 1 WHERE key = %s RETURNING last_value", [key])  # noqa: S608 - table names from model metadata; every value is a parameter
        row = cursor.fetchone()
    return row[0] if row else None


def format_number(*, code: str, year: int, value: int) -> str:
    """`<CODE>_<YEAR>.<7 digits>`, the application number format of DESIGN §5."""
    return f"{code}_{year}.{value:07d}"

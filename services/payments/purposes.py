"""Who is told when a payment settles. `payments` imports none of its users: they register here.

    purposes.register("wallet-topup", label="Ricarica del conto mensa", taxonomy="9/0101108TS/", on_settled=credit)

`on_settled(position, receipt)` runs inside the transaction that records the receipt, exactly once
per position: if it raises, the receipt is not recorded and the next push or poll tries again.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Purpose:
    code: str
    label: str
    taxonomy: str  # pagoPA taxonomy code for the transfer's category
    on_settled: Callable | None = None
    max_amount: object = None  # Decimal


_purposes: dict[str, Purpose] = {}


def register(code: str, *, label: str, taxonomy: str, on_settled: Callable | None = None, max_amount=None) -> Purpose:
    purpose = Purpose(code=code, label=label, taxonomy=taxonomy, on_settled=on_settled, max_amount=max_amount)
    _purposes[code] = purpose
    return purpose


def unregister(code: str) -> None:
    _purposes.pop(code, None)


def get(code: str) -> Purpose:
    return _purposes[code]

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
    min_amount: object = None  # Decimal

    def amount(self, value):
        """The amount a person typed or a caller passed, checked against this purpose's limits: the one check, which
        the forms (for the message next to the field) and `position_create` both call."""
        from services.core.money import parse_amount

        return parse_amount(value, maximum=self.max_amount, minimum=self.min_amount)


_purposes: dict[str, Purpose] = {}


def register(code: str, *, label: str, taxonomy: str, on_settled: Callable | None = None, max_amount=None,
             min_amount=None) -> Purpose:
    purpose = Purpose(code=code, label=label, taxonomy=taxonomy, on_settled=on_settled, max_amount=max_amount,
                      min_amount=min_amount)
    _purposes[code] = purpose
    return purpose


def unregister(code: str) -> None:
    _purposes.pop(code, None)


def get(code: str) -> Purpose:
    return _purposes[code]

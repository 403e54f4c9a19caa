"""When a built procedure shows a field or a step: an earlier answer equals a value, is one of some values, or is over
a value. A condition is data — {"campo": code, "operatore": "uguale" | "tra" | "oltre", "valore": …} — evaluated here;
nothing from the database is ever executed."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

OPERATORS = ("uguale", "tra", "oltre")


class ConditionError(ValueError):
    """A condition that cannot be read: the message says why, in Italian, for the editor."""


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: object

    @classmethod
    def parse(cls, data) -> "Condition":
        if not isinstance(data, dict):
            raise ConditionError("La condizione deve indicare campo, operatore e valore.")
        field, operator, value = data.get("campo"), data.get("operatore"), data.get("valore")
        if not isinstance(field, str) or not field:
            raise ConditionError("La condizione non indica il campo da cui dipende.")
        if operator not in OPERATORS:
            raise ConditionError(f"Operatore «{operator}» sconosciuto: usa uguale, tra oppure oltre.")
        if operator == "tra" and (not isinstance(value, list) or not value):
            raise ConditionError("Con l'operatore «tra» il valore è un elenco di almeno una voce.")
        if operator == "oltre" and comparable(value) is None:
            raise ConditionError("Con l'operatore «oltre» il valore è un numero o una data (AAAA-MM-GG).")
        if operator == "uguale" and (value is None or isinstance(value, list | dict)):
            raise ConditionError("Con l'operatore «uguale» il valore è uno solo.")
        return cls(field, operator, value)

    def values(self) -> list:
        """The values the condition names (to check them against a choice's options)."""
        return list(self.value) if self.operator == "tra" else [self.value]

    def holds(self, answers: dict) -> bool:
        """Whether the condition is true of the answers given so far; an answer not given (a hidden or skipped field)
        makes it false. A multiple choice holds "uguale" when it includes the value, "tra" when it includes any."""
        answer = answers.get(self.field)
        if answer is None or answer == "" or answer == []:
            return False
        given = answer if isinstance(answer, list | tuple) else [answer]
        if self.operator == "uguale":
            return any(_same(a, self.value) for a in given)
        if self.operator == "tra":
            return any(_same(a, v) for a in given for v in self.value)
        left, right = comparable(answer), comparable(self.value)
        return left is not None and right is not None and type(left) is type(right) and left > right


def _same(answer, value) -> bool:
    if isinstance(value, bool) or isinstance(answer, bool):
        return answer is value or str(answer).lower() == str(value).lower()
    return str(answer) == str(value)


def comparable(value):
    """A number (Decimal) or a date, as definitions and forms keep them (numbers as text with a dot, dates as ISO
    text); None otherwise — also for NaN and infinities, which compare with nothing. The builder's one reader of the
    numbers and dates written in a definition."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        found = date.fromisoformat(text) if len(text) == 10 and text[4] == "-" else Decimal(text)
    except (ValueError, InvalidOperation):
        return None
    return found if isinstance(found, date) or found.is_finite() else None

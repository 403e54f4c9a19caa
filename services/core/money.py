"""Money and numbers as Italians and machines write them: one parser, one formatter.

Amounts are Decimal euros inside and integer cents at the pagoPA boundary; never floats. The parser reads
`1.234,56`, `1234,56`, `1234.56`, `12,5` and `1.234` (a dot followed by exactly three digits, and no comma,
groups thousands: 1234), with an optional `€` and spaces; the formatter writes `1.234,56`.
"""

import re
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("999999999.99")  # the notice's largest printable amount
CENT = Decimal("0.01")
_THOUSANDS_ONLY = re.compile(r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+")  # 1.234, 12.345.678: no decimal part
_ITALIAN = re.compile(r"-?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+),[0-9]+")  # 1.234,56 / 1234,56 / 12,5
_PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # 1234.56 / 12.5 / 42


class NumberError(ValueError):
    """Not a number as Italians write it; the message is for the user, in Italian."""


class AmountError(NumberError):
    """The message is for the user, in Italian."""


def parse_decimal(text) -> Decimal | None:
    """The one parser of typed numbers: None when empty, NumberError when not a number."""
    if isinstance(text, float):
        raise NumberError("Numero non valido.")  # a float has already lost precision
    if isinstance(text, Decimal | int):
        return Decimal(text)
    cleaned = re.sub(r"[\s\u00a0€]", "", str(text or ""))
    if not cleaned:
        return None
    if _THOUSANDS_ONLY.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    elif _ITALIAN.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif not _PLAIN.fullmatch(cleaned):
        raise NumberError("Scrivi un numero, ad esempio 1.234,56 o 12,5.")
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the patterns above admit only valid decimals
        raise NumberError("Scrivi un numero, ad esempio 1.234,56 o 12,5.") from error


def parse_amount(value, *, maximum: Decimal | None = None, minimum: Decimal | None = None) -> Decimal:
    """A positive amount in euros with at most two decimals, from `minimum`, within `maximum` and the notice's limit."""
    try:
        amount = parse_decimal(value)
    except NumberError as error:
        raise AmountError("Scrivi l'importo in euro, ad esempio 25,50.") from error
    if amount is None:
        raise AmountError("Scrivi l'importo in euro, ad esempio 25,50.")
    if amount <= 0:
        raise AmountError("L'importo deve essere maggiore di zero.")
    if amount != amount.quantize(CENT):
        raise AmountError("L'importo può avere al massimo due decimali (i centesimi).")
    amount = amount.quantize(CENT)
    limit = min(maximum, MAX_AMOUNT) if maximum is not None else MAX_AMOUNT
    if amount > limit:
        raise AmountError(f"L'importo massimo è € {format_euro(limit)}.")
    if minimum is not None and amount < minimum:
        raise AmountError(f"L'importo minimo è € {format_euro(minimum)}.")
    return amount


def to_cents(amount: Decimal) -> int:
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise AmountError("L'importo può avere al massimo due decimali (i centesimi).")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(CENT)


def format_number(value: Decimal | int, places: int | None = None) -> str:
    """Italian format: 1.234,56; `places` fixes the decimals, None keeps the value's own (12,5)."""
    value = Decimal(value)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    sign, text = ("-", f"{-value:f}") if value < 0 else ("", f"{value:f}")
    whole, _, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_euro(amount: Decimal) -> str:
    """Money in Italian format without the symbol: 1.234,56."""
    return format_number(amount, 2)


def euro(amount: Decimal | None) -> str:
    """Money as a person reads it: € 1.234,56 ("" for nothing)."""
    return "" if amount in (None, "") else f"€ {format_euro(amount)}"

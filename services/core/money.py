"""Amounts: Decimal euros inside, integer cents at the pagoPA boundary; never floats."""

from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("999999999.99")  # the notice's largest printable amount


class AmountError(ValueError):
    """The message is for the user, in Italian."""


def parse_amount(value, *, maximum: Decimal | None = None) -> Decimal:
    if isinstance(value, float):
        raise AmountError("Importo non valido.")  # a float has already lost precision
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if not isinstance(value, Decimal) else value
    except InvalidOperation as error:
        raise AmountError("Scrivi l'importo in euro, ad esempio 25,50.") from error
    if not amount.is_finite():
        raise AmountError("Scrivi l'importo in euro, ad esempio 25,50.")
    if amount <= 0:
        raise AmountError("L'importo deve essere maggiore di zero.")
    if amount != amount.quantize(Decimal("0.01")):
        raise AmountError("L'importo può avere al massimo due decimali (i centesimi).")
    amount = amount.quantize(Decimal("0.01"))
    limit = min(maximum, MAX_AMOUNT) if maximum is not None else MAX_AMOUNT
    if amount > limit:
        raise AmountError(f"L'importo massimo è € {format_euro(limit)}.")
    return amount


def to_cents(amount: Decimal) -> int:
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise AmountError("L'importo può avere al massimo due decimali (i centesimi).")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


def format_euro(amount: Decimal) -> str:
    """Italian format without the symbol: 1.234,56."""
    whole, _, frac = f"{amount:,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{frac}"

"""One parser for what Italians and machines type, one formatter for € 1.234,56; never floats."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.core.money import AmountError, NumberError, euro, format_euro, format_number, parse_amount, parse_decimal


@pytest.mark.parametrize("text, value", [
    ("1.234,56", "1234.56"), ("1234,56", "1234.56"), ("1234.56", "1234.56"), ("12,5", "12.5"), ("12.5", "12.5"),
    ("1.234", "1234"), ("2.000", "2000"), ("1.234.567,8", "1234567.8"), ("€ 0,00", "0.00"), (" € 1.234,56 ", "1234.56"),
    ("-3,40", "-3.40"), ("0.500", "0.500"), ("42", "42"), ("", None), ("   ", None),
])
def test_what_people_type(text, value):
    assert parse_decimal(text) == (Decimal(value) if value is not None else None)


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1.23,4.5", "12,", ",5", "1 234x", "1.2345,6", "NaN", "Infinity", "1e5"])
def test_not_numbers_are_refused_in_italian(text):
    with pytest.raises(NumberError, match="Scrivi un numero"):
        parse_decimal(text)


def test_floats_are_refused():
    with pytest.raises(NumberError):
        parse_decimal(1.1)
    with pytest.raises(AmountError):
        parse_amount(1.1)


@pytest.mark.parametrize("value, text", [
    (Decimal("1234.56"), "1.234,56"), (Decimal("0.5"), "0,50"), (Decimal("-3.4"), "-3,40"), (Decimal("1000000"), "1.000.000,00"),
])
def test_the_formatter(value, text):
    assert format_euro(value) == text and euro(value) == f"€ {text}"


def test_numbers_keep_their_own_decimals():
    assert format_number(Decimal("12.5")) == "12,5" and format_number(Decimal("1234")) == "1.234"
    assert euro(None) == ""


@pytest.mark.parametrize("text, message", [
    ("0", "maggiore di zero"), ("10,001", "al massimo due decimali"), ("dieci", "Scrivi l'importo"), ("2.000.000.000", "massimo"),
])
def test_amounts(text, message):
    with pytest.raises(AmountError, match=message):
        parse_amount(text)


@given(st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2, allow_nan=False, allow_infinity=False))
def test_parse_of_format_is_the_same_amount(value):
    assert parse_decimal(format_euro(value)) == value
    assert parse_decimal(euro(value)) == value


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2, allow_nan=False, allow_infinity=False))
def test_a_valid_amount_parses_back_from_every_way_of_writing_it(value):
    assert parse_amount(format_euro(value)) == value
    assert parse_amount(f"{value:f}") == value

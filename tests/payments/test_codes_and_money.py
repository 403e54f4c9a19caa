from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.core.money import AmountError, format_euro, from_cents, parse_amount, to_cents
from services.payments.codes import check_digits, is_valid_iuv, is_valid_nav, make_iuv, nav_from_iuv, printed_nav, qr_payload


def test_the_worked_example_of_design_and_saci():
    assert check_digits("01", "0000000000001") == "44"
    iuv = make_iuv("01", 1)
    assert iuv == "01000000000000144"
    nav = nav_from_iuv(iuv)
    assert nav == "301000000000000144"
    assert printed_nav(nav) == "3010 0000 0000 0001 44"
    assert qr_payload(nav=nav, ente_fiscal_code="80012340420", cents=2500) == "PAGOPA|002|301000000000000144|80012340420|2500"


@pytest.mark.parametrize("segregation, base, check", [
    ("00", "0000000000000", f"{3000000000000000 % 93:02d}"),
    ("45", "9999999999999", f"{3459999999999999 % 93:02d}"),
    ("12", "0000000123456", f"{3120000000123456 % 93:02d}"),
])
def test_check_digits_vectors(segregation, base, check):
    assert check_digits(segregation, base) == check


@given(segregation=st.integers(0, 99), number=st.integers(1, 10**13 - 1))
def test_every_generated_code_validates_and_has_its_parts(segregation, number):
    seg = f"{segregation:02d}"
    iuv = make_iuv(seg, number)
    assert len(iuv) == 17 and iuv.startswith(seg) and int(iuv[2:15]) == number
    assert int(iuv[15:]) == int("3" + iuv[:15]) % 93
    assert is_valid_iuv(iuv) and is_valid_nav(nav_from_iuv(iuv))


@given(number=st.integers(1, 10**13 - 1), position=st.integers(0, 16), digit=st.integers(1, 9))
def test_a_changed_digit_is_caught(number, position, digit):
    iuv = make_iuv("01", number)
    changed = iuv[:position] + str((int(iuv[position]) + digit) % 10) + iuv[position + 1:]
    # mod 93 catches every single-digit change in the 15 data digits; a changed check digit never matches
    assert not is_valid_iuv(changed)


@pytest.mark.parametrize("bad", ["", "3010000000000001", "401000000000000144", "301000000000000145", "30100000000000014a"])
def test_invalid_notice_numbers(bad):
    assert not is_valid_nav(bad)


@pytest.mark.parametrize("value, expected", [("25", "25.00"), ("25,5", "25.50"), (Decimal("0.01"), "0.01"), ("1.234", "1234.00"), ("1.234,5", "1234.50"), ("0,001", None)])
def test_amounts(value, expected):
    if expected is None:
        with pytest.raises(AmountError, match="al massimo due decimali"):
            parse_amount(value)
    else:
        assert parse_amount(value) == Decimal(expected)


@pytest.mark.parametrize("value, message", [
    ("0", "maggiore di zero"), ("-5", "maggiore di zero"), ("abc", "Scrivi l'importo"), ("NaN", "Scrivi l'importo"),
    ("1000000000", "L'importo massimo"), ("0.001", "al massimo due decimali"),
])
def test_bad_amounts_say_why(value, message):
    with pytest.raises(AmountError, match=message):
        parse_amount(value)


def test_floats_are_refused_and_limits_per_purpose():
    with pytest.raises(AmountError):
        parse_amount(25.5)
    with pytest.raises(AmountError, match="L'importo massimo è € 500,00"):
        parse_amount("500.01", maximum=Decimal("500"))


@given(cents=st.integers(1, 99_999_999_999))
def test_cents_round_trip(cents):
    assert to_cents(from_cents(cents)) == cents


def test_italian_format():
    assert format_euro(Decimal("1234.5")) == "1.234,50"
    assert format_euro(Decimal("0.05")) == "0,05"

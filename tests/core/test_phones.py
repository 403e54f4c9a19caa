import pytest

from services.core.phones import PhoneError, normalise_phone


@pytest.mark.parametrize("typed, e164", [
    ("333 123 4567", "+393331234567"), ("+39 333-1234567", "+393331234567"), ("0039 333 1234567", "+393331234567"),
    ("071 222 3333", "+390712223333"), ("", ""),
])
def test_numbers_are_kept_in_e164(typed, e164):
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize("typed", ["abc", "12", "+39 333", "071 222 3333"])
def test_a_mobile_that_is_not_one_is_refused_in_italian(typed):
    with pytest.raises(PhoneError, match="numero di cellulare valido|Per gli SMS serve un numero di cellulare"):
        normalise_phone(typed, mobile=True)

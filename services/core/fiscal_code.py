"""Codice fiscale: normalisation and validation (syntax, check character, omocodia, birth date, birthplace)."""

from functools import lru_cache

from codicefiscale import codicefiscale
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale as stdnum_cf


def normalize(value: str) -> str:
    """Upper-case, no spaces, and without the `TINIT-` prefix SPID sends."""
    value = (value or "").strip().upper().replace(" ", "")
    return value[6:] if value.startswith("TINIT-") else value


def is_valid(value: str) -> bool:
    return _is_valid(normalize(value))


@lru_cache(maxsize=4096)
def _is_valid(value: str) -> bool:
    """Cached per process: python-codicefiscale's birthplace check costs ~2 ms and a form checks a code more than once."""
    if len(value) != 16:
        return False
    try:
        stdnum_cf.validate(value)
    except StdnumError:
        return False
    return codicefiscale.is_valid(value)


@lru_cache(maxsize=4096)
def birth_date(value: str):
    """The birth date encoded in a valid codice fiscale."""
    return codicefiscale.decode(normalize(value))["birthdate"].date()

"""Codice fiscale: normalisation and validation (syntax, check character, omocodia, birth date, birthplace)."""

from codicefiscale import codicefiscale
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale as stdnum_cf


def normalize(value: str) -> str:
    """Upper-case, no spaces, and without the `TINIT-` prefix SPID sends."""
    value = (value or "").strip().upper().replace(" ", "")
    return value[6:] if value.startswith("TINIT-") else value


def is_valid(value: str) -> bool:
    value = normalize(value)
    if len(value) != 16:
        return False
    try:
        stdnum_cf.validate(value)
    except StdnumError:
        return False
    return codicefiscale.is_valid(value)

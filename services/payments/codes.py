"""pagoPA identifiers (SACI 3.x): IUV = segregation code (2) + base (13) + check (2);
NAV (codice avviso) = aux digit 3 + IUV. Check = int("3" + segregation + base) mod 93, two digits."""

import re

AUX_DIGIT = "3"
NAV_RE = re.compile(r"^3[0-9]{17}$")


def check_digits(segregation: str, base: str) -> str:
    if not (len(segregation) == 2 and (segregation.isascii() and segregation.isdigit())):
        raise ValueError("the segregation code has 2 digits")
    if not (len(base) == 13 and (base.isascii() and base.isdigit())):
        raise ValueError("the IUV base has 13 digits")
    return f"{int(AUX_DIGIT + segregation + base) % 93:02d}"


def make_iuv(segregation: str, number: int) -> str:
    """The IUV for the `number`-th position of this segregation code (unique as long as numbers are)."""
    if not 0 < number < 10**13:
        raise ValueError("the IUV base is a positive number of at most 13 digits")
    base = f"{number:013d}"
    return segregation + base + check_digits(segregation, base)


def nav_from_iuv(iuv: str) -> str:
    if not is_valid_iuv(iuv):
        raise ValueError("invalid IUV")
    return AUX_DIGIT + iuv


def is_valid_iuv(iuv: str) -> bool:
    if not (len(iuv) == 17 and (iuv.isascii() and iuv.isdigit())):
        return False
    return check_digits(iuv[:2], iuv[2:15]) == iuv[15:]


def is_valid_nav(nav: str) -> bool:
    nav = (nav or "").replace(" ", "")
    return bool(NAV_RE.match(nav)) and is_valid_iuv(nav[1:])


def printed_nav(nav: str) -> str:
    """The notice prints the code in groups of four: `3010 0000 0000 0001 44`."""
    return " ".join(nav[i:i + 4] for i in range(0, len(nav), 4))


def qr_payload(*, nav: str, ente_fiscal_code: str, cents: int) -> str:
    """`PAGOPA|002|<NAV 18>|<ente CF 11>|<cents>`, NAV and CF left-padded with zeros as pagoPA's generator does."""
    return f"PAGOPA|002|{nav.zfill(18)}|{ente_fiscal_code.zfill(11)}|{cents}"

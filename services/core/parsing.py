"""Numbers and text from URLs, query strings and forms, read one way everywhere.

`str.isdigit()` is true for superscripts and Arabic-Indic digits, which `int()` then refuses (or reads): an id is
ASCII digits within the database's range, or nothing. A citizen's words handed to full-text search are plain terms,
never the engine's query syntax (SQLite FTS5 and PostgreSQL read quotes, `-`, `*`, `:` and `NEAR` as operators)."""

import re

from django.http import Http404

MAX_ID = 2**63 - 1  # PostgreSQL bigint, Django's BigAutoField
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")
_WORD = re.compile(r"\w+", re.UNICODE)


def parse_id(value, *, maximum: int = MAX_ID) -> int | None:
    """A positive integer written in ASCII digits (surrounding spaces allowed) not above `maximum`; else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= maximum else None
    text = str(value or "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= maximum else None


def id_or_404(value, *, maximum: int = MAX_ID) -> int:
    number = parse_id(value, maximum=maximum)
    if number is None:
        raise Http404("not an id")
    return number


def parse_int(value, *, minimum: int, maximum: int) -> int | None:
    """An integer (ASCII digits, optional minus) within [minimum, maximum]; else None."""
    text = str(value if value is not None else "").strip()
    if not re.fullmatch(r"-?[0-9]{1,19}", text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def plain_terms(text: str, *, limit: int = 32) -> str:
    """The words of a sentence as plain search terms: letters and digits of any script, nothing an engine would read
    as an operator (`Ho letto "l'avviso"` → `Ho letto l avviso`). At most `limit` terms, NUL characters dropped."""
    words = [w for w in _WORD.findall((text or "").replace("\x00", " ")) if w.upper() not in {"AND", "OR", "NOT", "NEAR"}]
    return " ".join(words[:limit])


class IdConverter:
    """`<id:pk>` in URLs: ASCII digits that fit a bigint. Django's `<int:…>` takes any length, and a 20-digit id then
    fails in the database (SQLite's OverflowError, PostgreSQL's "out of range") as a 500 instead of a 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))

"""Province and comuni from the shipped ISTAT-derived list (data/comuni.json, see data/build_comuni.py)."""

import json
from functools import cache
from pathlib import Path


@cache
def _data() -> dict:
    return json.loads((Path(__file__).parent / "data" / "comuni.json").read_text())


@cache
def provinces() -> list[tuple[str, str]]:
    return [(code, name) for code, name in _data()["provinces"]]


@cache
def _comuni_of(province: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, name) for code, name in _data()["comuni"].get(province, []))


def comuni_of(province: str) -> list[tuple[str, str]]:
    return list(_comuni_of(province if isinstance(province, str) else ""))


def comune_name(province: str, code: str) -> str | None:
    return dict(comuni_of(province)).get(code)


@cache
def all_comuni() -> list[tuple[str, str]]:
    """Every Comune as (ISTAT code, "Name (province)"), by name: the options of a built procedure's list."""
    return sorted(((code, f"{name} ({province})") for province, rows in _data()["comuni"].items() for code, name in rows),
                  key=lambda row: row[1])

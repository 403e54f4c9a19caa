"""Who the ente is, read from one place by receipts, statements, notices, e-mails and pages.

Identity is deployment configuration: the fiscal code is the pagoPA creditor's (`PAGOPA_CREDITOR`, which
receipts are matched on, so the code printed on a notice and the one in the footer can never differ) and the
IPA code is the one the SPID metadata declares (`SPID_IPA_CODE`). What is editorial (name as the site shows
it, region, logo, address, contacts, links) is edited in the CMS, which registers a source for it here
(`register_editorial_source`, called by `home` at start-up): services read the ente without importing the CMS.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Ente:
    name: str
    fiscal_code: str
    ipa_code: str
    region_name: str = ""
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    pec: str = ""
    logo: Any = None  # an image object of the CMS, or None
    extra: dict = field(default_factory=dict)  # other editorial values (links) the source provides


EDITORIAL_FIELDS = ("name", "region_name", "street_address", "postal_code", "city", "phone", "email", "pec", "logo")

_editorial_source: Callable[[], dict] | None = None


def register_editorial_source(source: Callable[[], dict]) -> None:
    """`source()` returns the editorial values (a dict with any of EDITORIAL_FIELDS and more)."""
    global _editorial_source
    _editorial_source = source


def fiscal_code() -> str:
    return settings.PAGOPA_CREDITOR.get("fiscal_code", "")


def ipa_code() -> str:
    return getattr(settings, "SPID_IPA_CODE", "")


def current() -> Ente:
    values = dict(_editorial_source()) if _editorial_source else {}
    known = {key: values.pop(key) for key in EDITORIAL_FIELDS if key in values}
    known.setdefault("name", settings.PAGOPA_CREDITOR.get("company_name", ""))
    return Ente(fiscal_code=fiscal_code(), ipa_code=ipa_code(), extra=values, **known)

"""The creditor entity (ente creditore) as pagoPA knows it, from settings."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from stdnum import luhn


@dataclass(frozen=True)
class Creditor:
    fiscal_code: str  # 11 digits
    segregation_code: str  # 2 digits, assigned by pagoPA
    iban: str
    company_name: str  # ENTE.NOME on the notice, ≤ 140 for GPD
    office_name: str  # ENTE.SETTORE
    cbill: str = ""


def creditor() -> Creditor:
    conf = settings.PAGOPA_CREDITOR
    fiscal_code = conf.get("fiscal_code", "")
    if not (len(fiscal_code) == 11 and (fiscal_code.isascii() and fiscal_code.isdigit()) and luhn.is_valid(fiscal_code)):
        raise ImproperlyConfigured("PAGOPA_CREDITOR['fiscal_code'] must be the ente's 11-digit fiscal code, with its check digit")
    segregation = conf.get("segregation_code", "")
    if not (len(segregation) == 2 and (segregation.isascii() and segregation.isdigit())):
        raise ImproperlyConfigured("PAGOPA_CREDITOR['segregation_code'] must have 2 digits")
    return Creditor(
        fiscal_code=fiscal_code, segregation_code=segregation, iban=conf.get("iban", ""),
        company_name=conf.get("company_name", ""), office_name=conf.get("office_name", ""), cbill=conf.get("cbill", ""),
    )

"""Switch-over import (seed 004): families and opening balances from the old system's CSV.

CSV (UTF-8, `;` or `,`): codice_fiscale;cognome;nome;email;saldo   — saldo in euros, `1.234,56` or `1234.56`.
`plan()` reads and checks everything and changes nothing; `apply()` applies a clean plan in one
transaction. Each opening balance is posted with the reference `opening:<codice fiscale>`, so
importing the same file again (or a corrected one) never posts a balance twice.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from services.accounts.selectors import trusted_user
from services.core import fiscal_code
from services.core.money import CENT, NumberError, euro, parse_decimal

from .actions import ledger_post, wallet_get_or_create
from .models import LedgerEntry

COLUMNS = ["codice_fiscale", "cognome", "nome", "email", "saldo"]


@dataclass
class Plan:
    rows: list = field(default_factory=list)  # (line, cf, surname, name, email, balance, existing_user)
    errors: list = field(default_factory=list)  # (line, message)
    duplicates: list = field(default_factory=list)  # (line, cf)
    already_imported: list = field(default_factory=list)  # cf

    @property
    def matched(self):
        return [r for r in self.rows if r[6] is not None]

    @property
    def unmatched(self):
        return [r for r in self.rows if r[6] is None]

    @property
    def total(self) -> Decimal:
        return sum((r[5] for r in self.rows), Decimal("0.00"))

    @property
    def ok(self) -> bool:
        return not self.errors and not self.duplicates

    def report(self) -> str:
        lines = [
            f"Righe valide: {len(self.rows)} (famiglie già registrate: {len(self.matched)}, nuove: {len(self.unmatched)})",
            f"Saldi da importare: {euro(self.total)}",
            f"Già importati (saltati): {len(self.already_imported)}",
            f"Codici fiscali ripetuti: {len(self.duplicates)}",
            f"Errori: {len(self.errors)}",
        ]
        lines += [f"  riga {line}: codice fiscale {cf} ripetuto" for line, cf in self.duplicates]
        lines += [f"  riga {line}: {message}" for line, message in self.errors]
        return "\n".join(lines)


def _amount(text: str) -> Decimal:
    """A balance, possibly negative, with at most two decimals (the project's one parser)."""
    value = parse_decimal(text)
    if value is None or value != value.quantize(CENT):
        raise NumberError(text)
    return value.quantize(CENT)


def plan(content: str) -> Plan:
    result = Plan()
    try:
        dialect = csv.Sniffer().sniff(content.splitlines()[0] if content else "", delimiters=";,")
    except csv.Error:
        result.errors.append((1, "intestazione non riconosciuta: servono le colonne " + ";".join(COLUMNS)))
        return result
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    if [c.strip().lower() for c in (reader.fieldnames or [])] != COLUMNS:
        result.errors.append((1, "intestazione non riconosciuta: servono le colonne " + ";".join(COLUMNS)))
        return result
    seen = {}
    for line, row in enumerate(reader, start=2):
        code = fiscal_code.normalize(row.get("codice_fiscale") or "")
        if not fiscal_code.is_valid(code):
            result.errors.append((line, f"codice fiscale non valido: {code or '(vuoto)'}"))
            continue
        try:
            balance = _amount(row.get("saldo") or "")
        except NumberError:
            result.errors.append((line, f"saldo non valido: {row.get('saldo')!r}"))
            continue
        if code in seen:
            result.duplicates.append((line, code))
            continue
        seen[code] = line
        if LedgerEntry.objects.filter(reference=f"opening:{code}").exists():
            result.already_imported.append(code)
            continue
        user = trusted_user(code)  # never an account that only typed this codice fiscale at the local sign-up
        result.rows.append((line, code, (row.get("cognome") or "").strip(), (row.get("nome") or "").strip(),
                            (row.get("email") or "").strip(), balance, user))
    return result


def apply(content: str) -> Plan:
    """All or nothing: a plan with errors or duplicates changes nothing."""
    result = plan(content)
    if not result.ok:
        return result
    User = get_user_model()
    with transaction.atomic():
        for _line, code, surname, name, email, balance, user in result.rows:
            if user is None:
                user = User.objects.create_user(username=code, fiscal_code=code, first_name=name, last_name=surname,
                                                email=email if email and not User.objects.filter(email=email).exists() else "")
                user.set_unusable_password()  # seed 004: old credentials are not carried over
                user.save(update_fields=["password"])
            wallet = wallet_get_or_create(holder=user)
            if balance != 0:
                ledger_post(wallet_id=wallet.pk, kind=LedgerEntry.Kind.OPENING, amount=balance,
                            reference=f"opening:{code}", description="Saldo riportato dal sistema precedente")
    return result

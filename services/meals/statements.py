"""Movements export (CSV, PDF) and the yearly statement of meal payments for the tax return (PDF)."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from services.core import ente
from services.core.clock import day_bounds
from services.core.exports import csv_text
from services.core.money import format_euro

from .models import LedgerEntry, Wallet


def movements(wallet: Wallet, date_from: date, date_to: date):
    """The movements posted between two Europe/Rome dates, in the order they were posted: each row's balance is the
    previous row's plus its amount, also when a receipt dated earlier arrives after later charges (its payment date is
    a column of its own)."""
    start, end = day_bounds(date_from)[0], day_bounds(date_to)[1]
    return wallet.entries.filter(created_at__gte=start, created_at__lt=end).order_by("id")


MOVEMENT_COLUMNS = ["registrato il", "data dell'operazione", "tipo", "descrizione", "importo", "saldo"]


def movements_csv(wallet: Wallet, date_from: date, date_to: date) -> str:
    return csv_text(MOVEMENT_COLUMNS,
                    ([timezone.localtime(entry.created_at).strftime("%d/%m/%Y"), entry.business_date.strftime("%d/%m/%Y"),
                      entry.get_kind_display(), entry.description, format_euro(entry.amount), format_euro(entry.balance_after)]
                     for entry in movements(wallet, date_from, date_to)))


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, {"ente": ente.current(), "generated_at": timezone.localtime(), **context})).write_pdf()


def movements_pdf(wallet: Wallet, date_from: date, date_to: date) -> bytes:
    return _pdf("meals/movements_pdf.html", {"wallet": wallet, "entries": movements(wallet, date_from, date_to),
                                            "date_from": date_from, "date_to": date_to})


def yearly_totals(wallet: Wallet, year: int) -> dict:
    rows = wallet.entries.filter(business_date__year=year)
    paid = rows.filter(kind=LedgerEntry.Kind.TOPUP).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    refunded = -(rows.filter(kind=LedgerEntry.Kind.REFUND).aggregate(total=Sum("amount"))["total"] or Decimal("0.00"))
    meals = -(rows.filter(kind=LedgerEntry.Kind.MEAL).aggregate(total=Sum("amount"))["total"] or Decimal("0.00"))
    return {"paid": paid, "refunded": refunded, "net": paid - refunded, "meals": meals,
            "meal_count": rows.filter(kind=LedgerEntry.Kind.MEAL).count()}


def yearly_statement_pdf(wallet: Wallet, year: int) -> bytes:
    return _pdf("meals/statement_pdf.html", {"wallet": wallet, "year": year, "totals": yearly_totals(wallet, year),
                                            "topups": wallet.entries.filter(business_date__year=year, kind=LedgerEntry.Kind.TOPUP).order_by("business_date")})

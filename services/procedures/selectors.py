"""Reads of the 0-3 survey: the Comuni a municipal user is enabled on, and each Comune's two sheets of an edition."""

from django.db.models import QuerySet

from services.istanze.models import Istanza
from services.istanze.states import HOLDING

from .models import SurveyComune
from .states import COUNTED, SheetState, sheet_state

SERVICES_SHEET, ACTIONS_SHEET = "RIL03", "RIL03_INTERVENTI"
SHEETS = (SERVICES_SHEET, ACTIONS_SHEET)


def enabled_comuni(user) -> QuerySet:
    """The Comuni the Region enabled `user` on; none for an anonymous user."""
    if user is None or not user.is_authenticated:
        return SurveyComune.objects.none()
    return SurveyComune.objects.filter(enablements__user=user).select_related("cpt").order_by("name")


def is_enabled(user, comune_pk) -> bool:
    return enabled_comuni(user).filter(pk=comune_pk).exists()


def survey_sheets(code: str, year: int) -> QuerySet:
    return Istanza.objects.filter(procedure_code=code, data__comune__edizione=year)


def sheet_holding(code: str, comune_pk, year: int, *, other_than=None) -> Istanza | None:
    """The Comune's sheet of that edition that holds its place (sent, in validation, sent back for corrections or
    validated): there is one per Comune, sheet and edition."""
    found = survey_sheets(code, year).filter(status__in=HOLDING, data__comune__comune=comune_pk)
    if other_than is not None:
        found = found.exclude(pk=other_than.pk)
    return found.order_by("submitted_at").first()


def active_services(sheet: Istanza | None) -> list[int]:
    """The services a SERVIZI 03 sheet declares active, by id, in order."""
    rows = ((sheet.data or {}).get("servizi") or []) if sheet else []
    return sorted(row["servizio"] for row in rows if row.get("stato") == "attivo")


def comune_sheets(comune_pks, year: int, *, light: bool = False) -> dict:
    """{(comune pk, code): Istanza} — each Comune's current sheet (the holding one, else its newest draft), in one query.
    `light`: only the fields a count or a sum reads (not the summary nor the wizard's state), for the dashboard."""
    found = {}
    wanted = set(comune_pks)
    rows = Istanza.objects.filter(procedure_code__in=SHEETS, data__comune__edizione=year, status__in=COUNTED).order_by("created_at")
    if len(wanted) <= 200:  # a JSON key's IN list costs its compilation per value: beyond a few hundred, read and sift
        rows = rows.filter(data__comune__comune__in=list(wanted))
    if light:
        rows = rows.only("pk", "procedure_code", "status", "data", "number", "submitted_at", "owner_id", "created_at")
    for istanza in rows:
        key = ((istanza.data.get("comune") or {}).get("comune"), istanza.procedure_code)
        if key[0] not in wanted:
            continue
        held = found.get(key)
        if held is None or held.status not in HOLDING:
            found[key] = istanza
    return found


def desk_rows(comune: SurveyComune, year: int, user) -> list[dict]:
    """The two sheets of the Comune as the municipal user's desk lists them."""
    sheets = comune_sheets([comune.pk], year)
    rows = []
    for code in SHEETS:
        istanza = sheets.get((comune.pk, code))
        rows.append({"code": code, "istanza": istanza, "state": sheet_state(istanza.status if istanza else None),
                     "mine": istanza is not None and istanza.owner_id == user.pk})
    return rows


def survey_complete(rows) -> bool:
    return all(row["state"] == SheetState.VALIDATED for row in rows)

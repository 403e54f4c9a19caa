from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from services.accounts import area
from services.core.decorators import private_no_store
from services.core.exports import csv_response
from services.istanze.models import IstanzaEvent
from services.istanze.states import Actor

from . import comuni, dashboard, selectors
from .ril03 import EDITION, PROCEDURE, SESSION_COMUNE


@cache_control(public=True, max_age=86400)
def comuni_json(request, province):
    """Public list (ISTAT) of the comuni of a province, for the select that depends on the province."""
    return JsonResponse({"comuni": comuni.comuni_of(province.upper()[:2])})


@login_required
@private_no_store
def survey_desk(request):
    """The municipal user's page of the 0-3 survey: the Comuni the Region enabled them on (one chosen, as the seed says,
    when there are several) and the chosen Comune's two sheets with their states and the Region's notes."""
    enabled = list(selectors.enabled_comuni(request.user))
    if request.method == "POST":
        chosen = request.POST.get("comune", "")
        if chosen.isdigit() and any(c.pk == int(chosen) for c in enabled):
            request.session[SESSION_COMUNE] = int(chosen)
            return redirect("procedures:survey")
        messages.error(request, _("Scegli uno dei Comuni su cui sei abilitato."))
    comune = next((c for c in enabled if c.pk == request.session.get(SESSION_COMUNE)), None)
    if comune is None and len(enabled) == 1:
        comune = enabled[0]
        request.session[SESSION_COMUNE] = comune.pk
    rows = selectors.desk_rows(comune, EDITION.year, request.user) if comune else []
    notes = _last_notes([row["istanza"] for row in rows if row["istanza"]])
    for row in rows:
        row["note"] = notes.get(row["istanza"].pk) if row["istanza"] else None
    opens, closes = PROCEDURE.window()
    return area.render_area(request, "pratiche", "procedures/survey_desk.html", {
        "enabled": enabled, "comune": comune, "rows": rows, "edition": EDITION, "closes": closes,
        "complete": bool(rows) and selectors.survey_complete(rows)})


def _last_notes(sheets) -> dict:
    """{istanza pk: the office's last note} for the sheets shown, in one query."""
    found = {}
    for event in IstanzaEvent.objects.filter(istanza__in=sheets, actor_kind=Actor.OFFICE).exclude(note="").order_by("created_at"):
        found[event.istanza_id] = event
    return found


@cache_control(public=True, max_age=3600)
def open_data(request, year):
    """The Region's open data of the survey: aggregates per CPT of the Comuni whose two sheets are validated."""
    if year != EDITION.year:
        raise Http404
    return csv_response(f"rilevazione-0-3-{year}-per-cpt.csv", [name for name, _ in dashboard.OPEN_DATA_FIELDS],
                        dashboard.open_data(year))


@cache_control(public=True, max_age=86400)
def open_data_dictionary(request):
    return csv_response("rilevazione-0-3-dizionario.csv", ["campo", "descrizione"], dashboard.OPEN_DATA_FIELDS)


def deadline() -> date:
    closes = PROCEDURE.window()[1]
    return timezone.localdate(closes) if closes else date(EDITION.year, 5, 15)


def survey_card(user):
    """The personal area's card for a municipal user enabled on a Comune; none for everyone else."""
    if not selectors.enabled_comuni(user).exists():
        return None
    return {"office": settings.SURVEY_OFFICE}

from datetime import date

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control

from services.accounts import area
from services.core.decorators import private_no_store
from services.core.exports import csv_response
from services.istanze.models import IstanzaEvent
from services.istanze.states import Actor

from . import comuni, dashboard, selectors
from .models import SurveyComune
from .ril03 import EDITION, PROCEDURE, SESSION_COMUNE


@cache_control(public=True, max_age=86400)
def comuni_json(request, province):
    """Public list (ISTAT) of the comuni of a province, for the select that depends on the province."""
    return JsonResponse({"comuni": comuni.comuni_of(province.upper()[:2])})


class ComuneChoiceForm(forms.Form):
    comune = forms.ModelChoiceField(label=_("Sei abilitato su più Comuni: scegli quello per cui lavori"), queryset=SurveyComune.objects.none(),
                                    empty_label=_("Scegli un Comune"),
                                    error_messages={"required": _("Scegli uno dei Comuni su cui sei abilitato."),
                                                    "invalid_choice": _("Scegli uno dei Comuni su cui sei abilitato.")})

    def __init__(self, *args, enabled, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comune"].queryset = enabled


@login_required
@private_no_store
def survey_desk(request):
    """The municipal user's page of the 0-3 survey: the Comuni the Region enabled them on (one chosen, as the seed says,
    when there are several) and the chosen Comune's two sheets with their states and the Region's notes."""
    enabled_qs = selectors.enabled_comuni(request.user)
    enabled = list(enabled_qs)
    form = ComuneChoiceForm(request.POST or None, enabled=enabled_qs)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_COMUNE] = form.cleaned_data["comune"].pk
        return redirect("procedures:survey")
    comune = next((c for c in enabled if c.pk == request.session.get(SESSION_COMUNE)), None)
    if comune is None and len(enabled) == 1:
        comune = enabled[0]
        request.session[SESSION_COMUNE] = comune.pk
    if not form.is_bound and comune is not None:
        form.initial["comune"] = comune.pk
    rows = selectors.desk_rows(comune, EDITION.year, request.user) if comune else []
    notes = _last_notes([row["istanza"] for row in rows if row["istanza"]])
    for row in rows:
        row["note"] = notes.get(row["istanza"].pk) if row["istanza"] else None
    closes = PROCEDURE.window()[1]
    return area.render_area(request, "pratiche", "procedures/survey_desk.html", {
        "enabled": enabled, "form": form, "comune": comune, "rows": rows, "edition": EDITION, "closes": closes,
        "complete": bool(rows) and selectors.survey_complete(rows)}, status=400 if form.errors else 200)


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

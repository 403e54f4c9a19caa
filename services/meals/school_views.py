"""Area scuola → Mensa e presenze: a school's users with the meals function record the day's absences and plain meals,
class by class, until the meal cut-off, and see the day's meals per diet for their own school only. Canteen staff keep
their sheet in the admin for every school."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from services.accounts import area
from services.core.decorators import private_no_store
from services.core.exports import csv_response
from services.schools import selectors as schools
from services.schools.models import SchoolFunction

from .actions import MealChangeError, attendance_record
from .days import can_change, cutoff, is_school_day
from .models import MealChange
from .selectors import DIET_COLUMNS, DIETS, day_counts, in_service


def _role(request, code):
    role = schools.role_for(request.user, code, SchoolFunction.MEALS)
    if role is None:  # another school's, or a user without the function
        raise Http404
    return role


@login_required
@private_no_store
def school_attendance_csv(request, code):
    """Today's pupils in the meal service by class, with what was recorded (no diet: health data stays with the
    canteen)."""
    role = _role(request, code)
    day = timezone.localdate()
    children = in_service(day).filter(school=role.school).order_by("school_class", "last_name", "first_name")
    changes = dict(MealChange.objects.filter(day=day, child__in=children).values_list("child_id", "kind"))
    school_day = is_school_day(day, role.school.pk)

    def today(child):
        if not school_day:
            return _("nessun pasto: giorno senza scuola")
        return MealChange.Kind(changes[child.pk]).label if changes.get(child.pk) else _("presente")

    return csv_response(f"mensa-{role.school.code}-{day.isoformat()}.csv", ["Classe", "Cognome", "Nome", f"Oggi ({day:%d/%m/%Y})"],
                        ([child.school_class, child.last_name, child.first_name, today(child)] for child in children))


@login_required
@private_no_store
def school_attendance(request, code):
    role = _role(request, code)
    school, day = role.school, timezone.localdate()
    children = list(in_service(day).filter(school=school).order_by("school_class", "last_name", "first_name"))
    school_day = is_school_day(day, school.pk)
    open_now = school_day and can_change(day, school_id=school.pk)
    if request.method == "POST":
        if not school_day:
            messages.error(request, _("Oggi non è un giorno di scuola: non ci sono presenze da registrare."))
        elif not open_now:
            messages.error(request, _("Le presenze di oggi si registrano entro le %(t)s: dopo, rivolgiti all'Ufficio Scuola.")
                           % {"t": f"{timezone.localtime(cutoff(day, school.pk)):%H:%M}"})
        else:
            try:
                counts = attendance_record(children=children, day=day, by=request.user,
                                           states={c.pk: request.POST.get(f"stato-{c.pk}") for c in children})
            except MealChangeError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Presenze salvate: %(n)s modifiche.") % {"n": counts["changed"]})
        return redirect("meals_school:attendance", code=code)
    changes = dict(MealChange.objects.filter(day=day, child__in=children).values_list("child_id", "kind"))
    classes = {}
    for child in children:
        classes.setdefault(child.school_class or _("senza classe"), []).append({"child": child, "change": changes.get(child.pk)})
    counts = next(iter(day_counts(day, school.pk)), None) if school_day else None
    return area.render_area(request, "scuola", "meals/school_attendance.html", {
        "school": school, "day": day, "classes": sorted(classes.items()) if school_day else [], "open_now": open_now,
        "school_day": school_day, "cutoff": cutoff(day, school.pk), "counts": counts, "diet_min": DIET_MIN_SHOWN,
        "diets": [(d, DIET_COLUMNS[d], _shown(counts[d]) if counts else 0) for d in DIETS],
    })


# Meals per diet are health data: a count below this is shown as "fewer than", so that next to a small class nobody
# learns which child eats which diet. The canteen's own sheet in the admin keeps the exact figures.
DIET_MIN_SHOWN = 3


def _shown(count: int):
    return count if count == 0 or count >= DIET_MIN_SHOWN else None

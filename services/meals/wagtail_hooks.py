"""Admin for the meal service: fee bands, calendar breaks, children; the day's counts per school."""


from django import forms
from django.contrib.auth.decorators import permission_required
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from services.core.admin import PermissionMenuItem
from services.core.decorators import private_no_store
from services.core.exports import csv_response
from services.core.parsing import parse_id
from services.schools.models import School

from .models import CalendarBreak, Child, Diet, FeeBand, HealthDataRead, MealChange, SchoolCutoff
from .selectors import DIET_COLUMNS, DIETS, day_counts, in_service


class FeeBandViewSet(SnippetViewSet):
    model = FeeBand
    icon = "tag"
    menu_label = _("Fasce tariffarie")
    list_display = ["label", "isee_max", "price", "valid_from", "valid_to"]


class CalendarBreakViewSet(SnippetViewSet):
    model = CalendarBreak
    icon = "date"
    menu_label = _("Chiusure del calendario")
    list_display = ["name", "start", "end", "school"]


class SchoolCutoffViewSet(SnippetViewSet):
    model = SchoolCutoff
    icon = "time"
    menu_label = _("Orari di disdetta delle scuole")
    list_display = ["school", "time"]


class ChildViewSet(SnippetViewSet):
    model = Child
    icon = "user"
    menu_label = _("Iscritti alla mensa")
    list_display = ["last_name", "first_name", "school", "school_class", "fee_band", "diet", "school_year"]
    list_filter = ["school_year", "diet"]
    exclude_form_fields = ["medical_diet", "istanza"]  # health data: read only through the logged diet sheet
    search_fields = ["last_name", "first_name", "fiscal_code"]


class MealsGroup(SnippetViewSetGroup):
    items = (ChildViewSet, FeeBandViewSet, CalendarBreakViewSet, SchoolCutoffViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Refezione scolastica")
    menu_name = "refezione"
    menu_order = 180


register_snippet(MealsGroup)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """A register kept by the code: it may be read (with the view permission), never written from the admin."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and super().user_has_permission(user, "view")


class HealthDataReadViewSet(ModelViewSet):
    """Every read of a child's medical diet (who, when, which child, why), for the administrators accountable
    for health data (GDPR art. 9 and 32): filterable by date, person and school, exportable."""

    model = HealthDataRead
    icon = "view"
    menu_label = _("Letture dei dati sanitari")
    menu_order = 181
    add_to_admin_menu = True
    url_prefix = "refezione/letture-dati-sanitari"
    inspect_view_enabled = True
    list_display = ["read_at", "user", "child", "child_school", "purpose"]
    list_filter = ["read_at", "user", "child__school"]
    form_fields = ["purpose"]  # no form is ever shown: the policy allows reading only
    search_fields = ["child__last_name", "child__first_name", "child__fiscal_code", "purpose"]
    search_backend_name = None
    list_export = ["read_at", "user", "child", "child_fiscal_code", "child_school", "purpose"]
    export_headings = {"read_at": _("Data e ora"), "user": _("Letta da"), "child": _("Bambino"),
                       "child_fiscal_code": _("Codice fiscale del bambino"), "child_school": _("Scuola"), "purpose": _("Motivo")}
    export_filename = "letture-dati-sanitari"

    def get_queryset(self, request):
        return HealthDataRead.objects.select_related("user", "child__school")


register_permission_policy(HealthDataRead, ReadOnlyPolicy(HealthDataRead))


@hooks.register("register_admin_viewset")
def register_health_reads():
    return HealthDataReadViewSet("health_data_reads")


def _day(request, data=None):
    from django.utils.dateparse import parse_date

    try:
        return parse_date((data or request.GET).get("giorno") or "") or timezone.localdate()
    except ValueError:
        return timezone.localdate()


@private_no_store
@permission_required("meals.view_child", raise_exception=True)
def counts_view(request):
    day = _day(request)
    rows = day_counts(day)
    if request.GET.get("formato") == "csv":
        return csv_response(f"pasti-{day.isoformat()}.csv",
                            ["scuola", "codice", "iscritti", "disdetti", "assenti", "pasti da preparare", "pasti in bianco"]
                            + [f"dieta {DIET_COLUMNS[d]}" for d in DIETS],
                            ([r["school"], r["code"], r["children"], r["cancelled"], r["absent"], r["normal"], r["plain"]]
                             + [r[d] for d in DIETS] for r in rows))
    diets = [(d, DIET_COLUMNS[d]) for d in DIETS]
    table = [{**r, "per_diet": [r[d] for d in DIETS]} for r in rows]
    return TemplateResponse(request, "meals/admin/counts.html", {"day": day, "rows": table, "diets": diets})


def _school(request, data=None):
    pk = parse_id((data or request.GET).get("scuola"))
    return School.objects.filter(pk=pk).first() if pk else None


@private_no_store
@permission_required("meals.add_mealchange", raise_exception=True)
def attendance_view(request):
    """School and canteen staff record, per school and day, who is absent and who eats a plain meal; the charge skips absences."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from .actions import MealChangeError, attendance_record
    from .days import is_school_day

    data = request.POST if request.method == "POST" else None
    day, school = _day(request, data), _school(request, data)
    children = list(in_service(day).filter(school=school).order_by("school_class", "last_name", "first_name")) if school else []
    changes = dict(MealChange.objects.filter(day=day, child__in=children).values_list("child_id", "kind"))
    if request.method == "POST" and school:
        states = {c.pk: request.POST.get(f"stato-{c.pk}") for c in children}
        try:
            if not is_school_day(day, school.pk):
                raise MealChangeError(_("Il %(d)s non è un giorno di scuola per questa scuola.") % {"d": f"{day:%d/%m/%Y}"})
            counts = attendance_record(children=children, day=day, states=states, by=request.user)
        except MealChangeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Presenze salvate: %(n)s modifiche.") % {"n": counts["changed"]})
            if counts["refused"]:
                messages.warning(request, _("Pasti già addebitati, non modificati: %(names)s.") % {
                    "names": ", ".join(str(c) for c in counts["refused"])})
        return redirect(f"{reverse('meals_attendance')}?scuola={school.pk}&giorno={day.isoformat()}")
    rows = [{"child": c, "change": changes.get(c.pk), "label": MealChange.Kind(changes[c.pk]).label if c.pk in changes else ""} for c in children]
    return TemplateResponse(request, "meals/admin/attendance.html", {
        "day": day, "school": school, "rows": rows, "schools": School.objects.filter(active=True).order_by("name"),
    })


@private_no_store
@permission_required("meals.view_medical_diet", raise_exception=True)
def diets_view(request):
    """The kitchen's diet sheet for a school and day: every read of a medical diet is logged."""

    from .selectors import medical_diet_read

    day, school = _day(request), _school(request)
    rows = []
    if school:
        children = in_service(day).filter(school=school).exclude(diet=Diet.STANDARD).exclude(
            changes__day=day, changes__kind__in=[MealChange.Kind.CANCELLED, MealChange.Kind.ABSENT]).order_by("school_class", "last_name")
        for child in children:
            detail = medical_diet_read(child, user=request.user, purpose=f"scheda diete {day.isoformat()}") if child.diet == Diet.MEDICAL else ""
            rows.append({"child": child, "diet": child.get_diet_display(), "detail": detail})
    return TemplateResponse(request, "meals/admin/diets.html", {
        "day": day, "school": school, "rows": rows, "schools": School.objects.filter(active=True).order_by("name"),
        "can_edit": request.user.is_superuser or request.user.has_perm("meals.change_child"),
    })


class DietForm(forms.Form):
    diet = forms.ChoiceField(label=_("Dieta"), choices=Diet.choices)
    medical_diet = forms.CharField(label=_("Dieta sanitaria da preparare"), required=False, max_length=1000,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Dal certificato medico. È un dato sanitario: viene cifrato."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("diet") == Diet.MEDICAL and not (cleaned.get("medical_diet") or "").strip():
            self.add_error("medical_diet", _("Per la dieta sanitaria scrivi che cosa deve preparare la cucina."))
        if cleaned.get("diet") != Diet.MEDICAL:
            cleaned["medical_diet"] = ""  # health data not needed any more: not kept
        return cleaned


@private_no_store
@permission_required(["meals.view_medical_diet", "meals.change_child"], raise_exception=True)
def diet_edit_view(request, child_id):
    """The office changes a child's diet (a new certificate, a diet no longer needed); opening it is a logged read."""
    from django.contrib import messages
    from django.shortcuts import get_object_or_404, redirect

    from .actions import child_diet_set
    from .selectors import medical_diet_read

    child = get_object_or_404(Child.objects.select_related("school"), pk=child_id)
    if request.method == "POST":
        form = DietForm(request.POST)
        if form.is_valid():
            child_diet_set(child=child, diet=form.cleaned_data["diet"], medical_diet=form.cleaned_data["medical_diet"], by=request.user)
            messages.success(request, _("Dieta di %(name)s aggiornata.") % {"name": child})
            return redirect(f"{reverse('meals_diets')}?scuola={child.school_id}")
    else:
        current = medical_diet_read(child, user=request.user, purpose="modifica dieta") if child.diet == Diet.MEDICAL else ""
        form = DietForm(initial={"diet": child.diet, "medical_diet": current})
    return TemplateResponse(request, "meals/admin/diet_edit.html", {"child": child, "form": form}, status=400 if form.errors else 200)


@hooks.register("register_admin_urls")
def register_counts_url():
    return [
        path("refezione/pasti-del-giorno/", counts_view, name="meals_day_counts"),
        path("refezione/presenze/", attendance_view, name="meals_attendance"),
        path("refezione/diete/", diets_view, name="meals_diets"),
        path("refezione/diete/<id:child_id>/", diet_edit_view, name="meals_diet_edit"),
    ]


@hooks.register("register_admin_menu_item")
def register_counts_menu():
    return PermissionMenuItem(_("Pasti del giorno"), reverse("meals_day_counts"), icon_name="list-ul", order=181, perm="meals.view_child")


@hooks.register("register_admin_menu_item")
def register_attendance_menu():
    return PermissionMenuItem(_("Presenze in mensa"), reverse("meals_attendance"), icon_name="tick-inverse", order=182,
                              perm="meals.add_mealchange")


@hooks.register("register_admin_menu_item")
def register_diets_menu():
    return PermissionMenuItem(_("Diete del giorno"), reverse("meals_diets"), icon_name="warning", order=183, perm="meals.view_medical_diet")

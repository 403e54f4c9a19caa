"""Admin for the meal service: fee bands, calendar breaks, children; the day's counts per school."""

import csv
from datetime import date

from django.db.models import Count
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from services.core.decorators import private_no_store

from .models import CalendarBreak, Child, FeeBand, MealChange


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


class ChildViewSet(SnippetViewSet):
    model = Child
    icon = "user"
    menu_label = _("Iscritti alla mensa")
    list_display = ["last_name", "first_name", "school", "school_class", "fee_band"]
    search_fields = ["last_name", "first_name", "fiscal_code"]


class MealsGroup(SnippetViewSetGroup):
    items = (ChildViewSet, FeeBandViewSet, CalendarBreakViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Refezione scolastica")
    menu_name = "refezione"
    menu_order = 180


register_snippet(MealsGroup)


def day_counts(day: date) -> list[dict]:
    """Per school: children in service, cancelled, absent, meals to cook (normal and plain)."""
    children = Child.objects.filter(service_from__lte=day).exclude(service_to__lt=day)
    schools = children.values("school_id", "school__name", "school__code").annotate(n=Count("id")).order_by("school__name")
    changes = {}
    for row in MealChange.objects.filter(day=day, child__in=children).values("child__school_id", "kind").annotate(n=Count("id")):
        changes[(row["child__school_id"], row["kind"])] = row["n"]
    result = []
    for school in schools:
        sid = school["school_id"]
        cancelled, absent, plain = (changes.get((sid, k), 0) for k in ("cancelled", "absent", "plain"))
        result.append({"school": school["school__name"], "code": school["school__code"], "children": school["n"],
                       "cancelled": cancelled, "absent": absent, "plain": plain,
                       "normal": school["n"] - cancelled - absent - plain})
    return result


@private_no_store
def counts_view(request):
    from django.core.exceptions import PermissionDenied
    from django.utils.dateparse import parse_date

    if not (request.user.is_superuser or request.user.has_perm("meals.view_child")):
        raise PermissionDenied
    day = parse_date(request.GET.get("giorno") or "") or timezone.localdate()
    rows = day_counts(day)
    if request.GET.get("formato") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="pasti-{day.isoformat()}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(["scuola", "codice", "iscritti", "disdetti", "assenti", "pasti normali", "pasti in bianco"])
        for r in rows:
            writer.writerow([r["school"], r["code"], r["children"], r["cancelled"], r["absent"], r["normal"], r["plain"]])
        return response
    return TemplateResponse(request, "meals/admin/counts.html", {"day": day, "rows": rows})


@hooks.register("register_admin_urls")
def register_counts_url():
    return [path("refezione/pasti-del-giorno/", counts_view, name="meals_day_counts")]


class CountsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm("meals.view_child")


@hooks.register("register_admin_menu_item")
def register_counts_menu():
    return CountsMenuItem(_("Pasti del giorno"), reverse("meals_day_counts"), icon_name="list-ul", order=181)

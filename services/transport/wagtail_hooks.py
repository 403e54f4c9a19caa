"""Admin for school transport: routes with their stops, fee plans with their installments, enrollments."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import FeePlan, Route, TransportEnrollment


class RouteViewSet(SnippetViewSet):
    model = Route
    icon = "site"
    menu_label = _("Percorsi e fermate")
    list_display = ["code", "name", "active"]


class FeePlanViewSet(SnippetViewSet):
    model = FeePlan
    icon = "tag"
    menu_label = _("Quote e rate")
    list_display = ["name", "school_year", "scope", "active"]
    list_filter = ["school_year", "scope"]


class EnrollmentViewSet(SnippetViewSet):
    model = TransportEnrollment
    icon = "user"
    menu_label = _("Iscritti al trasporto")
    list_display = ["last_name", "first_name", "school_year", "school", "stop", "direction", "active"]
    list_filter = ["school_year", "direction", "active"]
    search_fields = ["last_name", "first_name", "fiscal_code"]
    inspect_view_enabled = True


class TransportGroup(SnippetViewSetGroup):
    items = (EnrollmentViewSet, RouteViewSet, FeePlanViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Trasporto scolastico")
    menu_name = "trasporto"
    menu_order = 185


register_snippet(TransportGroup)

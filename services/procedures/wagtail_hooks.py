"""Admin: the Region's registry for the 0-3 survey (Comuni and their early-years services)."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import EarlyYearsService, SurveyComune


class SurveyComuneViewSet(SnippetViewSet):
    model = SurveyComune
    icon = "site"
    menu_label = _("Comuni")
    list_display = ["name", "istat_code", "in_cpt"]


class EarlyYearsServiceViewSet(SnippetViewSet):
    model = EarlyYearsService
    icon = "group"
    menu_label = _("Servizi 0-3")
    list_display = ["name", "comune", "kind", "ownership", "authorised_on", "active"]
    list_filter = ["comune", "kind", "ownership", "active"]


class SurveyGroup(SnippetViewSetGroup):
    items = (EarlyYearsServiceViewSet, SurveyComuneViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Rilevazione 0-3")
    menu_name = "rilevazione-03"
    menu_order = 190


register_snippet(SurveyGroup)

"""The school registry in the admin: schools and the ambiti of the Municipi (Administrators edit them)."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Ambito, School


class SchoolViewSet(SnippetViewSet):
    model = School
    icon = "home"
    menu_label = _("Scuole")
    list_display = ["name", "code", "order", "ambito"]
    list_filter = ["order", "ambito", "active"]
    search_fields = ["name", "code"]
    search_backend_name = None  # ORM search: parts of a name or code match; the search backend fails on SQLite when given fields


class AmbitoViewSet(SnippetViewSet):
    model = Ambito
    icon = "site"
    menu_label = _("Ambiti territoriali")
    list_display = ["name", "office"]


class SchoolsGroup(SnippetViewSetGroup):
    items = (SchoolViewSet, AmbitoViewSet)
    menu_icon = "home"
    menu_label = _("Anagrafe scuole")
    menu_name = "schools"
    menu_order = 155


register_snippet(SchoolsGroup)

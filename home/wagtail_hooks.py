"""Wagtail admin: snippets, visitor feedback listings and the editors' dashboard panel."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import selectors
from .admin_views import FeedbackSummaryView
from .models import Faq, FaqProposal, InefficiencyReport, Office, PageFeedback, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Argomenti")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None  # ORM search: parts of a name or code match; the search backend fails on SQLite when given fields


class OfficeViewSet(SnippetViewSet):
    model = Office
    icon = "group"
    menu_label = _("Unità organizzative")
    list_display = ["name", "kind", "email", "phone"]
    list_filter = ["kind"]
    search_fields = ["name"]
    search_backend_name = None  # ORM search: parts of a name or code match; the search backend fails on SQLite when given fields


class FaqViewSet(SnippetViewSet):
    model = Faq
    icon = "help"
    menu_label = _("Domande frequenti")
    list_display = ["question", "topic", "service"]
    list_filter = ["topic"]
    search_fields = ["question"]
    search_backend_name = None  # ORM search: parts of a name or code match; the search backend fails on SQLite when given fields


class FaqProposalViewSet(SnippetViewSet):
    """Questions proposed from the desks: an editor writes the FAQ from one and links it here."""

    model = FaqProposal
    icon = "help"
    menu_label = _("Proposte di FAQ")
    list_display = ["question", "service", "proposed_by", "created_at", "faq"]
    list_filter = ["created_at"]
    search_fields = ["question"]
    search_backend_name = None  # ORM search: parts of a name or code match; the search backend fails on SQLite when given fields


register_snippet(TopicViewSet)
register_snippet(OfficeViewSet)
register_snippet(FaqViewSet)
register_snippet(FaqProposalViewSet)


class PageFeedbackViewSet(ModelViewSet):
    model = PageFeedback
    icon = "pick"
    menu_label = _("Valutazioni pagine")
    add_to_admin_menu = True
    menu_order = 800
    list_display = ["page", "rating", "answer", "comment", "created_at"]
    list_filter = ["rating", "created_at"]
    search_fields = ["page__title", "comment"]
    list_export = ["page", "rating", "answer", "comment", "created_at"]
    form_fields = ["rating", "answer", "comment"]
    inspect_view_enabled = True

    def get_queryset(self, request):
        return PageFeedback.objects.select_related("page")


class InefficiencyReportViewSet(ModelViewSet):
    model = InefficiencyReport
    icon = "warning"
    menu_label = _("Segnalazioni disservizio")
    add_to_admin_menu = True
    menu_order = 810
    list_display = ["category", "description", "page_url", "email", "created_at"]
    list_filter = ["category", "created_at"]
    search_fields = ["description", "page_url"]
    list_export = ["category", "description", "page_url", "email", "created_at"]
    form_fields = ["category", "description", "page_url", "email"]
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_feedback_viewsets():
    return [PageFeedbackViewSet("valutazioni"), InefficiencyReportViewSet("segnalazioni")]


@hooks.register("register_admin_urls")
def register_feedback_summary_url():
    return [path("valutazioni-riepilogo/", FeedbackSummaryView.as_view(), name="feedback_summary")]


@hooks.register("register_reports_menu_item")
def register_feedback_summary_menu_item():
    return MenuItem(_("Valutazioni per pagina"), reverse("feedback_summary"), icon_name="pick", order=900)


class ServiceWindowPanel(Component):
    name = "service_windows"
    template_name = "home/admin/service_window_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["services"] = selectors.services_with_window_changes(days=30)
        return context


@hooks.register("construct_homepage_panels")
def add_service_window_panel(request, panels):
    panels.append(ServiceWindowPanel())

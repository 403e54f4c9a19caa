"""The URP desk in the Wagtail admin: the inbox of the user's offices, a request with its thread and what staff do
with it, statistics for the head of the URP; canned replies and response times as snippets."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from services.core import desk as core_desk
from services.core import workflow
from services.core.admin import PermissionMenuItem
from services.core.decorators import private_no_store
from services.core.parsing import parse_id

from . import desk, selectors, stats
from .forms import AssignForm, ForwardForm, NoteForm, ReplyForm
from .models import CannedReply, ResponseTarget
from .states import OPEN, Status
from .views import attachment_of

VIEW, ANSWER = "assistance.view_assistancerequest", desk.ANSWER


@private_no_store
@permission_required(VIEW, raise_exception=True)
def inbox_view(request):
    rows = selectors.desk_requests(request.user)
    status = request.GET.get("stato", "")
    status = status if status in Status.values else ""
    overdue = request.GET.get("in_ritardo") == "1"
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL in text
    office = request.GET.get("ufficio", "")
    filtered = selectors.desk_filter(rows, status=status, office=office, overdue=overdue, query=query)
    if not status and not query and not overdue:
        filtered = filtered.filter(status__in=OPEN)  # by default what is still to do
    page = Paginator(filtered.order_by("first_reply_at", "submitted_at"), 50).get_page(request.GET.get("p"))
    today = timezone.localdate()
    for item in page:
        item.late = selectors.is_overdue(item, today)
    offices = {r.office for r in rows.select_related("office")[:500]} if request.user.is_superuser else set(request.user.offices.all())
    return TemplateResponse(request, "assistance/admin/inbox.html", {
        "page": page, "statuses": Status.choices, "status": status, "overdue": overdue, "query": query, "office": office,
        "offices": sorted(offices, key=lambda o: o.name), "overdue_count": selectors.overdue_only(rows).count(),
    })


# The template's names for the desk actions' forms.
FORM_NAMES = {"rispondi": "reply", "nota": "note", "inoltra": "forward", "assegna": "assign"}


@private_no_store
@permission_required(VIEW, raise_exception=True)
def detail_view(request, pk):
    found = selectors.desk_request(request.user, pk)
    if request.method == "POST":
        if not request.user.has_perm(ANSWER):
            raise Http404
        return core_desk.dispatch(request, desk.DESK, found, request.POST.get("azione", ""))
    return detail_page(request, found)


def detail_page(request, found, *, bound=None, status=200):
    """The request with its thread and the desk's actions (their forms bound after a refused POST)."""
    query = desk.faq_query(request)
    canned = CannedReply.objects.filter(active=True)
    chosen_id = parse_id(request.GET.get("predefinita"))
    chosen = canned.filter(pk=chosen_id).first() if chosen_id else None
    bound = bound or {}
    forms = {
        "reply": bound.get("rispondi") or ReplyForm(initial={"body": chosen.body if chosen else ""}, faq_entries=desk.faq_entries(found, query)),
        "note": bound.get("nota") or NoteForm(), "forward": bound.get("inoltra") or ForwardForm(request_office=found.office),
        "assign": bound.get("assegna") or AssignForm(office=found.office),
    }
    found.refresh_from_db()
    return TemplateResponse(request, "assistance/admin/detail.html", {
        "found": found, "entries": selectors.thread(found, staff=True), "forms": forms, "canned": canned, "faq_query": query,
        "late": selectors.is_overdue(found), "can_answer": request.user.has_perm(ANSWER), "open": found.status in OPEN,
        "transitions": workflow.history_rows(found),
    }, status=status)


@private_no_store
@permission_required(VIEW, raise_exception=True)
def attachment_view(request, pk, entry_id):
    return attachment_of(selectors.desk_request(request.user, pk), entry_id)


@private_no_store
@permission_required("assistance.view_assistance_stats", raise_exception=True)
def stats_view(request):
    figures = stats.figures(selectors.desk_requests(request.user))
    if request.GET.get("formato") == "csv":
        return stats.csv_response(figures)
    return TemplateResponse(request, "assistance/admin/stats.html", {"figures": figures, "chart": stats.chart_svg(figures["months"])})


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [
        path("assistenza/", inbox_view, name="assistance_desk"),
        path("assistenza/statistiche/", stats_view, name="assistance_stats"),
        path("assistenza/<id:pk>/", detail_view, name="assistance_desk_detail"),
        path("assistenza/<id:pk>/allegati/<str:entry_id>/", attachment_view, name="assistance_desk_attachment"),
    ]


@hooks.register("register_admin_menu_item")
def register_desk_menu():
    return PermissionMenuItem(_("Richieste di assistenza"), reverse("assistance_desk"), icon_name="help", order=120, perm=VIEW)


@hooks.register("register_admin_menu_item")
def register_stats_menu():
    return PermissionMenuItem(_("Statistiche URP"), reverse("assistance_stats"), icon_name="table", order=121,
                              perm="assistance.view_assistance_stats")


class CannedReplyViewSet(SnippetViewSet):
    model = CannedReply
    icon = "comment"
    menu_label = _("Risposte predefinite")
    list_display = ["title", "active"]


class ResponseTargetViewSet(SnippetViewSet):
    model = ResponseTarget
    icon = "time"
    menu_label = _("Tempi di risposta")
    list_display = ["category_slug", "first_reply_days", "resolution_days"]


class AssistanceGroup(SnippetViewSetGroup):
    items = (CannedReplyViewSet, ResponseTargetViewSet)
    menu_icon = "help"
    menu_label = _("Impostazioni URP")
    menu_name = "assistance-settings"
    menu_order = 122


register_snippet(AssistanceGroup)

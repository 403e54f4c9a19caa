"""The URP desk in the Wagtail admin: the inbox of the user's offices, a request with its thread and what staff do
with it, statistics for the head of the URP; canned replies and response times as snippets."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from services.catalogue import faq
from services.core.admin import PermissionMenuItem
from services.core.decorators import private_no_store
from services.core.parsing import parse_id

from . import actions, selectors, stats
from .forms import AssignForm, ForwardForm, NoteForm, ReplyForm
from .models import CannedReply, ResponseTarget, ThreadEntry
from .states import OPEN, Status
from .views import attachment_of

VIEW, ANSWER = "assistance.view_assistancerequest", "assistance.answer_assistancerequest"


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


def _faq_entries(found, query=""):
    entries = faq.provider().search(query, limit=10) if query else []
    if found.service_id:
        entries += [e for e in faq.provider().for_service(found.service.slug) if e.id not in {x.id for x in entries}]
    return entries


@private_no_store
@permission_required(VIEW, raise_exception=True)
def detail_view(request, pk):
    found = selectors.desk_request(request.user, pk)
    faq_query = request.GET.get("faq_q", "").replace("\x00", "").strip()[:100]
    canned = CannedReply.objects.filter(active=True)
    chosen_id = parse_id(request.GET.get("predefinita"))
    chosen = canned.filter(pk=chosen_id).first() if chosen_id else None
    forms = {
        "reply": ReplyForm(initial={"body": chosen.body if chosen else ""}, faq_entries=_faq_entries(found, faq_query)),
        "note": NoteForm(), "forward": ForwardForm(request_office=found.office), "assign": AssignForm(office=found.office),
    }
    if request.method == "POST":
        if not request.user.has_perm(ANSWER):
            raise Http404
        action = request.POST.get("azione", "")
        try:
            done = _act(request, found, action, forms, faq_query)
        except actions.AssistanceError as error:
            messages.error(request, str(error))
            done = False
        if done:
            messages.success(request, _g("Fatto: %(what)s.") % {"what": done})
            return redirect("assistance_desk_detail", pk=pk)
        found.refresh_from_db()
    return TemplateResponse(request, "assistance/admin/detail.html", {
        "found": found, "entries": selectors.thread(found, staff=True), "forms": forms, "canned": canned, "faq_query": faq_query,
        "late": selectors.is_overdue(found), "can_answer": request.user.has_perm(ANSWER), "open": found.status in OPEN,
    }, status=400 if request.method == "POST" else 200)


def _act(request, found, action, forms, faq_query):
    """One desk action; the label of what was done, or False with the form's errors in `forms`."""
    user = request.user
    if action == "prendi":
        actions.request_take(request=found, by=user)
        return _g("richiesta presa in carico")
    if action == "assegna":
        form = forms["assign"] = AssignForm(request.POST, office=found.office)
        if not form.is_valid():
            return False
        actions.request_assign(request=found, to=form.cleaned_data["user"], by=user)
        return _g("richiesta assegnata")
    if action == "inoltra":
        form = forms["forward"] = ForwardForm(request.POST, request_office=found.office)
        if not form.is_valid():
            return False
        actions.request_forward(request=found, office=form.cleaned_data["office"], note=form.cleaned_data["note"], by=user)
        messages.info(request, _g("La richiesta è ora dell'ufficio %(office)s.") % {"office": form.cleaned_data["office"].name})
        return _g("richiesta inoltrata")
    if action == "rispondi":
        form = forms["reply"] = ReplyForm(request.POST, request.FILES, faq_entries=_faq_entries(found, faq_query) + _posted_faq(request))
        if not form.is_valid():
            return False
        c = form.cleaned_data
        actions.reply_send(request=found, body=c["body"], by=user, faq_ids=c["faq"], attachment=c.get("attachment"), resolve=c["resolve"])
        return _g("risposta inviata al cittadino")
    if action == "nota":
        form = forms["note"] = NoteForm(request.POST)
        if not form.is_valid():
            return False
        actions.note_add(request=found, body=form.cleaned_data["body"], by=user)
        return _g("nota aggiunta")
    if action == "risolvi":
        actions.request_resolve(request=found, by=user)
        return _g("richiesta risolta")
    if action == "faq":
        voce = request.POST.get("voce", "")
        entry = ThreadEntry.objects.filter(request=found, pk=parse_id(voce) or 0, kind=ThreadEntry.Kind.REPLY).first()
        if entry is None:
            raise actions.AssistanceError(_g("Risposta non trovata."))
        actions.faq_propose(entry=entry, by=user)
        return _g("bozza di FAQ proposta alla redazione")
    raise actions.AssistanceError(_g("Operazione non riconosciuta."))


def _posted_faq(request):
    """The FAQ ticked on the page (they may have come from a search): only real entries are accepted."""
    found = []
    for value in request.POST.getlist("faq"):
        entry = faq.provider().get(parse_id(value)) if parse_id(value) else None
        if entry is not None:
            found.append(entry)
    return found


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

"""The citizen's side of the URP desk: *Richiedi assistenza* (form → check with the FAQ that might answer → send,
with the e-mail confirmed by a one-time link when not signed in), the thread in the personal area, and the same
thread from the e-mail's reply link (an opaque token; no personal data in any URL)."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from services.accounts import area
from services.catalogue import selectors as catalogue
from services.core.decorators import private_no_store
from services.core.http import client_key

from . import actions, selectors
from .forms import CitizenReplyForm, RatingForm, RequestForm
from .models import AssistanceRequest, ThreadEntry
from .states import CITIZEN_CAN_WRITE, DONE

DRAFTS = "assistance_drafts"  # the session's drafts: only the browser that wrote one may confirm it


def _initial(request) -> dict:
    """Preselections from the links (?servizio=…, ?pratica=…, ?categoria=…) and the signed-in citizen's data."""
    initial = {}
    user = request.user
    if user.is_authenticated:
        initial.update(first_name=user.first_name, last_name=user.last_name, email=user.email)
    slug = request.GET.get("servizio", "")
    service = next((s for group in selectors.services_by_category().values() for s in group if s.slug == slug), None)
    if service is not None:
        initial.update(category=service.category_slug, service=service.slug)
    elif request.GET.get("categoria"):
        initial["category"] = request.GET["categoria"]
    if request.GET.get("pratica"):
        initial["application"] = request.GET["pratica"]
        # the application's service, and so its category, preselected too (issue 25/16)
        chosen = next((i for i in selectors.citizen_applications(user) if str(i.public_id) == request.GET["pratica"]), None) \
            if user.is_authenticated else None
        offered = catalogue.services_offering(chosen.procedure_code) if chosen else []
        if offered and "service" not in initial:
            initial.update(category=offered[0].category_slug, service=offered[0].slug)
    return initial


def _draft(request, public_id) -> AssistanceRequest:
    if str(public_id) not in request.session.get(DRAFTS, []):
        raise Http404
    found = AssistanceRequest.objects.filter(public_id=public_id, submitted_at__isnull=True).select_related("service", "istanza").first()
    if found is None:
        raise Http404
    return found


def _address_over_limit(request) -> bool:
    """At most ASSISTANCE_DAILY_LIMIT drafts a day from one network address (kept hashed, for a day, in the cache).
    With the cache down nothing is counted (None): the form stays open rather than refusing everyone."""
    key = f"assistance:addr:{timezone.localdate()}:" + client_key(request, "assistance")
    cache.add(key, 0, 86400)
    return (cache.incr(key) or 0) > settings.ASSISTANCE_DAILY_LIMIT


@private_no_store
def request_form(request):
    draft = None
    if request.GET.get("bozza"):
        draft = _draft(request, request.GET["bozza"])
    if request.method == "POST":
        if request.POST.get("bozza"):
            draft = _draft(request, request.POST["bozza"])
        form = RequestForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                if draft is None and _address_over_limit(request):
                    raise actions.AssistanceError(_("Da questa rete sono già arrivate molte richieste oggi: riprova domani o chiama l'URP."))
                channel = (AssistanceRequest.Channel.APPLICATION if form.cleaned_data["istanza"] else
                           AssistanceRequest.Channel.SERVICE if request.POST.get("da_scheda") else AssistanceRequest.Channel.SITE)
                made = actions.request_draft(data=form.action_data(), requester=request.user, channel=channel,
                                             attachment=form.cleaned_data.get("attachment"), draft=draft)
            except actions.AssistanceError as error:
                form.add_error(None, str(error))
            else:
                drafts = [d for d in request.session.get(DRAFTS, []) if d != str(made.public_id)][-4:]
                request.session[DRAFTS] = [*drafts, str(made.public_id)]
                return redirect("assistance:check", public_id=made.public_id)
        status = 400
    else:
        initial = _initial(request)
        if draft is not None:
            initial.update(first_name=draft.first_name, last_name=draft.last_name, email=draft.email, category=draft.category_slug,
                           service=draft.service.slug if draft.service_id else "", message=draft.message,
                           application=str(draft.istanza.public_id) if draft.istanza_id else "")
        form, status = RequestForm(initial=initial, user=request.user), 200
    return render(request, "assistance/request_form.html", {
        "form": form, "draft": draft, "from_service": bool(request.GET.get("servizio") or request.POST.get("da_scheda")),
    }, status=status)


@private_no_store
def request_check(request, public_id):
    """Before sending: the FAQ answers that match the text (*Forse la risposta è qui*) and a summary to confirm."""
    draft = _draft(request, public_id)
    if request.method == "POST":
        try:
            reached = actions.request_confirm(request=draft)
        except actions.AssistanceError as error:
            messages.error(request, str(error))
            return redirect("assistance:check", public_id=public_id)
        if reached:
            request.session[DRAFTS] = [d for d in request.session.get(DRAFTS, []) if d != str(public_id)]
        return redirect("assistance:sent", public_id=public_id)
    suggestions = selectors.faq_suggestions(draft)
    return render(request, "assistance/request_check.html", {"draft": draft, "suggestions": suggestions})


@private_no_store
def request_sent(request, public_id):
    """After *Invia*: the number, or the e-mail to confirm. Shows no personal data: the address is random."""
    found = AssistanceRequest.objects.filter(public_id=public_id).select_related("office").first()
    if found is None:
        raise Http404
    return render(request, "assistance/request_sent.html", {"found": found})


# The thread ---------------------------------------------------------------------------------------------------

def _thread_context(found, *, reply_form=None, rating_form=None) -> dict:
    can_write = found.status in CITIZEN_CAN_WRITE
    return {
        "found": found, "entries": selectors.thread(found, staff=False), "can_write": can_write,
        "reply_form": reply_form or CitizenReplyForm(), "rating_form": rating_form or RatingForm(),
        "can_rate": found.status in DONE, "reopen_days": settings.ASSISTANCE_REOPEN_DAYS,
    }


def _thread_post(request, found):
    """A reply or a rating from the thread; None when done, else the forms with their errors."""
    if request.POST.get("azione") == "valuta":
        rating_form = RatingForm(request.POST)
        if rating_form.is_valid():
            try:
                actions.rating_set(request=found, rating=rating_form.cleaned_data["rating"], comment=rating_form.cleaned_data["comment"])
                messages.success(request, _("Grazie per la tua valutazione."))
                return None
            except actions.AssistanceError as error:
                rating_form.add_error("rating", str(error))
        return {"rating_form": rating_form}
    reply_form = CitizenReplyForm(request.POST, request.FILES)
    if reply_form.is_valid():
        try:
            actions.citizen_write(request=found, body=reply_form.cleaned_data["body"], attachment=reply_form.cleaned_data.get("attachment"))
            messages.success(request, _("Messaggio inviato: lo trovi qui sotto, e l'ufficio lo vede nella sua scrivania."))
            return None
        except actions.AssistanceError as error:
            reply_form.add_error("body", str(error))
    return {"reply_form": reply_form}


@login_required
@private_no_store
def mine_list(request):
    return area.render_area(request, "assistenza", "assistance/mine_list.html",
                            {"requests": selectors.citizen_requests(request.user).order_by("-submitted_at")})


@login_required
@private_no_store
def mine(request, public_id):
    found = selectors.citizen_request(request.user, public_id)
    forms = {}
    if request.method == "POST":
        forms = _thread_post(request, found)
        if forms is None:
            return redirect("assistance:mine", public_id=public_id)
        found.refresh_from_db()
    return area.render_area(request, "assistenza", "assistance/thread.html", _thread_context(found, **forms),
                            status=400 if forms else 200)


@private_no_store
def by_token(request, token):
    found = selectors.by_token(token)
    forms = {}
    if request.method == "POST":
        forms = _thread_post(request, found)
        if forms is None:
            return redirect("assistance:by_token", token=token)
        found.refresh_from_db()
    context = _thread_context(found, **forms)
    context["token"] = token
    return render(request, "assistance/thread_public.html", context, status=400 if forms else 200)


def _file(entry_or_request) -> HttpResponse:
    from django.utils.text import get_valid_filename

    with entry_or_request.attachment.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=entry_or_request.attachment_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{get_valid_filename(entry_or_request.attachment_name) or "allegato"}"'
    return response


def attachment_of(found, entry_id):
    """The question's file (entry id `domanda`) or a public entry's, of this request only."""
    if entry_id == "domanda":
        target = found
    else:
        try:
            entry_uuid = uuid.UUID(entry_id)
        except ValueError:
            raise Http404 from None
        target = ThreadEntry.objects.filter(request=found, public_id=entry_uuid).exclude(kind=ThreadEntry.Kind.NOTE).first()
    if target is None or not target.attachment:
        raise Http404
    return _file(target)


@login_required
@private_no_store
def mine_attachment(request, public_id, entry_id):
    return attachment_of(selectors.citizen_request(request.user, public_id), entry_id)


@private_no_store
def token_attachment(request, token, entry_id):
    return attachment_of(selectors.by_token(token), entry_id)


"""Personal area, tab Pratiche: catalogue, wizard, summary and submission, detail, receipt, files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.accounts import area
from services.core import rating as model_rating
from services.core.decorators import private_no_store
from services.payments import checkout
from services.payments.actions import PaymentsSuspended

from . import actions, fees, protocol, registry, selectors
from .access import refusal_for
from .forms import RatingForm, SearchForm
from .receipts import outcome_event, outcome_letter_filename, outcome_letter_pdf, receipt_filename, receipt_pdf
from .states import DRAFT, EDITABLE, Actor, Status, TransitionError
from .wizard import wizard_view_for

TAB = "pratiche"


def _area(request, template, context, status=200):
    return area.render_area(request, TAB, template, context, status=status)


def _procedure(code, version=None):
    try:
        return registry.get(code, version)
    except KeyError as error:
        raise Http404 from error


def _refused(request, procedure, refusal, status=403):
    login_url = reverse("accounts:login") + "?" + urlencode(
        {"next": reverse("istanze:start", args=[procedure.code]), "livello": refusal.login_level}
    )
    return _area(request, "istanze/refused.html", {"procedure": procedure, "refusal": refusal, "login_url": login_url}, status)


@login_required
@private_no_store
def istanze_list(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = selectors.search_istanze(request.user, **form.cleaned_data)
    return _area(request, "istanze/list.html", {"groups": selectors.istanze_of(request.user), "form": form, "results": results})


@login_required
@private_no_store
def catalogue(request):
    """Nuova pratica: the procedures by category, with their window."""
    return _area(request, "istanze/catalogue.html", {"categories": selectors.catalogue_by_category()})


@login_required
@private_no_store
def istanza_start(request, code):
    """Start a procedure, or say there is a draft and offer to resume it or start again."""
    procedure = _procedure(code)
    refusal = refusal_for(request, procedure)
    if refusal:
        return _refused(request, procedure, refusal)
    if request.method == "POST":
        restart = request.POST.get("scelta") == "ricomincia"
        istanza, _created = actions.istanza_draft_get_or_create(owner=request.user, procedure_code=code, restart=restart)
        if istanza.status == Status.DA_INVIARE:
            return redirect("istanze:summary", public_id=istanza.public_id)
        return redirect("istanze:compile", public_id=istanza.public_id)
    draft = actions.istanza_draft_find(owner=request.user, procedure_code=code)
    return _area(request, "istanze/start.html", {"procedure": procedure, "draft": draft})


@login_required
@private_no_store
def istanza_compile(request, public_id):
    istanza = selectors.istanza_of(request.user, public_id)
    procedure = _procedure(istanza.procedure_code, istanza.procedure_version)
    if istanza.status == Status.DA_INVIARE:
        return redirect("istanze:summary", public_id=istanza.public_id)
    if istanza.status not in EDITABLE:
        messages.info(request, _("Questa pratica è già stata inviata e non si può più modificare."))
        return redirect("istanze:detail", public_id=istanza.public_id)
    refusal = refusal_for(request, procedure, new=istanza.status == Status.BOZZA)
    if refusal:
        return _refused(request, procedure, refusal)
    return wizard_view_for(procedure)(request, istanza=istanza)


@login_required
@private_no_store
def istanza_summary(request, public_id):
    """Riepilogo: everything the citizen filled in, as text, with the next step (Invia / Riporta in bozza)."""
    istanza = selectors.istanza_of(request.user, public_id)
    if istanza.status not in (Status.DA_INVIARE, Status.IN_ATTESA_DI_INTEGRAZIONE):
        return redirect("istanze:detail", public_id=istanza.public_id)
    return _area(request, "istanze/summary.html", {"istanza": istanza, "procedure": _procedure(istanza.procedure_code, istanza.procedure_version)})


@require_POST
@login_required
@private_no_store
def istanza_submit(request, public_id):
    """Invia. A double click, a replayed POST or the back button give the same application."""
    istanza = selectors.istanza_of(request.user, public_id)
    procedure = _procedure(istanza.procedure_code, istanza.procedure_version)
    try:
        if istanza.status in (Status.IN_ATTESA_DI_INTEGRAZIONE,):
            actions.istanza_transition(
                istanza=istanza, to=Status.PRESA_IN_CARICO, by=request.user, actor_kind=Actor.CITIZEN,
                note=_("Integrazione inviata dal cittadino"),
            )
            messages.success(request, _("Integrazione inviata: la pratica torna all'ufficio con lo stesso numero."))
            return redirect("istanze:detail", public_id=istanza.public_id)
        if istanza.status == Status.DA_INVIARE:
            refusal = refusal_for(request, procedure)
            if refusal:
                return _refused(request, procedure, refusal)
            if istanza.test:
                actions.istanza_transition(istanza=istanza, to=Status.PROVA, by=request.user, actor_kind=Actor.CITIZEN,
                                           note=_("Prova conclusa: nessun numero, nessun ufficio, nessun pagamento"))
                messages.success(request, _("Prova conclusa: la domanda non è stata inviata a nessun ufficio."))
                return redirect("istanze:detail", public_id=istanza.public_id)
            if fees.amount_of(istanza):
                istanza, position = fees.send_with_fee(istanza=istanza, by=request.user)
                return checkout.go(request, position)
        if istanza.status == Status.IN_ATTESA_DI_PAGAMENTO:  # a second click: to the same payment
            position = fees.position_of(istanza)
            return checkout.go(request, position) if position else redirect("istanze:detail", public_id=istanza.public_id)
        istanza = actions.istanza_transition(istanza=istanza, to=Status.INVIATA, by=request.user, actor_kind=Actor.CITIZEN)
    except TransitionError as error:
        messages.error(request, str(error))
        return redirect("istanze:detail", public_id=istanza.public_id)
    except PaymentsSuspended as suspended:
        messages.error(request, str(suspended))
        return redirect("istanze:summary", public_id=istanza.public_id)
    return redirect("istanze:sent", public_id=istanza.public_id)


@require_POST
@login_required
@private_no_store
def istanza_pay(request, public_id):
    """Paga ora: an application waiting for its fee, back to pagoPA Checkout with the same notice."""
    istanza = selectors.istanza_of(request.user, public_id)
    position = fees.position_of(istanza) if istanza.status == Status.IN_ATTESA_DI_PAGAMENTO else None
    if position is None:
        return redirect("istanze:detail", public_id=istanza.public_id)
    return checkout.go(request, position)


@require_POST
@login_required
@private_no_store
def istanza_back_to_draft(request, public_id):
    """Riporta in bozza: back to the wizard, data kept."""
    istanza = selectors.istanza_of(request.user, public_id)
    if istanza.status == Status.DA_INVIARE:
        actions.istanza_transition(istanza=istanza, to=Status.BOZZA, by=request.user, actor_kind=Actor.CITIZEN)
    return redirect("istanze:compile", public_id=istanza.public_id)


@require_POST
@login_required
@private_no_store
def istanza_withdraw(request, public_id):
    istanza = selectors.istanza_of(request.user, public_id)
    waits = protocol.withdrawal_waits(istanza)
    if not waits and istanza.status == Status.IN_ATTESA_DI_PAGAMENTO:
        waits = fees.withdraw_notice(istanza)
    if waits:
        messages.error(request, waits)
        return redirect("istanze:detail", public_id=istanza.public_id)
    try:
        actions.istanza_transition(istanza=istanza, to=Status.ANNULLATA, by=request.user, actor_kind=Actor.CITIZEN,
                                   note=_("Ritirata dal cittadino"))
        messages.success(request, _("Hai ritirato la domanda."))
    except TransitionError:
        messages.error(request, _("La domanda non si può più ritirare: l'ufficio l'ha già presa in carico."))
    return redirect("istanze:detail", public_id=istanza.public_id)


@require_POST
@login_required
@private_no_store
def istanza_discard_draft(request, public_id):
    istanza = selectors.istanza_of(request.user, public_id)
    if istanza.status in DRAFT or istanza.test:
        actions.istanza_delete_draft(istanza=istanza)
        messages.success(request, _("Bozza eliminata."))
    return redirect("istanze:list")


@login_required
@private_no_store
def istanza_sent(request, public_id):
    """The confirmation after Invia: number, date, receipt, expected dates, and the service rating."""
    istanza = selectors.istanza_of(request.user, public_id)
    if istanza.number is None:
        return redirect("istanze:detail", public_id=istanza.public_id)
    procedure = _procedure(istanza.procedure_code, istanza.procedure_version)
    form = RatingForm(request.POST or None)
    already_rated = hasattr(istanza, "rating")
    if request.method == "POST" and not already_rated and form.is_valid():
        actions.rating_create(istanza=istanza, **form.cleaned_data)
        messages.success(request, _("Grazie, il tuo parere ci aiuterà a migliorare il servizio!"))
        return redirect("istanze:sent", public_id=istanza.public_id)
    notes = procedure.confirmation_notes(istanza) if procedure.confirmation_notes else []
    return _area(request, "istanze/sent.html", {
        "istanza": istanza, "procedure": procedure, "notes": notes, "form": form, "already_rated": already_rated,
        "rating_groups": model_rating.GROUPS,
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
@private_no_store
def istanza_detail(request, public_id):
    istanza = selectors.istanza_of(request.user, public_id)
    procedure = selectors.procedure_or_none(istanza.procedure_code, istanza.procedure_version)
    return _area(request, "istanze/detail.html", {
        "fee": fees.position_of(istanza) if istanza.status == Status.IN_ATTESA_DI_PAGAMENTO else None,
        "istanza": istanza,
        "procedure": procedure,
        "notices": procedure.notices(istanza) if procedure and procedure.notices else [],
        "procedure_title": selectors.procedure_title(istanza.procedure_code),
        "events": protocol.with_registrations(istanza, istanza.events.select_related("actor")),
        "attachments": [a for a in istanza.attachments.all() if a.kind == "citizen"],
        "acts": [a for a in istanza.attachments.all() if a.kind == "office"],
        "messages_from_office": [e for e in istanza.events.all() if e.note and e.actor_kind == Actor.OFFICE],
        "registration": protocol.registration_of(istanza),
        "Status": Status,
    })


@login_required
@private_no_store
def istanza_outcome_letter(request, public_id):
    istanza = selectors.istanza_of(request.user, public_id)
    if outcome_event(istanza) is None:
        raise Http404
    return pdf_response(outcome_letter_pdf(istanza), outcome_letter_filename(istanza))


@login_required
@private_no_store
def istanza_receipt(request, public_id):
    istanza = selectors.istanza_of(request.user, public_id)
    if istanza.number is None:
        raise Http404
    return pdf_response(receipt_pdf(istanza), receipt_filename(istanza))


@login_required
@private_no_store
def attachment_download(request, public_id):
    attachment = selectors.attachment_for(request.user, public_id)
    return file_response(attachment, actions.attachment_read(attachment=attachment, by=request.user))


@require_POST
@login_required
@private_no_store
def istanza_star(request, public_id):
    istanza = selectors.istanza_of(request.user, public_id)
    istanza.starred = not istanza.starred
    istanza.save(update_fields=["starred"])
    return redirect("istanze:detail", public_id=istanza.public_id)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def file_response(attachment, content: bytes) -> HttpResponse:
    from django.utils.text import get_valid_filename

    response = HttpResponse(content, content_type=attachment.content_type)
    name = get_valid_filename(attachment.original_name) or "allegato"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

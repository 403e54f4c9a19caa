"""Writes of the URP desk. Each one is one transaction on the locked request, with its row in the thread; what the
citizen is told goes through the message layer in the same transaction. Times are counted in working days
(services.core.clock: weekends, Italian holidays, the patron saint's day) and stop while the office waits for
the citizen."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from services.accounts import verification
from services.accounts.models import Office
from services.catalogue import faq
from services.core import workflow
from services.core.clock import add_working_days, is_working_day
from services.core.sequences import format_number, sequence_next
from services.core.tokens import keyed_hash
from services.notifications import actions as outbox

from . import alerts, protocol
from .models import AssistanceRequest, ResponseTarget, ThreadEntry
from .states import CITIZEN_CAN_WRITE, DONE, OPEN, Status

URP = "urp"  # the category of general questions, and the office kind that answers them
PURPOSE = "assistance"  # the e-mail verification's purpose
MESSAGE_MAX = 600
TOKEN_VALIDITY = timedelta(days=30)


class AssistanceError(ValueError):
    """The message is for the person in front of the page, in Italian."""


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def targets(category_slug: str) -> tuple[int, int]:
    """(first reply, resolution) in working days for a category."""
    row = ResponseTarget.objects.filter(category_slug=category_slug).first()
    if row:
        return row.first_reply_days, row.resolution_days
    return settings.ASSISTANCE_FIRST_REPLY_DAYS, settings.ASSISTANCE_RESOLUTION_DAYS


def route(*, istanza=None) -> Office:
    """A question about a submitted application goes to the office that handles it (seed 000: the Municipio); any
    other question to the URP, which may forward it."""
    if istanza is not None and istanza.office_id:
        return istanza.office
    office = Office.objects.filter(kind=Office.Kind.URP).order_by("pk").first()
    if office is None:
        raise AssistanceError(_("Il servizio di assistenza non è ancora attivo: scrivi all'indirizzo indicato nei contatti del Comune."))
    return office


def _event(request, body, by=None, kind=ThreadEntry.Kind.EVENT, at=None, **extra) -> ThreadEntry:
    return ThreadEntry.objects.create(request=request, kind=kind, body=body, author=by, created_at=at or timezone.now(), **extra)


def _attach(target, upload) -> None:
    if upload:
        target.attachment.save(upload.name, upload, save=False)
        target.attachment_name = upload.name[:200]
        target.attachment_type = getattr(upload, "content_type", "") or "application/octet-stream"


def _locked(request: AssistanceRequest) -> AssistanceRequest:
    return AssistanceRequest.objects.select_for_update(of=("self",)).select_related("office", "requester").get(pk=request.pk)


def _check(request: AssistanceRequest, to: str) -> None:
    """Refuse, before anything is written, a move the table does not allow."""
    try:
        workflow.check(request, to)
    except workflow.TransitionError:
        raise AssistanceError(_("La richiesta è %(state)s: questa operazione non è più possibile.")
                              % {"state": request.get_status_display().lower()}) from None


def _save(request: AssistanceRequest, to: str, *, by=None, note: str = "") -> AssistanceRequest:
    """Write the locked request with its new state through the kernel (one event row); the other fields the action
    changed in memory are written with it."""
    _check(request, to)
    fields = {f.attname: getattr(request, f.attname) for f in AssistanceRequest._meta.concrete_fields
              if not f.primary_key and f.name != "status"}
    return workflow.transition(request, to, by=by, note=note, locked=True, **fields)


# The citizen --------------------------------------------------------------------------------------------------

@transaction.atomic
def request_draft(*, data: dict, requester=None, channel: str = AssistanceRequest.Channel.SITE, attachment=None,
                  draft: AssistanceRequest | None = None) -> AssistanceRequest:
    """The form's values, kept until the citizen confirms them on the next page (a second pass updates the draft)."""
    since = timezone.now() - timedelta(days=1)
    if draft is None and AssistanceRequest.objects.filter(email__iexact=data["email"], created_at__gte=since).count() >= settings.ASSISTANCE_DAILY_LIMIT:
        raise AssistanceError(_("Da questo indirizzo e-mail sono già arrivate molte richieste oggi: riprova domani o chiama l'URP."))
    request = draft or AssistanceRequest(requester=requester if getattr(requester, "is_authenticated", False) else None)
    if request.submitted_at is not None:
        raise AssistanceError(_("Questa richiesta è già stata inviata."))
    for field in ("first_name", "last_name", "email", "category_slug", "category_label", "service", "istanza"):
        setattr(request, field, data.get(field))
    # Shown to the desk as "accesso con SPID/CIE": only a codice fiscale an identity provider proved.
    request.fiscal_code = (request.requester.fiscal_code or "") if getattr(request.requester, "fiscal_code_attested", False) else ""
    request.message = data["message"][:MESSAGE_MAX]
    request.channel = channel
    request.office = route(istanza=data.get("istanza"))
    _attach(request, attachment)
    request.save()
    return request


@transaction.atomic
def request_confirm(*, request: AssistanceRequest) -> bool:
    """The citizen's *Invia*: straight to the desk when the address is already proven (the personal area's verified
    e-mail), otherwise a one-time link to it first. True when the request has reached the desk."""
    request = _locked(request)
    if request.submitted_at is not None:
        return True
    user = request.requester
    if user is not None and user.email_verified and user.email.lower() == request.email.lower():
        _submit(request)
        return True
    try:
        verification.address_verification_start(
            address=request.email, purpose=PURPOSE, reference=str(request.public_id), base_url=_base_url(),
            subject=_("Conferma la tua richiesta di assistenza"),
            text=_("Hai scritto al Comune con il modulo «Richiedi assistenza». Per inviare la richiesta conferma il tuo "
                   "indirizzo e-mail entro 24 ore aprendo questo collegamento:\n\n{link}\n\nSe non sei stato tu, ignora questo messaggio."))
    except verification.VerificationError as error:
        raise AssistanceError(str(error)) from error
    return False


def on_address_confirmed(reference: str, address: str) -> str:
    """The verification's handler (in its transaction): the request reaches the desk; the citizen goes to its page."""
    request = AssistanceRequest.objects.select_for_update().filter(public_id=reference).first()
    if request is None or request.email.lower() != address.lower():
        raise verification.VerificationError(_("La richiesta non esiste più: compilala di nuovo."))
    if request.submitted_at is None:
        _submit(request)
    return reverse("assistance:sent", args=[request.public_id])


@transaction.atomic
def request_submit(*, request: AssistanceRequest, now=None) -> AssistanceRequest:
    """A request whose address is already proven reaches the desk (the demo's requests, arrived `now`)."""
    request = _locked(request)
    if request.submitted_at is None:
        _submit(request, now)
    return request


def _submit(request: AssistanceRequest, now=None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now)
    first, resolution = targets(request.category_slug)
    request.submitted_at = now
    request.first_reply_due, request.resolution_due = add_working_days(today, first), add_working_days(today, resolution)
    request.number = format_number(code="ASSISTENZA", year=today.year, value=sequence_next(key=f"ASSISTENZA:{today.year}"))
    secret = _token_rotate(request)
    request.save()
    _event(request, _("Richiesta arrivata a: %(office)s.") % {"office": request.office.name}, at=now)
    _tell(request, "assistance.received", f"assistance-received:{request.pk}", secret)
    alerts.arrived(request, "arrived")
    protocol.arrived(request)


def _token_rotate(request: AssistanceRequest) -> str:
    """A new reply link for the e-mails (older ones stop working); the secret itself is never stored."""
    secret = secrets.token_urlsafe(32)
    request.token_hash = token_hash(secret)
    request.token_expires_at = timezone.now() + TOKEN_VALIDITY
    return secret


def token_hash(secret: str) -> str:
    return keyed_hash("assistance-reply", secret)


def _tell(request: AssistanceRequest, kind: str, event: str, secret: str, **context) -> None:
    if request.requester_id:
        link = _base_url() + reverse("assistance:mine", args=[request.public_id])
    else:
        link = _base_url() + reverse("assistance:by_token", args=[secret])
    recipient = {"user": request.requester} if request.requester_id else {"address": request.email}
    context = {"request": request, "link": link, "reopen_days": settings.ASSISTANCE_REOPEN_DAYS, **context}
    outbox.message_send(kind=kind, event=event, context=context,
                        url=reverse("assistance:mine", args=[request.public_id]) if request.requester_id else "",
                        ref=f"assistance:{request.pk}", **recipient)


def _resume_clock(request: AssistanceRequest, now) -> None:
    """Back from waiting for the citizen: the resolution date moves by the working days spent waiting."""
    if request.waiting_since is None:
        return
    day, today, paused = timezone.localdate(request.waiting_since), timezone.localdate(now), 0
    while day < today:
        day += timedelta(days=1)
        paused += is_working_day(day)
    if paused and request.resolution_due:
        request.resolution_due = add_working_days(request.resolution_due, paused)
    request.waiting_since = None


@transaction.atomic
def citizen_write(*, request: AssistanceRequest, body: str, attachment=None) -> ThreadEntry:
    """The citizen's answer in the thread. On a resolved request it reopens it, within the reopening period."""
    request = _locked(request)
    body = (body or "").strip()
    if not body:
        raise AssistanceError(_("Scrivi il messaggio."))
    if len(body) > MESSAGE_MAX:
        raise AssistanceError(_("Il messaggio può avere al massimo %(n)s caratteri.") % {"n": MESSAGE_MAX})
    if request.status not in CITIZEN_CAN_WRITE or request.submitted_at is None:
        raise AssistanceError(_("La richiesta è chiusa: se hai bisogno di altro, invia una nuova richiesta."))
    now = timezone.now()
    if request.status == Status.RISOLTA:
        if now - request.resolved_at > timedelta(days=settings.ASSISTANCE_REOPEN_DAYS):
            raise AssistanceError(_("La richiesta è chiusa: se hai bisogno di altro, invia una nuova richiesta."))
        request.resolved_at = None
        _event(request, _("Riaperta dal cittadino."))
    target = Status.ASSEGNATA if request.assignee_id else Status.NUOVA
    _check(request, target)
    _resume_clock(request, now)
    request = _save(request, target, note=_("Risposta del cittadino"))
    entry = ThreadEntry(request=request, kind=ThreadEntry.Kind.CITIZEN, body=body)
    _attach(entry, attachment)
    entry.save()
    return entry


@transaction.atomic
def rating_set(*, request: AssistanceRequest, rating: int, comment: str = "") -> AssistanceRequest:
    request = _locked(request)
    if request.status not in DONE:
        raise AssistanceError(_("Potrai valutare la risposta quando la richiesta sarà risolta."))
    if not 1 <= int(rating) <= 5:
        raise AssistanceError(_("Scegli un voto da 1 a 5."))
    request.rating, request.rating_comment = int(rating), (comment or "").strip()[:500]
    request.save(update_fields=["rating", "rating_comment", "updated_at"])
    return request


# The desk -----------------------------------------------------------------------------------------------------

@transaction.atomic
def request_take(*, request: AssistanceRequest, by) -> AssistanceRequest:
    return request_assign(request=request, to=by, by=by)


@transaction.atomic
def request_assign(*, request: AssistanceRequest, to, by) -> AssistanceRequest:
    request = _locked(request)
    if request.status not in OPEN:
        raise AssistanceError(_("La richiesta è %(state)s: non si assegna più.") % {"state": request.get_status_display().lower()})
    if not (to.is_superuser or to.offices.filter(pk=request.office_id).exists()):
        raise AssistanceError(_("Puoi assegnare la richiesta solo a un collega dell'ufficio %(office)s.") % {"office": request.office.name})
    target = Status.IN_ATTESA if request.status == Status.IN_ATTESA else Status.ASSEGNATA
    name = to.get_full_name() or to.get_username()
    request = workflow.transition(request, target, by=by, note=name, locked=True, assignee=to)
    _event(request, _("Presa in carico da %(name)s.") % {"name": name} if to == by else
           _("Assegnata a %(name)s.") % {"name": name}, by)
    return request


@transaction.atomic
def request_forward(*, request: AssistanceRequest, office: Office, note: str, by) -> AssistanceRequest:
    """To another office, with a note the citizen does not see; the new office finds it among its new requests."""
    request = _locked(request)
    if office.pk == request.office_id:
        raise AssistanceError(_("La richiesta è già dell'ufficio %(office)s.") % {"office": office.name})
    if not note.strip():
        raise AssistanceError(_("Scrivi una nota per il collega dell'altro ufficio."))
    previous = request.office
    _check(request, Status.NUOVA)
    request = workflow.transition(request, Status.NUOVA, by=by, note=office.name, locked=True, office=office, assignee=None)
    _event(request, _("Inoltrata da %(a)s a %(b)s.") % {"a": previous.name, "b": office.name}, by)
    _event(request, note.strip(), by, kind=ThreadEntry.Kind.NOTE)
    return request


@transaction.atomic
def note_add(*, request: AssistanceRequest, body: str, by) -> ThreadEntry:
    request = _locked(request)
    if not body.strip():
        raise AssistanceError(_("Scrivi la nota."))
    return _event(request, body.strip(), by, kind=ThreadEntry.Kind.NOTE)


@transaction.atomic
def reply_send(*, request: AssistanceRequest, body: str, by, faq_ids=(), attachment=None, resolve: bool = False,
               now=None) -> ThreadEntry:
    """The office's reply, to the citizen through the message layer (e-mail, App IO, the personal area): the
    request then waits for the citizen, or is resolved. The FAQ linked are named in the reply."""
    request = _locked(request)
    if not body.strip():
        raise AssistanceError(_("Scrivi la risposta."))
    now = now or timezone.now()
    target = Status.RISOLTA if resolve else Status.IN_ATTESA
    _check(request, target)
    linked = [e for e in (faq.provider().get(int(i)) for i in faq_ids) if e is not None]
    entry = ThreadEntry(request=request, kind=ThreadEntry.Kind.REPLY, body=body.strip(), author=by, created_at=now,
                        faq=[{"id": e.id, "question": e.question, "url": _base_url() + e.url} for e in linked])
    _attach(entry, attachment)
    entry.save()
    request.first_reply_at = request.first_reply_at or now
    request.assignee = request.assignee or by
    if resolve:
        _resume_clock(request, now)
        request.resolved_at = now
    else:
        request.waiting_since = request.waiting_since or now
    secret = _token_rotate(request)
    request = _save(request, target, by=by, note=_("Risposta inviata"))
    _tell(request, "assistance.reply", f"assistance-entry:{entry.pk}", secret, entry=entry)
    protocol.replied(request, entry)
    return entry


@transaction.atomic
def request_resolve(*, request: AssistanceRequest, by) -> AssistanceRequest:
    request = _locked(request)
    _check(request, Status.RISOLTA)
    now = timezone.now()
    _resume_clock(request, now)
    request.resolved_at = now
    secret = _token_rotate(request)
    request = _save(request, Status.RISOLTA, by=by)
    _event(request, _("Segnata come risolta."), by)
    # the citizen learns it, with the link to rate the answer or reopen it (an anonymous one has no other way)
    _tell(request, "assistance.resolved", f"assistance-resolved:{request.pk}:{request.resolved_at.isoformat()}", secret)
    return request


def faq_propose(*, entry: ThreadEntry, by) -> int:
    """*Crea una FAQ da questa risposta*: a draft entry the editors review before it is published."""
    if entry.kind != ThreadEntry.Kind.REPLY:
        raise AssistanceError(_("Solo una risposta dell'ufficio può diventare una FAQ."))
    request = entry.request
    try:
        return faq.provider().propose(question=request.message[:255], answer=entry.body,
                                      service_slug=request.service.slug if request.service_id else "",
                                      proposed_by=by.get_full_name() or by.get_username())
    except LookupError as error:
        raise AssistanceError(_("Le FAQ non sono gestite da questo sito.")) from error


# Time ---------------------------------------------------------------------------------------------------------

def requests_close(now=None) -> int:
    """Resolved requests not reopened within the period are closed; their reply links stop working."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.ASSISTANCE_REOPEN_DAYS)
    closed = 0
    for pk in AssistanceRequest.objects.filter(status=Status.RISOLTA, resolved_at__lt=limit).values_list("pk", flat=True):
        with transaction.atomic():
            request = AssistanceRequest.objects.select_for_update().get(pk=pk)
            if request.status != Status.RISOLTA:
                continue
            workflow.transition(request, Status.CHIUSA, note=_("Chiusa dopo il periodo di riapertura"), locked=True,
                                closed_at=now, token_hash="")
            _event(request, _("Chiusa: nessuna riapertura entro %(n)s giorni.") % {"n": settings.ASSISTANCE_REOPEN_DAYS})
            closed += 1
    return closed


def requests_minimise(now=None) -> int:
    """Retention: closed requests older than the period keep their numbers, dates and figures for the statistics;
    names, addresses, texts and files are erased. Drafts never confirmed go after a day."""
    now = now or timezone.now()
    AssistanceRequest.objects.filter(submitted_at__isnull=True, created_at__lt=now - timedelta(days=1)).delete()
    limit = now - timedelta(days=settings.ASSISTANCE_RETENTION_DAYS)
    done = 0
    for request in AssistanceRequest.objects.filter(status=Status.CHIUSA, closed_at__lt=limit, minimised_at__isnull=True):
        with transaction.atomic():
            for entry in request.entries.exclude(attachment=""):
                entry.attachment.delete(save=False)
            request.entries.update(body="—", attachment="", attachment_name="", faq=[])
            if request.attachment:
                request.attachment.delete(save=False)
            AssistanceRequest.objects.filter(pk=request.pk).update(
                first_name="—", last_name="—", fiscal_code="", email="rimosso@invalid", message="—", attachment="",
                attachment_name="", rating_comment="", requester=None, token_hash="", minimised_at=now)
            done += 1
    return done

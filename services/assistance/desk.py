"""What the URP desk does with a request, as desk actions (services/core/desk.py). The page posts to itself with the
action's name in `azione`; each action says what it did."""

from django import forms
from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.catalogue import faq
from services.core import desk
from services.core.desk import Action, ActionError
from services.core.parsing import parse_id

from . import actions, selectors
from .forms import AssignForm, ForwardForm, NoteForm, ReplyForm
from .models import AssistanceRequest, ThreadEntry
from .states import OPEN, Status

ANSWER = "assistance.answer_assistancerequest"


def _lookup(user, pk):
    return selectors.desk_requests(user).filter(pk=pk).select_related("istanza", "requester").first()


def _render(request, found, *, bound=None, confirm=None, status=200):
    from .wagtail_hooks import detail_page

    for form in (bound or {}).values():  # the page shows the fields' errors next to them, the rest at the top
        for error in form.non_field_errors():
            messages.error(request, error)
    return detail_page(request, found, bound=bound or {}, status=status)


DESK = desk.register("assistance", AssistanceRequest, lookup=_lookup, render=_render, errors=(actions.AssistanceError,),
                     page_url=lambda found: reverse("assistance_desk_detail", args=[found.pk]))


def faq_entries(found, query=""):
    entries = faq.provider().search(query, limit=10) if query else []
    if found.service_id:
        entries += [e for e in faq.provider().for_service(found.service.slug) if e.id not in {x.id for x in entries}]
    return entries


def faq_query(request) -> str:
    return request.GET.get("faq_q", "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL in text


def _posted_faq(request):
    """The FAQ ticked on the page (they may have come from a search): only real entries are accepted."""
    found = []
    for value in request.POST.getlist("faq"):
        entry = faq.provider().get(parse_id(value)) if parse_id(value) else None
        if entry is not None:
            found.append(entry)
    return found


class DeskAction(Action):
    permission = ANSWER

    def is_available(self, found, user):
        return found.status in OPEN and super().is_available(found, user)

    def who(self, found):
        return found.number or str(found.pk)


@DESK.action
class Take(DeskAction):
    name, label = "prendi", gettext_lazy("Prendi in carico")

    def execute(self, request, found, form):
        actions.request_take(request=found, by=request.user)
        return _("Richiesta %(n)s presa in carico da te.") % {"n": self.who(found)}


@DESK.action
class Assign(DeskAction):
    name, label, form_class = "assegna", gettext_lazy("Assegna a un collega"), AssignForm

    def form_kwargs(self, request, found):
        return {"office": found.office}

    def execute(self, request, found, form):
        colleague = form.cleaned_data["user"]
        actions.request_assign(request=found, to=colleague, by=request.user)
        return _("Richiesta %(n)s assegnata a %(name)s.") % {"n": self.who(found), "name": colleague.get_full_name() or colleague.get_username()}


@DESK.action
class Forward(DeskAction):
    name, label, form_class, target = "inoltra", gettext_lazy("Inoltra"), ForwardForm, Status.NUOVA

    def form_kwargs(self, request, found):
        return {"request_office": found.office}

    def execute(self, request, found, form):
        office = form.cleaned_data["office"]
        actions.request_forward(request=found, office=office, note=form.cleaned_data["note"], by=request.user)
        return _("Richiesta %(n)s inoltrata all'ufficio %(office)s: la trova tra le nuove.") % {"n": self.who(found), "office": office.name}


@DESK.action
class Reply(DeskAction):
    name, label, form_class = "rispondi", gettext_lazy("Invia la risposta"), ReplyForm

    def get_form(self, request, found, data=None, files=None):
        entries = faq_entries(found, faq_query(request)) + (_posted_faq(request) if data is not None else [])
        return ReplyForm(data, files, faq_entries=entries) if data is not None else ReplyForm(faq_entries=entries)

    def execute(self, request, found, form):
        c = form.cleaned_data
        actions.reply_send(request=found, body=c["body"], by=request.user, faq_ids=c["faq"], attachment=c.get("attachment"),
                           resolve=c["resolve"])
        done = _("Risposta inviata a %(name)s") % {"name": f"{found.first_name} {found.last_name}".strip()}
        return done + (_(": la richiesta %(n)s è risolta.") if c["resolve"] else _(": la richiesta %(n)s attende il cittadino.")) % {"n": self.who(found)}


@DESK.action
class Note(DeskAction):
    name, label, form_class = "nota", gettext_lazy("Aggiungi la nota"), NoteForm

    def execute(self, request, found, form):
        actions.note_add(request=found, body=form.cleaned_data["body"], by=request.user)
        return _("Nota interna aggiunta alla richiesta %(n)s.") % {"n": self.who(found)}


@DESK.action
class Resolve(DeskAction):
    name, label, target = "risolvi", gettext_lazy("Segna come risolta"), Status.RISOLTA

    def execute(self, request, found, form):
        actions.request_resolve(request=found, by=request.user)
        return _("Richiesta %(n)s risolta: %(name)s riceve il messaggio con il link per valutarla.") % {
            "n": self.who(found), "name": f"{found.first_name} {found.last_name}".strip()}


class FaqForm(forms.Form):
    voce = forms.CharField(required=False)  # which reply: checked against the thread in `execute`


@DESK.action
class ProposeFaq(DeskAction):
    name, label, form_class = "faq", gettext_lazy("Crea una FAQ da questa risposta"), FaqForm

    def is_available(self, found, user):
        return Action.is_available(self, found, user)  # also on a resolved request: its answers make good FAQ

    def execute(self, request, found, form):
        entry = ThreadEntry.objects.filter(request=found, pk=parse_id(form.cleaned_data["voce"]) or 0, kind=ThreadEntry.Kind.REPLY).first()
        if entry is None:
            raise ActionError(_("Risposta non trovata."))
        actions.faq_propose(entry=entry, by=request.user)
        messages.info(request, _("La redazione la trova tra le FAQ in bozza."))
        return _("Proposta una bozza di FAQ dalla risposta alla richiesta %(n)s.") % {"n": self.who(found)}

"""The office's actions on one application, as desk actions (services/core/desk.py): each state change is the
kernel's table read for the office, assignment and acts are actions of their own."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.core import desk
from services.core.desk import Action
from services.notifications.selectors import dispatches_for_events

from . import actions, selectors
from .forms import ActForm, AssignForm, OfficeNoteForm
from .models import Attachment, Istanza
from .states import WORKABLE, Actor, Status

CHANGE = "istanze.change_istanza"


def colleagues(istanza):
    return get_user_model().objects.filter(is_active=True, is_staff=True, offices=istanza.office_id).order_by("last_name", "first_name")


def _lookup(user, pk):
    if not (user.is_superuser or user.has_perm(CHANGE)):
        raise PermissionDenied
    return selectors.istanza_for_operator(user, pk)  # 404 for another office's application


def inspect_context(request, istanza, bound: dict | None = None) -> dict:
    events = list(istanza.events.select_related("actor"))
    sent = dispatches_for_events([f"istanza-event:{e.pk}" for e in events])
    for event in events:  # how the citizen was told: channel and outcome of each message
        event.dispatches = sent.get(f"istanza-event:{event.pk}", [])
    procedure = selectors.procedure_or_none(istanza.procedure_code)
    return {
        "istanza": istanza,
        "procedure_title": selectors.procedure_title(istanza.procedure_code),
        "notices": procedure.notices(istanza) if procedure and procedure.notices else [],
        "events": events,
        "attachments": istanza.attachments.filter(kind=Attachment.Kind.CITIZEN),
        "acts": istanza.attachments.filter(kind=Attachment.Kind.OFFICE),
        "actions": DESK.entries(request, istanza, bound),
        "receipt_url": reverse("istanze_office_receipt", args=[istanza.pk]),
    }


def _render(request, istanza, *, bound=None, confirm=None, status=200):
    context = {"view": {"index_url": reverse("istanze_istanza_modeladmin_index")}, **inspect_context(request, istanza, bound),
               "failed_action": next(iter(bound or {}), "")}
    return TemplateResponse(request, "istanze/admin/inspect.html", context, status=status)


DESK = desk.register("istanze", Istanza, lookup=_lookup, render=_render,
                       page_url=lambda istanza: reverse("istanze_istanza_modeladmin_inspect", args=[istanza.pk]))


class Move(Action):
    """A change of state by the office, with the note the citizen reads (required where the table says so)."""

    form_class, prefix, actor, permission = OfficeNoteForm, True, Actor.OFFICE, CHANGE

    def note(self, form) -> str:
        return form.cleaned_data.get("note", "")

    def execute(self, request, istanza, form):
        outcome = {k: v for k, v in form.cleaned_data.items() if k != "note"}
        istanza = actions.istanza_transition(istanza=istanza, to=self.target, by=request.user, actor_kind=Actor.OFFICE,
                                             note=self.note(form), outcome=outcome)
        done = _("Pratica %(number)s: %(state)s.") % {"number": istanza.number, "state": istanza.get_status_display()}
        notes = istanza.procedure.outcome_notes(istanza, istanza.status) if istanza.procedure.outcome_notes else ""
        return f"{done} {notes}".strip()


@DESK.action
class TakeInCharge(Move):
    name, label, target = "prendi_in_carico", gettext_lazy("Prendi in carico"), Status.PRESA_IN_CARICO


@DESK.action
class AskForIntegration(Move):
    name, label, target = "richiedi_integrazione", gettext_lazy("Richiedi integrazione"), Status.IN_ATTESA_DI_INTEGRAZIONE


@DESK.action
class Accept(Move):
    name, label, target = "accogli", gettext_lazy("Accogli"), Status.ACCOLTA

    def get_form(self, request, istanza, data=None, files=None):
        outcome_form = istanza.procedure.outcome_form  # e.g. the organisation chosen for an OEPAC application
        if outcome_form is None:
            return super().get_form(request, istanza, data, files)
        return outcome_form(data, files, istanza=istanza, prefix=self.name) if data is not None else outcome_form(istanza=istanza, prefix=self.name)

    def note(self, form):
        note = form.cleaned_data.get("note", "")
        if hasattr(form, "outcome_note") and form.outcome_note():
            note = (note + "\n" if note else "") + form.outcome_note()  # e.g. the organisation assigned, never health data
        return note


@DESK.action
class Reject(Move):
    name, label, target, style = "respingi", gettext_lazy("Respingi"), Status.RESPINTA, "warning"


@DESK.action
class Archive(Move):
    name, label, target = "archivia", gettext_lazy("Archivia"), Status.ARCHIVIATA


@DESK.action
class Assign(Action):
    name, label, form_class, prefix, permission = "assegna", gettext_lazy("Assegna a un collega"), AssignForm, True, CHANGE

    def is_available(self, istanza, user):
        return super().is_available(istanza, user) and istanza.status in WORKABLE

    def form_kwargs(self, request, istanza):
        return {"colleagues": colleagues(istanza)}

    def execute(self, request, istanza, form):
        colleague = form.cleaned_data["user"]
        actions.istanza_assign(istanza=istanza, by=request.user, to_user=colleague)
        return _("Pratica %(number)s: assegnata a %(name)s.") % {"number": istanza.number,
                                                                 "name": colleague.get_full_name() or colleague.email}


@DESK.action
class AttachAct(Action):
    name, label, form_class, prefix, permission = "allega_atto", gettext_lazy("Allega un atto"), ActForm, True, CHANGE

    def execute(self, request, istanza, form):
        act = actions.istanza_attach_act(istanza=istanza, by=request.user, upload=form.cleaned_data["file"],
                                         label=form.cleaned_data["label"])
        return _("Pratica %(number)s: atto «%(label)s» allegato, il cittadino lo trova nella pratica.") % {
            "number": istanza.number, "label": act.label}

"""The office's actions on one application, each a guarded transition (states.TRANSITIONS)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from services.core.decorators import private_no_store
from services.notifications.selectors import dispatches_for_events

from . import actions, selectors, states
from .forms import ActForm, AssignForm, OfficeNoteForm
from .models import Attachment
from .receipts import receipt_filename, receipt_pdf
from .states import TRANSITIONS, Actor, Status, TransitionError

# action -> (target state or None, title, whether the note is required)
# The office's buttons: the state each one moves to (None: not a state change) and its label. Whether a note
# is required is the state table's rule (states.requires_note), not written here again.
ACTIONS = {
    "prendi_in_carico": (Status.PRESA_IN_CARICO, gettext_lazy("Prendi in carico")),
    "richiedi_integrazione": (Status.IN_ATTESA_DI_INTEGRAZIONE, gettext_lazy("Richiedi integrazione")),
    "accogli": (Status.ACCOLTA, gettext_lazy("Accogli")),
    "respingi": (Status.RESPINTA, gettext_lazy("Respingi")),
    "archivia": (Status.ARCHIVIATA, gettext_lazy("Archivia")),
    "assegna": (None, gettext_lazy("Assegna a un collega")),
    "allega_atto": (None, gettext_lazy("Allega un atto")),
}


def colleagues(istanza):
    return get_user_model().objects.filter(is_active=True, is_staff=True, offices=istanza.office_id).order_by("last_name", "first_name")


def available_actions(istanza) -> list[str]:
    names = []
    for name, (target, _title) in ACTIONS.items():
        if target is None:
            if name == "assegna" and istanza.status in states.OPEN_OFFICE or name == "allega_atto":
                names.append(name)
        elif (Status(istanza.status), target) in TRANSITIONS and Actor.OFFICE in TRANSITIONS[(Status(istanza.status), target)][0]:
            names.append(name)
    return names


def action_forms(istanza, bound: dict | None = None) -> dict:
    bound = bound or {}
    procedure = istanza.procedure
    forms = {}
    for name in available_actions(istanza):
        if name == "assegna":
            forms[name] = bound.get(name) or AssignForm(colleagues=colleagues(istanza), prefix=name)
        elif name == "allega_atto":
            forms[name] = bound.get(name) or ActForm(prefix=name)
        elif name == "accogli" and procedure.outcome_form:
            forms[name] = bound.get(name) or procedure.outcome_form(istanza=istanza, prefix=name)
        else:
            forms[name] = bound.get(name) or OfficeNoteForm(prefix=name)
    return forms


def inspect_context(request, istanza, bound: dict | None = None) -> dict:
    forms = action_forms(istanza, bound)
    events = list(istanza.events.select_related("actor"))
    sent = dispatches_for_events([f"istanza-event:{e.pk}" for e in events])
    for event in events:  # how the citizen was told: channel and outcome of each message
        event.dispatches = sent.get(f"istanza-event:{event.pk}", [])
    return {
        "istanza": istanza,
        "procedure_title": selectors.procedure_title(istanza.procedure_code),
        "events": events,
        "attachments": istanza.attachments.filter(kind=Attachment.Kind.CITIZEN),
        "acts": istanza.attachments.filter(kind=Attachment.Kind.OFFICE),
        "actions": [
            {"name": name, "title": ACTIONS[name][1], "form": form,
             "note_required": ACTIONS[name][0] is not None and states.requires_note(ACTIONS[name][0]),
             "url": reverse("istanze_office_action", args=[istanza.pk, name])}
            for name, form in forms.items()
        ],
        "receipt_url": reverse("istanze_office_receipt", args=[istanza.pk]),
    }


def _check_perm(request):
    if not (request.user.is_superuser or request.user.has_perm("istanze.change_istanza")):
        raise PermissionDenied


@require_POST
@private_no_store
def office_action(request, pk, action):
    _check_perm(request)
    istanza = selectors.istanza_for_operator(request.user, pk)  # 404 for another office's application
    inspect_url = reverse("istanze_istanza_modeladmin_inspect", args=[istanza.pk])
    if action not in ACTIONS:
        messages.error(request, _("Azione sconosciuta."))
        return redirect(inspect_url)
    if action not in available_actions(istanza):
        messages.error(request, _("Questa azione non è possibile nello stato attuale (%(state)s).") % {"state": istanza.get_status_display()})
        return redirect(inspect_url)
    forms = action_forms(istanza)
    form_class = type(forms[action])
    kwargs = {"data": request.POST, "files": request.FILES, "prefix": action}
    if action == "assegna":
        kwargs["colleagues"] = colleagues(istanza)
    elif action == "accogli" and istanza.procedure.outcome_form:
        kwargs["istanza"] = istanza
    form = form_class(**kwargs)
    if form.is_valid():
        try:
            _perform(request, istanza, action, form)
        except TransitionError as error:
            form.add_error(None, str(error))
            if "note" in form.fields:
                form.add_error("note", str(error))
        else:
            istanza.refresh_from_db()
            done = _("Pratica %(number)s: %(state)s.") % {"number": istanza.number, "state": istanza.get_status_display()}
            notes = istanza.procedure.outcome_notes(istanza, istanza.status) if istanza.procedure.outcome_notes else ""
            messages.success(request, f"{done} {notes}".strip())
            return redirect(inspect_url)
    context = {
        "view": {"index_url": reverse("istanze_istanza_modeladmin_index")},
        **inspect_context(request, istanza, bound={action: form}),
        "failed_action": action,
    }
    return TemplateResponse(request, "istanze/admin/inspect.html", context, status=400)


def _perform(request, istanza, action, form):
    target, _title = ACTIONS[action]
    if action == "assegna":
        actions.istanza_assign(istanza=istanza, by=request.user, to_user=form.cleaned_data["user"])
    elif action == "allega_atto":
        actions.istanza_attach_act(istanza=istanza, by=request.user, upload=form.cleaned_data["file"], label=form.cleaned_data["label"])
    else:
        note = form.cleaned_data.get("note", "")
        outcome = {k: v for k, v in form.cleaned_data.items() if k != "note"}
        if hasattr(form, "outcome_note") and form.outcome_note():
            note = (note + "\n" if note else "") + form.outcome_note()  # e.g. the organisation assigned, never health data
        actions.istanza_transition(istanza=istanza, to=target, by=request.user, actor_kind=Actor.OFFICE, note=note, outcome=outcome)


@private_no_store
def office_receipt(request, pk):
    from .views import pdf_response

    istanza = selectors.istanza_for_operator(request.user, pk)
    return pdf_response(receipt_pdf(istanza), receipt_filename(istanza))

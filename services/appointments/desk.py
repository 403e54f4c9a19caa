"""The counter's actions in the agenda, as desk actions (services/core/desk.py): check-in, no-show and cancellation
of an appointment (the kernel's table), taking a slot off and back. Each says what it did, to whom, at what time."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.core import desk
from services.core.desk import Action

from . import actions
from .models import Appointment, Slot
from .states import Status

AGENDA = "appointments.manage_agenda"


def _in_offices(queryset, user, field):
    return queryset if user.is_superuser else queryset.filter(**{f"{field}__in": user.offices.all()})


def agenda_url(office_id, starts_at) -> str:
    return f"{reverse('appointments_agenda')}?ufficio={office_id}&giorno={timezone.localdate(starts_at).isoformat()}"


def _back(request, obj, *, bound=None, confirm=None, status=200):
    """The agenda is one page for many records: a refused form comes back as a message on it."""
    for form in (bound or {}).values():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    slot = obj.slot if isinstance(obj, Appointment) else obj
    return redirect(agenda_url(slot.office_id, slot.starts_at))


APPOINTMENTS = desk.register(
    "appointments", Appointment, render=_back, errors=(actions.BookingError,),
    lookup=lambda user, pk: _in_offices(Appointment.objects.select_related("slot"), user, "slot__office").filter(pk=pk).first(),
    page_url=lambda a: agenda_url(a.slot.office_id, a.slot.starts_at))
SLOTS = desk.register(
    "slots", Slot, render=_back, errors=(actions.BookingError,),
    lookup=lambda user, pk: _in_offices(Slot.objects.all(), user, "office").filter(pk=pk).first(),
    page_url=lambda slot: agenda_url(slot.office_id, slot.starts_at))


class AppointmentAction(Action):
    permission = AGENDA

    def who(self, a):
        return {"who": f"{a.first_name} {a.last_name}", "t": f"{timezone.localtime(a.slot.starts_at):%H:%M}"}


class Mark(AppointmentAction):
    done = ""

    def execute(self, request, a, form):
        actions.appointment_mark(appointment=a, status=self.target, by=request.user)
        return str(self.done) % self.who(a)


@APPOINTMENTS.action
class CheckIn(Mark):
    name, label, target = "presente", gettext_lazy("Presente"), Status.ATTENDED
    done = gettext_lazy("%(who)s (ore %(t)s): presente.")


@APPOINTMENTS.action
class NoShow(Mark):
    name, label, target = "assente", gettext_lazy("Non presentato"), Status.NO_SHOW
    done = gettext_lazy("%(who)s (ore %(t)s): non presentato.")


class CancelForm(forms.Form):
    motivo = forms.CharField(label=gettext_lazy("Motivo dell'annullamento"), max_length=300,
                             error_messages={"required": gettext_lazy("Scrivi il motivo dell'annullamento: lo riceve il cittadino.")})


@APPOINTMENTS.action
class Cancel(AppointmentAction):
    name, label, target, form_class, style = "annulla", gettext_lazy("Annulla"), Status.CANCELLED_OFFICE, CancelForm, "warning"

    def execute(self, request, a, form):
        actions.appointment_cancel(appointment=a, by_office=True, reason=form.cleaned_data["motivo"].strip(), by=request.user)
        return _("Appuntamento delle %(t)s di %(who)s annullato: il posto è di nuovo libero e il cittadino riceve il motivo.") % self.who(a)


class SlotAction(Action):
    permission = AGENDA
    blocked = False

    def is_available(self, slot, user):
        return slot.blocked != self.blocked and super().is_available(slot, user)

    def execute(self, request, slot, form):
        actions.slot_block(slot=slot, blocked=self.blocked)
        return str(self.done) % {"t": f"{timezone.localtime(slot.starts_at):%H:%M}"}


@SLOTS.action
class Block(SlotAction):
    name, label, blocked = "blocca", gettext_lazy("Blocca"), True
    done = gettext_lazy("Fascia delle %(t)s bloccata: non si prenota più online.")


@SLOTS.action
class Unblock(SlotAction):
    name, label, blocked = "sblocca", gettext_lazy("Rendi prenotabile"), False
    done = gettext_lazy("Fascia delle %(t)s di nuovo prenotabile.")

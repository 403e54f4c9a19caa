"""Appointments in the admin: calendars (opening hours, closures, appointment types) as snippets, and the
operator's agenda — the day per office, check-in at the counter, no-show, cancellation with a message to the
citizen, slots taken off, CSV."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from services.accounts.models import Office
from services.core.admin import PermissionMenuItem
from services.core.decorators import private_no_store
from services.core.exports import csv_response
from services.core.parsing import parse_id

from . import actions
from .models import Appointment, AppointmentType, Closure, OpeningBlock, Slot
from .states import CANCELLED, Status

AGENDA = "appointments.manage_agenda"


def _offices(user):
    return Office.objects.order_by("name") if user.is_superuser else user.offices.order_by("name")


@private_no_store
@permission_required(AGENDA, raise_exception=True)
def agenda_view(request):
    offices = list(_offices(request.user))
    source = request.POST if request.method == "POST" else request.GET
    office = next((o for o in offices if str(o.pk) == source.get("ufficio")), offices[0] if offices else None)
    try:
        day = date.fromisoformat(source.get("giorno", "")) if source.get("giorno") else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    if request.method == "POST" and office is not None:
        _act(request, office)
        return redirect(f"{reverse('appointments_agenda')}?ufficio={office.pk}&giorno={day.isoformat()}")
    slots = list(Slot.objects.filter(office=office, starts_at__date=day).select_related("type__service")
                 .prefetch_related("appointments").order_by("starts_at")) if office else []
    if source.get("formato") == "csv" and office:
        return _csv(office, day, slots)
    now = timezone.now()
    for slot in slots:  # what the row shows: the appointments holding it, the cancelled ones, the places still free
        every = list(slot.appointments.all())
        slot.current = [a for a in every if a.status not in CANCELLED]
        slot.cancelled = [a for a in every if a.status in CANCELLED]
        slot.free = max(slot.places - slot.booked, 0)
        slot.markable = actions.markable(slot, now)
    return TemplateResponse(request, "appointments/admin/agenda.html", {
        "offices": offices, "office": office, "day": day, "slots": slots, "Status": Status})


def _number(value) -> int:
    return parse_id(value) or 0


def _act(request, office):
    """One operation of the counter; the message says what was done, to whom and at what time."""
    action = request.POST.get("azione", "")
    try:
        if action in ("presente", "assente", "annulla"):
            appointment = (Appointment.objects.filter(pk=_number(request.POST.get("appuntamento")), slot__office=office)
                           .select_related("slot").first())
            if appointment is None:
                raise actions.BookingError(_g("Appuntamento non trovato in questo ufficio."))
            who = {"who": f"{appointment.first_name} {appointment.last_name}", "t": f"{timezone.localtime(appointment.slot.starts_at):%H:%M}"}
            if action == "annulla":
                reason = request.POST.get("motivo", "").strip()
                if not reason:
                    raise actions.BookingError(_g("Scrivi il motivo dell'annullamento: lo riceve il cittadino."))
                actions.appointment_cancel(appointment=appointment, by_office=True, reason=reason, by=request.user)
                done = _g("Appuntamento delle %(t)s di %(who)s annullato: il posto è di nuovo libero e il cittadino riceve il motivo.") % who
            else:
                actions.appointment_mark(appointment=appointment, status=Status.ATTENDED if action == "presente" else Status.NO_SHOW,
                                         by=request.user)
                done = (_g("%(who)s (ore %(t)s): presente.") if action == "presente" else _g("%(who)s (ore %(t)s): non presentato.")) % who
        elif action in ("blocca", "sblocca"):
            slot = Slot.objects.filter(pk=_number(request.POST.get("fascia")), office=office).first()
            if slot is None:
                raise actions.BookingError(_g("Fascia non trovata in questo ufficio."))
            actions.slot_block(slot=slot, blocked=action == "blocca")
            at = {"t": f"{timezone.localtime(slot.starts_at):%H:%M}"}
            done = (_g("Fascia delle %(t)s bloccata: non si prenota più online.") if action == "blocca"
                    else _g("Fascia delle %(t)s di nuovo prenotabile.")) % at
        else:
            raise actions.BookingError(_g("Operazione non riconosciuta."))
    except actions.BookingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)


def _csv(office, day, slots):
    return csv_response(f"agenda-{office.slug}-{day.isoformat()}.csv",
                        ["Ora", "Argomento", "Cognome", "Nome", "E-mail", "Telefono", "Motivo", "Stato"],
                        ([f"{timezone.localtime(slot.starts_at):%H:%M}", slot.type.title, a.last_name, a.first_name, a.email,
                          a.phone, a.reason, a.get_status_display()] for slot in slots for a in slot.appointments.all()))


@hooks.register("register_admin_urls")
def register_agenda_url():
    return [path("appuntamenti/agenda/", agenda_view, name="appointments_agenda")]


@hooks.register("register_admin_menu_item")
def register_agenda_menu():
    return PermissionMenuItem(_("Agenda appuntamenti"), reverse("appointments_agenda"), icon_name="date", order=123, perm=AGENDA)


class TypeViewSet(SnippetViewSet):
    model = AppointmentType
    icon = "date"
    menu_label = _("Tipi di appuntamento")
    list_display = ["title", "service", "duration", "places", "active"]


class BlockViewSet(SnippetViewSet):
    model = OpeningBlock
    icon = "time"
    menu_label = _("Orari per appuntamenti")
    list_display = ["office", "weekday", "starts", "ends"]
    list_filter = ["office"]


class ClosureViewSet(SnippetViewSet):
    model = Closure
    icon = "cross"
    menu_label = _("Chiusure")
    list_display = ["reason", "office", "start", "end"]


class CalendarsGroup(SnippetViewSetGroup):
    items = (TypeViewSet, BlockViewSet, ClosureViewSet)
    menu_icon = "date"
    menu_label = _("Calendari degli uffici")
    menu_name = "appointment-calendars"
    menu_order = 124


register_snippet(CalendarsGroup)

"""Appointments in the admin: calendars (opening hours, closures, appointment types) as snippets, and the
operator's agenda — the day per office, check-in at the counter, no-show, cancellation with a message to the
citizen, slots taken off, CSV."""

from datetime import date

from django.contrib.auth.decorators import permission_required
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from services.accounts.models import Office
from services.core import desk as core_desk
from services.core import workflow
from services.core.admin import PermissionMenuItem
from services.core.decorators import private_no_store
from services.core.exports import csv_response

from . import actions, desk
from .models import Appointment, AppointmentType, Closure, OpeningBlock, Slot
from .states import CANCELLED, Status

AGENDA = desk.AGENDA


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
    history = workflow.histories(Appointment, [a.pk for slot in slots for a in slot.current])  # one query for the day
    for slot in slots:
        for a in slot.current:
            a.history = history[a.pk]
    return TemplateResponse(request, "appointments/admin/agenda.html", {
        "offices": offices, "office": office, "day": day, "slots": slots, "Status": Status})


def _csv(office, day, slots):
    return csv_response(f"agenda-{office.slug}-{day.isoformat()}.csv",
                        ["Ora", "Argomento", "Cognome", "Nome", "E-mail", "Telefono", "Motivo", "Stato"],
                        ([f"{timezone.localtime(slot.starts_at):%H:%M}", slot.type.title, a.last_name, a.first_name, a.email,
                          a.phone, a.reason, a.get_status_display()] for slot in slots for a in slot.appointments.all()))


@hooks.register("register_admin_urls")
def register_agenda_url():
    agenda = permission_required(AGENDA, raise_exception=True)
    return [path("appuntamenti/agenda/", agenda_view, name="appointments_agenda"),
            *core_desk.urls("appuntamenti/<id:pk>/azione/", desk.APPOINTMENTS.name, agenda),
            *core_desk.urls("appuntamenti/fasce/<id:pk>/azione/", desk.SLOTS.name, agenda)]


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

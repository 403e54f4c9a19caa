"""The calendar file attached to the appointment's messages (the event as it is now: confirmed, or cancelled)."""

from .calendar_files import ics
from .models import Appointment


def calendar_attachment(message):
    _kind, pk, _sequence = message.ref.split(":")
    appointment = Appointment.objects.select_related("slot__type", "slot__office").get(pk=int(pk))
    return [("appuntamento.ics", ics(appointment, appointment.slot), "text/calendar")]

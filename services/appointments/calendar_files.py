"""The appointment as a calendar file (icalendar): a stable UID, the office as ORGANIZER, a SEQUENCE that grows at
each change, and on cancellation METHOD:CANCEL with STATUS:CANCELLED and the same UID, so that calendar apps
remove the event."""

from django.conf import settings
from django.utils import timezone

from icalendar import Calendar, Event, vCalAddress, vText

from .states import CANCELLED


def ics(appointment, slot) -> bytes:
    cancelled = appointment.status in CANCELLED
    calendar = Calendar()
    calendar.add("prodid", "-//Sportello//Appuntamenti//IT")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", appointment.uid)
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", f"{slot.type.title} - {slot.office.name}")
    address = ", ".join(x for x in (slot.office.street_address, slot.office.city) if x)
    event["location"] = vText(f"{slot.office.name}, {address}" if address else slot.office.name)
    organizer = vCalAddress(f"mailto:{slot.office.email or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(slot.office.name)
    event["organizer"] = organizer
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if slot.type.what_to_bring and not cancelled:
        event.add("description", f"Cosa serve: {slot.type.what_to_bring}")
    calendar.add_component(event)
    return calendar.to_ical()

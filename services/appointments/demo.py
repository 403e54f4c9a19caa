"""Appointments' demo: the counters' hours and what each service books there, and with the demo users a full day in
the coming weeks (services/core/demo.py)."""

from django.utils import timezone

from services.accounts.models import Office
from services.catalogue.models import Service

from . import actions as booking
from .models import Appointment, AppointmentType, OpeningBlock

# Appointments: the counters' hours for appointments (office, weekday 0=Monday, from, to) and what can be booked
# (service, topic, offices, minutes, places per slot, what to bring).
APPOINTMENT_HOURS = [
    ("ufficio-scuola", 0, "09:00", "12:00"), ("ufficio-scuola", 2, "09:00", "12:00"), ("ufficio-scuola", 3, "14:30", "16:30"),
    ("municipio-1", 1, "09:00", "12:30"), ("municipio-1", 3, "09:00", "12:30"),
    ("municipio-2", 2, "09:00", "12:00"),
    ("urp", 0, "09:00", "13:00"), ("urp", 1, "09:00", "13:00"), ("urp", 2, "09:00", "13:00"), ("urp", 3, "09:00", "13:00"),
    ("urp", 4, "09:00", "13:00"),
]
APPOINTMENT_TYPES = [
    ("rimborso-credito-mensa", "Richiesta di rimborso del credito", ["ufficio-scuola"], 20, 1,
     "Documento d'identità e l'IBAN intestato a chi chiede il rimborso."),
    ("diete-speciali", "Consegna del certificato per la dieta sanitaria", ["ufficio-scuola"], 15, 1,
     "Il certificato del medico e il codice fiscale dell'alunno."),
    ("iscrizione-oepac", "Aiuto per la domanda OEPAC", ["municipio-1", "municipio-2", "urp"], 30, 1,
     "Le credenziali SPID o la CIE, la certificazione dell'alunno (Legge 104/92) e la diagnosi funzionale."),
    ("accreditamento-scuole-oepac", "Accreditamento della scuola", ["ufficio-scuola"], 30, 1,
     "La delega del dirigente, se non vieni tu stesso."),
]


def load_calendars(context) -> int:
    """The counters' hours for appointments and what each service books there; the slots follow."""
    made = 0
    for office, weekday, starts, ends in APPOINTMENT_HOURS:
        made += OpeningBlock.objects.get_or_create(office=Office.objects.get(slug=office), weekday=weekday, starts=starts, ends=ends)[1]
    for slug, title, offices, minutes, places, bring in APPOINTMENT_TYPES:
        kind, new = AppointmentType.objects.get_or_create(
            service=Service.objects.get(slug=slug), title=title,
            defaults={"duration": minutes, "places": places, "what_to_bring": bring})
        if new:
            kind.offices.set(Office.objects.filter(slug__in=offices))
            made += 1
    booking.slots_refresh()
    return made


def load_bookings(context) -> int:
    """Full days in the coming weeks: the first bookable day of the refund topic at the Ufficio Scuola is taken."""
    if Appointment.objects.exists():
        return 0
    kind = AppointmentType.objects.get(title="Richiesta di rimborso del credito")
    office = kind.offices.get()
    first = booking.next_free(kind, office, limit=1)
    if not first:
        return 0
    made = 0
    day = timezone.localdate(first[0].starts_at)
    people = [("Bianca", "Serra"), ("Carlo", "Testa"), ("Dora", "Valli"), ("Ettore", "Zanon"), ("Fabio", "Landi"),
              ("Gaia", "Monti"), ("Ivo", "Orsi"), ("Lea", "Pace"), ("Nino", "Rota")]
    for n, (slot, free) in enumerate(booking.free_slots(kind, office, day)):
        first_name, last_name = people[n % len(people)]
        if free:
            booking.book(slot_id=slot.pk, session_key=f"demo-{slot.pk}", reason="Rimborso del credito residuo", address_proven=True,
                         applicant={"first_name": first_name, "last_name": last_name,
                                    "email": f"{first_name.lower()}.{last_name.lower()}@example.it"})
            made += 1
    return made

"""What people hit on the booking and the agenda (issue 25): a signed-in citizen without an e-mail on file gets the
confirmation at the address she proved; a freed place shows as free in the agenda; a full day offers no *Avanti*."""

import re

from django.core import mail
from django.utils import timezone

import pytest

from services.appointments import actions
from services.appointments.models import Appointment, AppointmentType
from services.appointments.states import Status
from tests.istanze.helpers import make_citizen, make_operator, spid_login


@pytest.fixture
def kind(calendars):
    return AppointmentType.objects.get(title="Richiesta di rimborso del credito")


@pytest.fixture
def office(kind):
    return kind.offices.get()


def test_a_citizen_without_an_email_on_file_gets_the_confirmation_where_she_proved_it(client, kind, office,
                                                                                         django_capture_on_commit_callbacks):
    sara = make_citizen("maria")
    sara.email, sara.email_verified = "", False
    sara.save()
    spid_login(client, sara)
    slot = actions.next_free(kind, office, limit=1)[0]
    client.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa")
    client.post("/prenota-appuntamento/luogo/", {"ufficio": office.pk})
    client.post("/prenota-appuntamento/data/", {"orario": slot.pk})
    client.post("/prenota-appuntamento/dettagli/", {"reason": "Rimborso"})
    client.post("/prenota-appuntamento/richiedente/", {"first_name": "Sara", "last_name": "Russo", "email": "sara@example.net"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/prenota-appuntamento/riepilogo/")
    link = re.search(r"http://testserver(/conferma-indirizzo/[^/\s]+/)", mail.outbox[-1].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    appointment = Appointment.objects.get()
    assert appointment.status == Status.CONFIRMED and appointment.user == sara
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["sara@example.net"] and "confermato" in confirmation.subject.lower()
    assert any(name.endswith(".ics") for name, _content, _mime in confirmation.attachments)


def test_a_freed_place_shows_as_free_in_the_agenda(client, kind, office):
    slot = actions.next_free(kind, office, limit=1)[0]
    appointment, _code = actions.book(slot_id=slot.pk, session_key="s", reason="x", address_proven=True,
                                      applicant={"first_name": "Ada", "last_name": "Neri", "email": "ada@example.it"})
    actions.appointment_cancel(appointment=appointment, reason="x")
    client.force_login(make_operator("sara", "ufficio-scuola"))
    day = timezone.localdate(slot.starts_at).isoformat()
    page = client.get(f"/admin/appuntamenti/agenda/?ufficio={office.pk}&giorno={day}").content.decode()
    row = page[page.index(f'/fasce/{slot.pk}/azione/') - 900:page.index(f'/fasce/{slot.pk}/azione/') + 300]
    assert "Libero" in row and 'value="blocca"' in row and "Neri: Annullato dal cittadino" in row
    actions.book(slot_id=slot.pk, session_key="t", reason="y", address_proven=True,
                 applicant={"first_name": "Bea", "last_name": "Verdi", "email": "bea@example.it"})
    page = client.get(f"/admin/appuntamenti/agenda/?ufficio={office.pk}&giorno={day}").content.decode()
    assert page.count("Verdi Bea") == 1 and "Neri: Annullato dal cittadino" in page


def test_a_full_day_opened_by_its_address_offers_no_avanti(client, kind, office):
    from services.appointments.models import Slot

    slot = actions.next_free(kind, office, limit=1)[0]
    day = timezone.localdate(slot.starts_at)
    Slot.objects.filter(type=kind, office=office, starts_at__date=day).update(blocked=True)
    client.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa")
    client.post("/prenota-appuntamento/luogo/", {"ufficio": office.pk})
    page = client.get(f"/prenota-appuntamento/data/?giorno={day.isoformat()}").content.decode()
    assert "non ha più orari liberi" in page and ">Avanti<" not in page.split("non ha più orari liberi")[1].split("</main>")[0]

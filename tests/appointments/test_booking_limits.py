"""Scarce places cannot be taken by one address (issue 24): holds and unconfirmed bookings per network address, per
browser and per e-mail; a hold only on a slot of the chosen type and office; the per-person limit under a lock, also
when one person books two different slots at the same time (threads on PostgreSQL)."""

import threading

from django.db import connection
from django.test import Client

import pytest

from services.appointments import actions
from services.appointments.models import Appointment, AppointmentType, Hold, Slot
from services.appointments.states import Status

TYPE = "Richiesta di rimborso del credito"


@pytest.fixture
def kind(calendars):
    return AppointmentType.objects.get(title=TYPE)


@pytest.fixture
def office(kind):
    return kind.offices.get()


def _to_date_step(client, office):
    assert client.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa").status_code == 302
    assert client.post("/prenota-appuntamento/luogo/", {"ufficio": office.pk}).status_code == 302


def _book_anonymously(client, slot, email):
    _to_date_step(client, slot.office)
    held = client.post("/prenota-appuntamento/data/", {"orario": slot.pk})
    if held.status_code != 302:
        return held
    client.post("/prenota-appuntamento/dettagli/", {"reason": "Rimborso"})
    client.post("/prenota-appuntamento/richiedente/", {"first_name": "A", "last_name": "B", "email": email, "phone": ""})
    return client.post("/prenota-appuntamento/riepilogo/", follow=True)


def test_fifty_holds_from_one_address_keep_at_most_three_places(kind, office):
    slots = actions.next_free(kind, office, limit=50)
    held = refused = 0
    for n, slot in enumerate(slots):
        try:
            actions.hold_place(slot_id=slot.pk, session_key=f"browser-{n}", type_id=kind.pk, office_id=office.pk, client="same-net")
            held += 1
        except actions.BookingError as error:
            assert "troppe prenotazioni in corso" in str(error)
            refused += 1
    assert held == 3 and refused == len(slots) - 3
    assert Hold.objects.filter(client="same-net").count() == 3
    # another address is not affected
    actions.hold_place(slot_id=slots[-1].pk, session_key="elsewhere", type_id=kind.pk, office_id=office.pk, client="other-net")


def test_throw_away_addresses_cannot_take_a_days_places(kind, office):
    """As tried: twelve anonymous bookings with twelve e-mail addresses from one network address."""
    slots = actions.next_free(kind, office, limit=12)
    outcomes = [_book_anonymously(Client(), slot, f"usa-e-getta-{n}@example.net") for n, slot in enumerate(slots)]
    pending = Appointment.objects.filter(status=Status.PENDING)
    assert pending.count() == 2
    refused = [o for o in outcomes if "troppe prenotazioni in corso" in o.content.decode()]
    assert len(refused) == 10
    assert sum(Slot.objects.filter(pk__in=[s.pk for s in slots]).values_list("booked", flat=True)) == 2


def test_one_browser_and_one_email_have_one_booking_waiting_for_confirmation(kind, office):
    slots = actions.next_free(kind, office, limit=3)
    actions.book(slot_id=slots[0].pk, session_key="b1", reason="x", client="n1",
                 applicant={"first_name": "A", "last_name": "B", "email": "uno@example.net"})
    other = AppointmentType.objects.exclude(pk=kind.pk).filter(active=True).first()
    elsewhere = actions.next_free(other, other.offices.first(), limit=1)[0]
    with pytest.raises(actions.BookingError, match="da confermare per questo indirizzo"):  # another topic, same e-mail
        actions.book(slot_id=elsewhere.pk, session_key="b2", reason="x", client="n2",
                     applicant={"first_name": "A", "last_name": "B", "email": "UNO@example.net"})
    actions.book(slot_id=slots[1].pk, session_key="b1", reason="x", client="n3",
                 applicant={"first_name": "A", "last_name": "B", "email": "due@example.net"})
    with pytest.raises(actions.BookingError, match="troppe prenotazioni"):  # the same browser, a third e-mail
        actions.book(slot_id=slots[2].pk, session_key="b1", reason="x", client="n4",
                     applicant={"first_name": "A", "last_name": "B", "email": "tre@example.net"})


def test_a_place_of_another_calendar_cannot_be_held_by_posting_its_id(client, kind, office):
    other = AppointmentType.objects.exclude(pk=kind.pk).filter(active=True).first()
    foreign = Slot.objects.filter(type=other).exclude(office=office).first() or Slot.objects.filter(type=other).first()
    _to_date_step(client, office)
    response = client.post("/prenota-appuntamento/data/", {"orario": foreign.pk})
    assert response.status_code == 400 and "Questo orario non esiste" in response.content.decode()
    assert not Hold.objects.exists()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_one_person_booking_two_different_slots_at_once_gets_one():
    import io

    from django.core.management import call_command

    call_command("load_demo_content", stdout=io.StringIO())
    kind = AppointmentType.objects.get(title=TYPE)
    assert kind.per_person == 1
    slots = actions.next_free(kind, kind.offices.get(), limit=6)
    results, barrier = [], threading.Barrier(6)

    def attempt(n):
        barrier.wait()
        try:
            actions.book(slot_id=slots[n].pk, session_key=f"s{n}", reason="x", address_proven=True,
                         applicant={"first_name": "P", "last_name": "Q", "email": "stessa@example.it", "fiscal_code": ""})
            results.append("ok")
        except actions.BookingError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    assert Appointment.objects.filter(email="stessa@example.it", status__in=["confermato", "da_confermare"]).count() == 1

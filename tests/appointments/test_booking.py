"""Appointments: slots from the office's hours (no holidays, no closures), the six steps without JavaScript, holds,
no double booking (the slot's row locked and a database constraint; concurrent threads on PostgreSQL), rules on
time and per person, cancellation by code and by the office, the calendar file, the agenda."""

import re
import threading
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

import pytest
from icalendar import Calendar

from services.accounts.models import Office, VerificationCode
from services.appointments import actions
from services.appointments.models import Appointment, AppointmentType, Closure, Hold, OpeningBlock, Slot
from services.appointments.states import Status
from services.notifications.models import Message
from tests.istanze.helpers import make_citizen, make_operator, spid_login

ROME = ZoneInfo("Europe/Rome")


@pytest.fixture
def kind(calendars):
    return AppointmentType.objects.get(title="Richiesta di rimborso del credito")


@pytest.fixture
def office(kind):
    return kind.offices.get()


def _free_slot(kind, office, n=0):
    return actions.next_free(kind, office, limit=n + 1)[n]


def test_slots_follow_the_hours_and_skip_holidays_and_closures(kind, office):
    Slot.objects.filter(type=kind).delete()
    # Monday 7 to Friday 11 December 2026; Tuesday 8 is a holiday (the Ufficio Scuola is open Mon, Wed, Thu anyway)
    made = actions.slots_generate(kind=kind, office=office, start=date(2026, 12, 7), end=date(2026, 12, 11))
    days = sorted({timezone.localtime(s.starts_at).date() for s in Slot.objects.filter(type=kind)})
    assert days == [date(2026, 12, 7), date(2026, 12, 9), date(2026, 12, 10)]
    assert made == 9 + 9 + 6  # 09:00-12:00 in 20 minutes, and 14:30-16:30
    first = Slot.objects.filter(type=kind).order_by("starts_at").first()
    assert timezone.localtime(first.starts_at).time() == time(9, 0)
    # a holiday (8 December, the Immacolata) on a Monday-hours office would be skipped too
    OpeningBlock.objects.create(office=office, weekday=1, starts=time(9), ends=time(10))
    actions.slots_generate(kind=kind, office=office, start=date(2026, 12, 7), end=date(2026, 12, 11))
    assert not Slot.objects.filter(type=kind, starts_at__date=date(2026, 12, 8)).exists()
    Closure.objects.create(office=office, start=date(2026, 12, 14), end=date(2026, 12, 14), reason="Formazione del personale")
    actions.slots_generate(kind=kind, office=office, start=date(2026, 12, 14), end=date(2026, 12, 14))
    assert not Slot.objects.filter(type=kind, starts_at__date=date(2026, 12, 14)).exists()


def _walk(client, slot, applicant=None, reason="Rimborso del credito residuo"):
    assert client.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa").status_code == 302  # one topic: straight on
    assert client.post("/prenota-appuntamento/luogo/", {"ufficio": slot.office_id}).status_code == 302
    assert client.post("/prenota-appuntamento/data/", {"orario": slot.pk}).status_code == 302
    assert client.post("/prenota-appuntamento/dettagli/", {"reason": reason}).status_code == 302
    data = applicant or {"first_name": "Anna", "last_name": "Verdi", "email": "anna.verdi@example.it", "phone": "333 123 4567"}
    assert client.post("/prenota-appuntamento/richiedente/", data).status_code == 302
    return client.post("/prenota-appuntamento/riepilogo/")


def test_an_anonymous_booking_confirmed_by_email_with_the_calendar_file(client, kind, office, django_capture_on_commit_callbacks):
    slot = _free_slot(kind, office)
    page = client.get("/prenota-appuntamento/luogo/")
    assert page.status_code == 302  # nothing chosen yet: back to the start
    with django_capture_on_commit_callbacks(execute=True):
        response = _walk(client, slot)
    appointment = Appointment.objects.get()
    assert response["Location"] == f"/prenota-appuntamento/{appointment.public_id}/"
    assert appointment.status == Status.PENDING and appointment.phone == "+393331234567"
    slot.refresh_from_db()
    assert slot.booked == 1 and not Hold.objects.exists()
    done = client.get(response["Location"]).content.decode()
    assert "entro 30 minuti" in done and "Cosa serve" in done and "IBAN" in done
    assert 'id="cancel-code"' not in done  # the code comes with the confirmation, made then
    link = re.search(r"http://testserver(/conferma-indirizzo/[^/\s]+/)", mail.outbox[-1].body).group(1)
    # no secret at rest: the verification row names the appointment only, the appointment keeps a hash
    assert VerificationCode.objects.get(purpose="appointment").reference == str(appointment.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    confirmed = Message.objects.get(kind="appointments.confirmed", address="anna.verdi@example.it")
    code = re.search(r"codice=([\w-]+)", confirmed.body).group(1)
    assert "/annulla-appuntamento/" in confirmed.body and code not in appointment.cancel_code_hash
    event = Calendar.from_ical(client.get(f"/prenota-appuntamento/{appointment.public_id}/calendario.ics").content).walk("VEVENT")[0]
    assert str(event["uid"]) == appointment.uid and int(event["sequence"]) == 0 and "mailto:" in str(event["organizer"])
    # cancelled with the code: the place is free again, and the calendar file now cancels the same event
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/annulla-appuntamento/", {"code": code}).status_code == 302
    appointment.refresh_from_db()
    slot.refresh_from_db()
    assert appointment.status == Status.CANCELLED_CITIZEN and slot.booked == 0
    cancelled = Calendar.from_ical(client.get(f"/prenota-appuntamento/{appointment.public_id}/calendario.ics").content)
    assert str(cancelled["method"]) == "CANCEL" and str(cancelled.walk("VEVENT")[0]["status"]) == "CANCELLED"
    assert int(cancelled.walk("VEVENT")[0]["sequence"]) == 1 and str(cancelled.walk("VEVENT")[0]["uid"]) == appointment.uid
    reused = client.post("/annulla-appuntamento/", {"code": code})
    assert reused.status_code == 400 and "non corrisponde" in reused.content.decode()
    assert client.post("/annulla-appuntamento/", {"code": "sbagliato"}).status_code == 400


def test_a_signed_in_citizen_books_at_once_and_sees_it_in_the_personal_area(client, kind, office):
    maria = make_citizen("maria")
    maria.email_verified = True
    maria.save()
    spid_login(client, maria)
    slot = _free_slot(kind, office)
    _walk(client, slot, {"first_name": "Maria", "last_name": "Rossi", "email": maria.email})
    appointment = Appointment.objects.get()
    assert appointment.status == Status.CONFIRMED and appointment.user == maria and appointment.fiscal_code == maria.fiscal_code
    mine = client.get("/area-personale/appuntamenti/")
    assert "Richiesta di rimborso del credito" in mine.content.decode() and "no-store" in mine["Cache-Control"]
    # one open appointment per person and topic: a second one is refused at the start, with the way to change it
    other = _free_slot(kind, office, 1)
    assert client.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa").status_code == 302
    refused = client.get("/prenota-appuntamento/luogo/")
    page = refused.content.decode()
    assert refused.status_code == 409 and "Hai già un appuntamento" in page and 'href="/area-personale/appuntamenti/"' in page
    assert 'name="ufficio"' not in page and Appointment.objects.count() == 1
    assert client.post(f"/area-personale/appuntamenti/{appointment.public_id}/annulla/").status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED_CITIZEN
    assert client.post(f"/area-personale/appuntamenti/{Appointment.objects.create(slot=other, first_name='X', last_name='Y', email='x@example.it', reason='r').public_id}/annulla/").status_code == 404


def test_the_last_place_goes_to_one_person_and_the_other_is_offered_the_next_free_slots(client, kind, office):
    slot = _free_slot(kind, office)
    other = type(client)()
    for c in (client, other):
        c.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa")
        c.post("/prenota-appuntamento/luogo/", {"ufficio": office.pk})
    assert client.post("/prenota-appuntamento/data/", {"orario": slot.pk}).status_code == 302  # held for the first browser
    refused = other.post("/prenota-appuntamento/data/", {"orario": slot.pk})
    text = refused.content.decode()
    assert refused.status_code == 400 and "Posto non più disponibile" in text and "I prossimi orari liberi" in text
    # the hold expires: the place is free again for the other browser
    Hold.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert other.post("/prenota-appuntamento/data/", {"orario": slot.pk}).status_code == 302


@pytest.mark.parametrize("case", ["past", "notice", "horizon", "blocked", "forged_office", "unknown"])
def test_slots_outside_the_rules_are_refused(client, kind, office, case):
    slot = _free_slot(kind, office)
    client.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa")
    if case == "forged_office":
        response = client.post("/prenota-appuntamento/luogo/", {"ufficio": Office.objects.get(slug="urp").pk})
        assert response.status_code == 400 and "tra quelli che offrono" in response.content.decode()
        return
    client.post("/prenota-appuntamento/luogo/", {"ufficio": office.pk})
    now = timezone.now()
    if case == "past":
        Slot.objects.filter(pk=slot.pk).update(starts_at=now - timedelta(hours=1))
    elif case == "notice":
        Slot.objects.filter(pk=slot.pk).update(starts_at=now + timedelta(hours=2))
    elif case == "horizon":
        Slot.objects.filter(pk=slot.pk).update(starts_at=now + timedelta(days=kind.horizon_days + 2))
    elif case == "blocked":
        actions.slot_block(slot=slot, blocked=True)
    response = client.post("/prenota-appuntamento/data/", {"orario": 999999 if case == "unknown" else slot.pk})
    assert response.status_code == 400 and not Hold.objects.exists()


def test_the_database_never_allows_more_than_the_places(kind, office):
    slot = _free_slot(kind, office)
    Slot.objects.filter(pk=slot.pk).update(booked=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=2)


def test_one_person_cannot_take_twenty_slots(kind, office):
    applicant = {"first_name": "Tea", "last_name": "Greco", "email": "tea@example.it"}
    slots = actions.next_free(kind, office, limit=20)
    actions.book(slot_id=slots[0].pk, session_key="s", applicant=applicant, reason="x")
    for slot in slots[1:]:
        with pytest.raises(actions.BookingError, match="Hai già un appuntamento"):
            actions.book(slot_id=slot.pk, session_key="s", applicant=applicant, reason="x")
    assert Appointment.objects.count() == 1


def test_an_unconfirmed_booking_gives_its_place_back_after_thirty_minutes(kind, office):
    slot = _free_slot(kind, office)
    appointment, _code = actions.book(slot_id=slot.pk, session_key="s", applicant={"first_name": "A", "last_name": "B", "email": "a@example.it"},
                                      reason="x")
    assert actions.pending_expire(now=timezone.now() + timedelta(minutes=31)) == 1
    appointment.refresh_from_db()
    slot.refresh_from_db()
    assert appointment.status == Status.CANCELLED_CITIZEN and slot.booked == 0


def test_a_closure_over_existing_appointments_tells_the_citizens_and_offers_to_rebook(kind, office, django_capture_on_commit_callbacks):
    slot = _free_slot(kind, office)
    appointment, _code = actions.book(slot_id=slot.pk, session_key="s", reason="x", address_proven=True,
                                      applicant={"first_name": "A", "last_name": "B", "email": "a@example.it"})
    day = timezone.localdate(slot.starts_at)
    with django_capture_on_commit_callbacks(execute=True):
        Closure.objects.create(office=office, start=day, end=day, reason="Sciopero del personale")
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED_OFFICE and appointment.cancel_reason == "Sciopero del personale"
    told = Message.objects.get(kind="appointments.cancelled", address="a@example.it")
    assert "Sciopero" in told.body and "/prenota-appuntamento/?servizio=rimborso-credito-mensa" in told.body
    assert not Slot.objects.filter(type=kind, office=office, starts_at__date=day, blocked=False).exists()


def test_the_reminder_goes_the_day_before_once(kind, office):
    slot = _free_slot(kind, office)
    appointment, _code = actions.book(slot_id=slot.pk, session_key="s", reason="x", address_proven=True,
                                      applicant={"first_name": "A", "last_name": "B", "email": "a@example.it"})
    assert actions.reminders_send(now=slot.starts_at - timedelta(hours=30)) == 0
    assert actions.reminders_send(now=slot.starts_at - timedelta(hours=20)) == 1
    assert actions.reminders_send(now=slot.starts_at - timedelta(hours=19)) == 0
    assert Message.objects.filter(kind="appointments.reminder").count() == 1


def test_the_agenda_checks_in_marks_no_shows_cancels_and_blocks_for_its_office_only(client, kind, office):
    slot, spare = actions.next_free(kind, office, limit=2)
    appointment, _code = actions.book(slot_id=slot.pk, session_key="s", reason="Rimborso", address_proven=True,
                                      applicant={"first_name": "Ada", "last_name": "Neri", "email": "ada@example.it"})
    operator = make_operator("sara", "ufficio-scuola")
    client.force_login(operator)
    day = timezone.localdate(slot.starts_at).isoformat()
    page = client.get(f"/admin/appuntamenti/agenda/?ufficio={office.pk}&giorno={day}").content.decode()
    assert "Neri Ada" in page
    url = "/admin/appuntamenti/agenda/"
    act = f"/admin/appuntamenti/{appointment.pk}/azione/"  # the desk's URL: the button names the action
    response = client.post(act, {"azione": "annulla", "motivo": ""}, follow=True)
    assert "Scrivi il motivo" in response.content.decode()
    # days before the appointment the counter cannot check the citizen in (issue 25/6): a check-in is final
    early = client.post(act, {"azione": "presente"}, follow=True)
    assert "si segnano all&#x27;ora dell&#x27;appuntamento" in early.content.decode() or "si segnano all'ora" in early.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert 'value="presente"' not in client.get(f"{url}?ufficio={office.pk}&giorno={day}").content.decode()
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() + timedelta(minutes=10),
                                           ends_at=timezone.now() + timedelta(minutes=30))  # its time has come
    day = timezone.localdate().isoformat()
    done = client.post(f"{act}presente/", follow=True)
    appointment.refresh_from_db()
    assert appointment.status == Status.ATTENDED and "Ada Neri (ore" in done.content.decode()
    day = timezone.localdate(spare.starts_at).isoformat()
    client.post(f"/admin/appuntamenti/fasce/{spare.pk}/azione/", {"azione": "blocca"})
    spare.refresh_from_db()
    assert spare.blocked
    slot.refresh_from_db()  # its day in Rome (ten minutes from now may be tomorrow, near midnight)
    csv_text = client.get(f"{url}?ufficio={office.pk}&giorno={timezone.localdate(slot.starts_at).isoformat()}&formato=csv").content.decode("utf-8-sig")
    assert "Neri;Ada" in csv_text
    # another office's appointment is not this operator's
    other = make_operator("olga", "municipio-1")
    client.force_login(other)
    assert client.post(f"/admin/appuntamenti/fasce/{spare.pk}/azione/sblocca/").status_code == 404
    spare.refresh_from_db()
    assert spare.blocked


def test_every_service_page_and_the_services_page_link_the_booking(client, demo):
    from bs4 import BeautifulSoup

    for path in ("/servizi/", "/servizi/educazione-e-formazione/iscrizione-oepac/"):
        soup = BeautifulSoup(client.get(path).content, "html.parser")
        link = soup.find(attrs={"data-element": "appointment-booking"})
        assert link is not None and client.get(link["href"]).status_code in (200, 302)
    soup = BeautifulSoup(client.get("/servizi/tributi-finanze-e-contravvenzioni/rimborso-credito-mensa/").content, "html.parser")
    access = soup.find(attrs={"data-element": "service-booking-access"})
    assert access["href"] == "/prenota-appuntamento/?servizio=rimborso-credito-mensa"


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_racing_for_the_last_place_never_overbooks():
    import io

    from django.core.management import call_command

    call_command("load_demo_content", stdout=io.StringIO())
    kind = AppointmentType.objects.get(title="Richiesta di rimborso del credito")
    slot = actions.next_free(kind, kind.offices.get(), limit=1)[0]
    results, barrier = [], threading.Barrier(8)

    def attempt(n):
        barrier.wait()
        try:
            actions.book(slot_id=slot.pk, session_key=f"s{n}", reason="x", address_proven=True,
                         applicant={"first_name": "P", "last_name": str(n), "email": f"p{n}@example.it"})
            results.append("ok")
        except actions.BookingError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slot.refresh_from_db()
    assert results.count("ok") == 1 and slot.booked == 1
    assert Appointment.objects.filter(slot=slot, status__in=["confermato", "da_confermare"]).count() == 1




def test_malformed_values_never_answer_500(client, kind, office):
    operator = make_operator("sara", "ufficio-scuola")
    client.force_login(operator)
    assert client.get("/admin/appuntamenti/agenda/", {"ufficio": office.pk, "giorno": "2026-13-45"}).status_code == 200
    for url, data in (("/admin/appuntamenti/abc/azione/", {"azione": "presente"}), ("/admin/appuntamenti/fasce/1e3/azione/", {}),
                      ("/admin/appuntamenti/1/azione/", {"azione": "boh"})):
        assert client.post(url, data, follow=True).status_code in (200, 404)
    citizen = type(client)()
    citizen.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa")
    citizen.post("/prenota-appuntamento/luogo/", {"ufficio": office.pk})
    assert citizen.get("/prenota-appuntamento/data/?giorno=ieri").status_code == 200
    assert citizen.post("/prenota-appuntamento/data/", {"orario": "12abc"}).status_code == 400
    assert citizen.post("/annulla-appuntamento/", {"code": ""}).status_code == 400


def test_changed_hours_keep_the_appointments_already_made(kind, office, django_capture_on_commit_callbacks):
    slot = _free_slot(kind, office)
    appointment, _code = actions.book(slot_id=slot.pk, session_key="s", reason="x", address_proven=True,
                                      applicant={"first_name": "A", "last_name": "B", "email": "a@example.it"})
    weekday = timezone.localtime(slot.starts_at).weekday()
    with django_capture_on_commit_callbacks(execute=True):
        OpeningBlock.objects.filter(office=office, weekday=weekday).delete()
    appointment.refresh_from_db()
    slot.refresh_from_db()
    assert appointment.status == Status.CONFIRMED and slot.blocked
    assert not Slot.objects.filter(office=office, type=kind, booked=0, starts_at__week_day=(weekday + 2) % 7 or 7).exists()


def test_the_calendar_shows_months_and_full_days_and_preselects_the_first_free_time(client, kind, office):
    slots = actions.next_free(kind, office, limit=60)
    first_day = timezone.localdate(slots[0].starts_at)
    for slot in (s for s in slots if timezone.localdate(s.starts_at) == first_day):  # the first day becomes full
        actions.book(slot_id=slot.pk, session_key=f"s{slot.pk}", reason="x", address_proven=True,
                     applicant={"first_name": "P", "last_name": str(slot.pk), "email": f"p{slot.pk}@example.it"})
    client.get("/prenota-appuntamento/?servizio=rimborso-credito-mensa")
    client.post("/prenota-appuntamento/luogo/", {"ufficio": office.pk})
    page = client.get("/prenota-appuntamento/data/").content.decode()
    assert "(completo)" in page and "Prima data disponibile" in page
    following = actions.next_free(kind, office, limit=1)[0]
    assert re.search(rf'id="orario-{following.pk}" value="{following.pk}" checked', page)
    month = timezone.localdate(following.starts_at).strftime("%Y-%m")
    assert client.get(f"/prenota-appuntamento/data/?mese={month}").status_code == 200
    assert client.get("/prenota-appuntamento/data/?mese=2026-99").status_code == 200

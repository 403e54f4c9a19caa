"""Writes of the booking: slots materialised from the opening hours (so that a booking locks a real row), holds
during the flow, the booking itself (the slot's row locked, the database refusing more than its places), the
per-person limit, cancellation by either side, the e-mail confirmation of people without an account, reminders.
What the citizen is told goes through the message layer with a calendar file (icalendar) in the same transaction."""

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from services.accounts import verification
from services.core import workflow
from services.core.clock import is_public_holiday
from services.core.tokens import keyed_hash, matches
from services.notifications import actions as outbox

from .models import Appointment, AppointmentType, Closure, Hold, OpeningBlock, PersonGate, Slot
from .states import HOLDING, Status

HOLD = timedelta(minutes=10)
PENDING = timedelta(minutes=30)  # an unconfirmed e-mail keeps the place this long
PURPOSE = "appointment"


class BookingError(ValueError):
    """The message is for the citizen, in Italian."""


def code_hash(secret: str) -> str:
    """Cancellation codes are kept only as this keyed hash (services/core/tokens.py)."""
    return keyed_hash("appointment-cancel", secret)


def _base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


# Slots ---------------------------------------------------------------------------------------------------------

def _closed(office_id: int, day: date, closures) -> bool:
    return is_public_holiday(day) or any(c.start <= day <= c.end and c.office_id in (None, office_id) for c in closures)


def slots_generate(*, kind: AppointmentType, office, start: date, end: date) -> int:
    """The missing slots between two days from the office's opening hours, skipping holidays and closures."""
    blocks = list(OpeningBlock.objects.filter(office=office))
    closures = list(Closure.objects.filter(end__gte=start, start__lte=end))
    tz = timezone.get_current_timezone()
    made = []
    day = start
    while day <= end:
        if not _closed(office.pk, day, closures):
            for block in (b for b in blocks if b.weekday == day.weekday()):
                at = datetime.combine(day, block.starts, tz)
                stop = datetime.combine(day, block.ends, tz)
                while at + timedelta(minutes=kind.duration) <= stop:
                    made.append(Slot(type=kind, office=office, starts_at=at, ends_at=at + timedelta(minutes=kind.duration), places=kind.places))
                    at += timedelta(minutes=kind.duration)
        day += timedelta(days=1)
    existing = Slot.objects.filter(type=kind, office=office)
    before = existing.count()
    Slot.objects.bulk_create(made, ignore_conflicts=True)  # the slots already there stay as they are
    return existing.count() - before


def slots_refresh(*, today: date | None = None) -> dict:
    """After a calendar changes (and nightly): slots for every type and office up to its horizon; free slots that no
    longer fit the hours are removed (booked ones are kept but take no new booking); appointments on a day that became
    closed are cancelled and their citizens told, with a link to book again."""
    today = today or timezone.localdate()
    made = removed = cancelled = 0
    closures = list(Closure.objects.filter(end__gte=today))
    for kind in AppointmentType.objects.filter(active=True).prefetch_related("offices"):
        for office in kind.offices.all():
            made += slots_generate(kind=kind, office=office, start=today, end=today + timedelta(days=kind.horizon_days))
            blocks = list(OpeningBlock.objects.filter(office=office))
            for slot in Slot.objects.filter(type=kind, office=office, starts_at__date__gte=today):
                local = timezone.localtime(slot.starts_at)
                fits = any(b.weekday == local.weekday() and b.starts <= local.time() and
                           timezone.localtime(slot.ends_at).time() <= b.ends for b in blocks)
                if fits and not _closed(office.pk, local.date(), closures):
                    continue
                if slot.booked == 0:
                    removed += Slot.objects.filter(pk=slot.pk, booked=0).delete()[0]
                    continue
                Slot.objects.filter(pk=slot.pk).update(blocked=True)  # no new bookings at a time the office left
                if not _closed(office.pk, local.date(), closures):
                    continue  # the hours changed: the appointments already made are kept
                reason = next((c.reason for c in closures if c.start <= local.date() <= c.end and c.office_id in (None, office.pk)),
                              _("l'ufficio è chiuso per una festività"))
                for appointment in slot.appointments.filter(status__in=HOLDING):
                    appointment_cancel(appointment=appointment, by_office=True, reason=reason)
                    cancelled += 1
    return {"made": made, "removed": removed, "cancelled": cancelled}


def slot_rules(slot: Slot, now=None) -> None:
    """A slot in the past, inside the minimum notice, beyond the horizon or taken off by the office is refused."""
    now = now or timezone.now()
    kind = slot.type
    if slot.blocked or not kind.active:
        raise BookingError(_("Questo orario non è disponibile."))
    if slot.starts_at < now + timedelta(hours=kind.min_notice_hours):
        raise BookingError(_("Questo orario è troppo vicino: si prenota con almeno %(h)s ore di anticipo.") % {"h": kind.min_notice_hours})
    if timezone.localdate(slot.starts_at) > timezone.localdate(now) + timedelta(days=kind.horizon_days):
        raise BookingError(_("Questo orario è troppo lontano: si prenota fino a %(d)s giorni prima.") % {"d": kind.horizon_days})


def _others_holding(slot: Slot, session_key: str, now) -> int:
    return Hold.objects.filter(slot=slot, expires_at__gt=now).exclude(session_key=session_key).count()


NOT_AVAILABLE = "Posto non più disponibile: qualcun altro lo ha appena prenotato. Scegli un altro orario tra quelli liberi."


TOO_MANY_FROM_CLIENT = ("Da questa rete ci sono già troppe prenotazioni in corso o da confermare: completa o conferma "
                        "quelle, oppure riprova tra mezz'ora.")


def _session_hash(session_key: str) -> str:
    return keyed_hash("appointment-session", session_key)[:32]


@transaction.atomic
def hold_place(*, slot_id: int, session_key: str, type_id: int, office_id: int, client: str = "", now=None) -> Hold:
    """Keep a place for this browser for ten minutes while it completes the flow (its previous hold is released).
    Only a slot of the chosen type and office; at most APPOINTMENT_HOLDS_PER_CLIENT held places from one network
    address (`client`, hashed) at a time."""
    now = now or timezone.now()
    slot = (Slot.objects.select_for_update(of=("self",)).select_related("type")
            .filter(pk=slot_id, type_id=type_id, office_id=office_id).first())
    if slot is None:
        raise BookingError(_("Questo orario non esiste: scegline uno dall'elenco."))
    slot_rules(slot, now)
    if slot.booked + _others_holding(slot, session_key, now) >= slot.places:
        raise BookingError(_(NOT_AVAILABLE))
    if client and (Hold.objects.filter(client=client, expires_at__gt=now).exclude(session_key=session_key).count()
                   >= settings.APPOINTMENT_HOLDS_PER_CLIENT):
        raise BookingError(_(TOO_MANY_FROM_CLIENT))
    Hold.objects.filter(session_key=session_key).delete()
    return Hold.objects.create(slot=slot, session_key=session_key, client=client, expires_at=now + HOLD)


def _open_for(kind: AppointmentType, *, fiscal_code: str, email: str, now) -> int:
    who = Q(fiscal_code=fiscal_code) if fiscal_code else Q(email__iexact=email)
    return Appointment.objects.filter(who, slot__type=kind, status__in=HOLDING, slot__starts_at__gt=now).count()


def over_person_limit(kind: AppointmentType, *, fiscal_code: str, email: str, now=None) -> bool:
    """Already as many open appointments of this type as one person may have (checked again under the lock)."""
    return _open_for(kind, fiscal_code=fiscal_code, email=email, now=now or timezone.now()) >= kind.per_person


def person_limit_message(kind: AppointmentType) -> str:
    return _("Hai già un appuntamento per «%(t)s»: per cambiarlo annulla quello e prenota di nuovo.") % {"t": kind.title}


def _lock_person(kind: AppointmentType, *, fiscal_code: str, email: str) -> None:
    """Serialise this person's bookings of this type (PersonGate), so the per-person count cannot be passed twice."""
    who = f"cf:{fiscal_code}" if fiscal_code else f"email:{email.lower()}"
    person = keyed_hash("appointment-person", who)
    PersonGate.objects.get_or_create(type=kind, person=person)
    PersonGate.objects.select_for_update().get(type=kind, person=person)


def _pending_limits(*, email: str, client: str, session_key: str, now) -> None:
    """Unconfirmed bookings keep a place for 30 minutes: a few per network address, per browser and per e-mail."""
    pending = Appointment.objects.filter(status=Status.PENDING, created_at__gt=now - PENDING)
    if client and pending.filter(client=client).count() >= settings.APPOINTMENT_PENDING_PER_CLIENT:
        raise BookingError(_(TOO_MANY_FROM_CLIENT))
    if pending.filter(session=_session_hash(session_key)).count() >= settings.APPOINTMENT_PENDING_PER_CLIENT:
        raise BookingError(_(TOO_MANY_FROM_CLIENT))
    if pending.filter(email__iexact=email).exists():
        raise BookingError(_("C'è già una prenotazione da confermare per questo indirizzo: apri il collegamento "
                             "nell'e-mail che ti abbiamo inviato, oppure attendi mezz'ora e prenota di nuovo."))


@transaction.atomic
def book(*, slot_id: int, session_key: str, applicant: dict, reason: str, user=None, now=None,
         address_proven: bool = False, client: str = "") -> tuple[Appointment, str]:
    """The booking: the person's gate and then the slot's row locked, the places counted with the other sessions'
    holds, the database refusing more than `places`. Returns the appointment and its cancellation code (kept only as
    a hash). Signed in with a verified e-mail (or `address_proven`, as at the counter) it is confirmed at once;
    otherwise it waits for the e-mail's link, keeping the place 30 minutes — a few such per address, browser and
    e-mail (`_pending_limits`)."""
    now = now or timezone.now()
    found = Slot.objects.select_related("type").filter(pk=slot_id).first()
    if found is None:
        raise BookingError(_("Questo orario non esiste: scegline uno dall'elenco."))
    kind = found.type
    fiscal_code = applicant.get("fiscal_code", "")
    _lock_person(kind, fiscal_code=fiscal_code, email=applicant["email"])
    slot = Slot.objects.select_for_update(of=("self",)).select_related("type", "office").get(pk=slot_id)
    slot_rules(slot, now)
    if over_person_limit(kind, fiscal_code=fiscal_code, email=applicant["email"], now=now):
        raise BookingError(person_limit_message(kind))
    verified = address_proven or bool(user and getattr(user, "is_authenticated", False) and user.email_verified
                                      and user.email.lower() == applicant["email"].lower())
    if not verified:
        _pending_limits(email=applicant["email"], client=client, session_key=session_key, now=now)
    if slot.booked + _others_holding(slot, session_key, now) >= slot.places:
        raise BookingError(_(NOT_AVAILABLE))
    try:
        with transaction.atomic():
            Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 1)
    except IntegrityError as error:  # the constraint: never more than the places
        raise BookingError(_(NOT_AVAILABLE)) from error
    Hold.objects.filter(session_key=session_key).delete()
    secret = secrets.token_urlsafe(16)
    appointment = Appointment.objects.create(
        slot=slot, status=Status.CONFIRMED if verified else Status.PENDING, user=user if getattr(user, "is_authenticated", False) else None,
        first_name=applicant["first_name"], last_name=applicant["last_name"], fiscal_code=fiscal_code,
        email=applicant["email"], phone=applicant.get("phone", ""), reason=reason[:200], cancel_code_hash=code_hash(secret),
        created_at=now, client=client, session=_session_hash(session_key))
    if verified:
        _tell(appointment, "appointments.confirmed", secret)
    else:
        # The code is not written into the verification row: the confirmation makes a new one (only its hash kept).
        try:
            verification.address_verification_start(
                address=appointment.email, purpose=PURPOSE, reference=str(appointment.public_id), base_url=_base_url(),
                subject=_("Conferma il tuo appuntamento"),
                text=_("Hai prenotato un appuntamento con il Comune. Per confermarlo apri questo collegamento entro 30 minuti:"
                       "\n\n{link}\n\nSenza conferma il posto torna libero. Se non sei stato tu, ignora questo messaggio."))
        except verification.VerificationError as error:
            raise BookingError(str(error)) from error
    return appointment, secret


def on_address_confirmed(reference: str, address: str) -> str:
    """The verification's handler (in its transaction): the appointment is confirmed, if its place is still kept."""
    public_id = reference.partition(":")[0]
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related("slot").filter(public_id=public_id).first()
    if appointment is None or appointment.email.lower() != address.lower():
        raise verification.VerificationError(_("L'appuntamento non esiste più: prenotalo di nuovo."))
    if appointment.status == Status.PENDING:
        if timezone.now() > appointment.created_at + PENDING:
            raise verification.VerificationError(_("Il posto non è più riservato: la conferma è arrivata dopo 30 minuti. Prenota di nuovo."))
        secret = secrets.token_urlsafe(16)  # the cancellation code, told once in the confirmation; only its hash kept
        appointment = workflow.transition(appointment, Status.CONFIRMED, note=_("Indirizzo e-mail confermato"),
                                          cancel_code_hash=code_hash(secret))
        _tell(appointment, "appointments.confirmed", secret)
    elif appointment.status != Status.CONFIRMED:
        raise verification.VerificationError(_("L'appuntamento è stato annullato: prenotalo di nuovo."))
    return reverse("appointments:done", args=[appointment.public_id])


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, by_office: bool = False, reason: str = "", by=None) -> Appointment:
    """Either side cancels: the place is free again, the citizen gets the calendar's cancellation (same UID)."""
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related("slot__type", "slot__office").get(pk=appointment.pk)
    target = Status.CANCELLED_OFFICE if by_office else Status.CANCELLED_CITIZEN
    if not workflow.machine_for(Appointment).can_move(appointment.status, target):
        raise BookingError(_("L'appuntamento è già %(s)s.") % {"s": appointment.get_status_display().lower()})
    Slot.objects.filter(pk=appointment.slot_id).update(booked=F("booked") - 1)
    try:
        appointment = workflow.transition(appointment, target, by=by, note=reason, cancel_reason=reason[:300],
                                          cancelled_at=timezone.now(), sequence=appointment.sequence + 1)
    except workflow.TransitionError as error:
        raise BookingError(str(error)) from error
    _tell(appointment, "appointments.cancelled", "")
    return appointment


def cancel_by_code(*, secret: str, now=None) -> Appointment:
    secret = secret.strip()
    found = Appointment.objects.filter(cancel_code_hash=code_hash(secret), status__in=HOLDING).first()
    # the lookup is by a keyed hash; compare again in constant time before acting on it
    if found is not None and not matches(found.cancel_code_hash, "appointment-cancel", secret):
        found = None
    if found is None:
        raise BookingError(_("Il codice non corrisponde a un appuntamento da annullare."))
    if found.slot.starts_at <= (now or timezone.now()):
        raise BookingError(_("L'appuntamento è già passato."))
    return appointment_cancel(appointment=found, reason=_("Annullato dal cittadino"))


CHECK_IN_FROM = timedelta(minutes=15)  # presence and no-show are marked from this long before the appointment


def markable(slot: Slot, now=None) -> bool:
    return (now or timezone.now()) >= slot.starts_at - CHECK_IN_FROM


@transaction.atomic
def appointment_mark(*, appointment: Appointment, status: str, by, now=None) -> Appointment:
    """The counter: checked in, or not shown up — at the appointment's time, not days before (a check-in is final and
    would end the citizen's cancellation code)."""
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related("slot").get(pk=appointment.pk)
    if not workflow.machine_for(Appointment).can_move(appointment.status, status):
        raise BookingError(_("L'appuntamento è già %(s)s.") % {"s": appointment.get_status_display().lower()})
    if not markable(appointment.slot, now):
        starts = timezone.localtime(appointment.slot.starts_at - CHECK_IN_FROM)
        raise BookingError(_("Presenza e assenza si segnano all'ora dell'appuntamento: dalle %(t)s del %(d)s.")
                           % {"t": f"{starts:%H:%M}", "d": f"{starts:%d/%m/%Y}"})
    return workflow.transition(appointment, status, by=by)


@transaction.atomic
def slot_block(*, slot: Slot, blocked: bool) -> None:
    Slot.objects.filter(pk=slot.pk).update(blocked=blocked)


def pending_expire(now=None) -> int:
    """Unconfirmed appointments past their 30 minutes give their place back."""
    now = now or timezone.now()
    done = 0
    for appointment in Appointment.objects.filter(status=Status.PENDING, created_at__lt=now - PENDING):
        with transaction.atomic():
            locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
            if locked.status != Status.PENDING:
                continue
            Slot.objects.filter(pk=locked.slot_id).update(booked=F("booked") - 1)
            workflow.transition(locked, Status.CANCELLED_CITIZEN, note=_("Non confermato entro 30 minuti"), cancelled_at=now,
                                cancel_reason=_("Non confermato"))
            done += 1
    Hold.objects.filter(expires_at__lt=now).delete()
    return done


def reminders_send(now=None) -> int:
    """The day before: confirmed appointments starting in the next 24 hours that were not reminded."""
    now = now or timezone.now()
    sent = 0
    for appointment in Appointment.objects.filter(status=Status.CONFIRMED, reminded_at__isnull=True,
                                                  slot__starts_at__gt=now, slot__starts_at__lte=now + timedelta(hours=24)):
        with transaction.atomic():
            if Appointment.objects.filter(pk=appointment.pk, reminded_at__isnull=True).update(reminded_at=now):
                _tell(appointment, "appointments.reminder", "")
                sent += 1
    return sent


def _tell(appointment: Appointment, kind: str, secret: str) -> None:
    slot = Slot.objects.select_related("type__service", "office").get(pk=appointment.slot_id)
    cancel_url = _base_url() + reverse("appointments:cancel") + (f"?codice={secret}" if secret else "")
    context = {"appointment": appointment, "slot": slot, "type": slot.type, "office": slot.office, "cancel_url": cancel_url,
               "code": secret, "starts": timezone.localtime(slot.starts_at)}
    # The address proven for this booking is where its messages go, also for a signed-in citizen whose profile has none.
    recipient = {"user": appointment.user, "address": appointment.email} if appointment.user_id else {"address": appointment.email}
    outbox.message_send(kind=kind, event=f"{kind}:{appointment.pk}:{appointment.sequence}", context=context,
                        ref=f"appointment:{appointment.pk}:{appointment.sequence}",
                        url=reverse("appointments:mine") if appointment.user_id else "", **recipient)


def _bookable(kind: AppointmentType, office, session_key: str, now):
    """Slots still bookable (minimum notice, horizon, not taken off), each with the places the other sessions hold."""
    return (Slot.objects.filter(type=kind, office=office, blocked=False, starts_at__gte=now + timedelta(hours=kind.min_notice_hours),
                                starts_at__date__lte=timezone.localdate(now) + timedelta(days=kind.horizon_days))
            .annotate(holding=Count("holds", filter=Q(holds__expires_at__gt=now) & ~Q(holds__session_key=session_key))))


def daily_counts(kind: AppointmentType, office, start: date, end: date, session_key: str = "", now=None) -> dict[date, int]:
    """{day: free places} between two days for the calendar step; a day with slots and no free place is there with
    0 (full)."""
    now = now or timezone.now()
    free: dict[date, int] = {}
    for slot in _bookable(kind, office, session_key, now).filter(starts_at__date__gte=start, starts_at__date__lte=end):
        day = timezone.localdate(slot.starts_at)
        free[day] = free.get(day, 0) + max(slot.places - slot.booked - slot.holding, 0)
    return free


def free_months(kind: AppointmentType, office, now=None) -> list[date]:
    """The months with a place not yet booked (first days), for the calendar's month links."""
    now = now or timezone.now()
    found = (Slot.objects.filter(type=kind, office=office, blocked=False, booked__lt=F("places"),
                                 starts_at__gte=now + timedelta(hours=kind.min_notice_hours),
                                 starts_at__date__lte=timezone.localdate(now) + timedelta(days=kind.horizon_days))
             .datetimes("starts_at", "month"))
    return [timezone.localtime(m).date() for m in found]


def free_slots(kind: AppointmentType, office, day: date, session_key: str = "", now=None) -> list[tuple[Slot, int]]:
    """The day's bookable slots with their free places."""
    now = now or timezone.now()
    return [(slot, max(slot.places - slot.booked - slot.holding, 0))
            for slot in _bookable(kind, office, session_key, now).filter(starts_at__date=day).order_by("starts_at")]


def next_free(kind: AppointmentType, office, session_key: str = "", now=None, limit: int = 3) -> list[Slot]:
    """The next free slots, for a refusal ("posto non più disponibile") and *Prima data disponibile*: one query."""
    now = now or timezone.now()
    return list(_bookable(kind, office, session_key, now).filter(booked__lt=F("places") - F("holding")).order_by("starts_at")[:limit])

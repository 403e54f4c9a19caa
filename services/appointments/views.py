"""Booking an appointment on the model's six steps — Luogo, Data e orario, Dettagli, Richiedente, Riepilogo,
Conferma — without JavaScript; the flow's state lives in the session, and the chosen slot is held while the
citizen completes it. Cancellation by the code in the e-mail, or from the personal area."""

import calendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from services.accounts import area
from services.core.decorators import private_no_store
from services.core.http import client_key
from services.core.parsing import parse_id

from . import actions
from .calendar_files import ics
from .forms import ApplicantForm, CancelForm, DetailsForm
from .models import Appointment, AppointmentType, Slot
from .states import HOLDING, Status

KEY = "booking"
STEPS = [("luogo", _l("Luogo")), ("data", _l("Data e orario")), ("dettagli", _l("Dettagli")), ("richiedente", _l("Richiedente")),
         ("riepilogo", _l("Riepilogo")), ("conferma", _l("Conferma"))]


def _state(request) -> dict:
    return request.session.get(KEY, {})


def _save(request, **values):
    request.session[KEY] = {**_state(request), **values}


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def _type(request) -> AppointmentType:
    found = AppointmentType.objects.filter(pk=_state(request).get("type") or 0, active=True).select_related("service").first()
    if found is None:
        raise _Restart
    return found


class _Restart(Exception):
    pass


def _flow(view):
    """Steps reached without what the earlier ones chose start again from the beginning."""
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Restart:
            messages.info(request, _("Scegli di nuovo il servizio per cui prenotare."))
            return redirect("appointments:start")
    wrapped.__name__ = view.__name__
    return private_no_store(wrapped)


def _page(request, step, template_context, status=200):
    names = [name for name, _label in STEPS]
    return render(request, "appointments/flow.html", {
        "steps": [{"name": n, "label": label, "number": i + 1, "current": n == step, "done": names.index(n) < names.index(step)}
                  for i, (n, label) in enumerate(STEPS)],
        "step": step, "booking": _state(request), **template_context}, status=status)


@_flow
def start(request):
    """From a service page (?servizio=…) only that service's appointment types; from elsewhere every service's."""
    types = AppointmentType.objects.filter(active=True).select_related("service").order_by("service__title", "title")
    slug = request.GET.get("servizio") or request.POST.get("servizio") or ""
    if slug:
        types = types.filter(service__slug=slug)
    types = list(types)
    if request.method == "POST":
        chosen = next((t for t in types if str(t.pk) == request.POST.get("tipo")), None)
        if chosen is not None:
            request.session[KEY] = {"type": chosen.pk, "service": chosen.service.slug}
            return redirect("appointments:place")
        messages.error(request, _("Scegli il servizio e l'argomento dall'elenco."))
    elif len(types) == 1:
        request.session[KEY] = {"type": types[0].pk, "service": types[0].service.slug}
        return redirect("appointments:place")
    return _page(request, "luogo", {"types": types, "choose_type": True, "service_slug": slug},
                 status=400 if request.method == "POST" else 200)


def _over_limit(request, kind, email: str = "") -> bool:
    """The per-person limit, said before anything is chosen: by the attested codice fiscale or the e-mail."""
    user = request.user
    fiscal_code = user.fiscal_code if user.is_authenticated and user.fiscal_code_attested else ""
    email = email or (user.email if user.is_authenticated and user.email_verified else "")
    if not (fiscal_code or email):
        return False
    return actions.over_person_limit(kind, fiscal_code=fiscal_code, email=email)


@_flow
def place(request):
    kind = _type(request)
    if _over_limit(request, kind):
        return _page(request, "luogo", {"kind": kind, "offices": [], "limit_reached": kind.title}, status=409)
    offices = list(kind.offices.order_by("name"))
    if request.method == "POST":
        chosen = next((o for o in offices if str(o.pk) == request.POST.get("ufficio")), None)
        if chosen is not None:  # an office that does not serve this service is refused (a forged pair)
            _save(request, office=chosen.pk)
            return redirect("appointments:when")
        messages.error(request, _("Scegli l'ufficio tra quelli che offrono questo servizio."))
    current = _state(request).get("office") or (offices[0].pk if len(offices) == 1 else None)
    return _page(request, "luogo", {"kind": kind, "offices": offices, "current": current}, status=400 if request.method == "POST" else 200)


def _office(request, kind):
    office = kind.offices.filter(pk=_state(request).get("office") or 0).first()
    if office is None:
        raise _Restart
    return office


def _months(free: dict) -> list[date]:
    return sorted({date(d.year, d.month, 1) for d, n in free.items()})


@_flow
def when(request):
    kind = _type(request)
    office = _office(request, kind)
    key = _session_key(request)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            hold = actions.hold_place(slot_id=parse_id(request.POST.get("orario")) or 0, session_key=key, type_id=kind.pk,
                                      office_id=office.pk, client=client_key(request, "appointments"))
        except actions.BookingError as error:
            messages.error(request, str(error))
        else:
            _save(request, slot=hold.slot_id)
            return redirect("appointments:details")
    first = actions.next_free(kind, office, key, limit=1)
    first_free = timezone.localdate(first[0].starts_at) if first else None
    try:
        day = date.fromisoformat(request.GET["giorno"]) if request.GET.get("giorno") else None
        month = date.fromisoformat(request.GET["mese"] + "-01") if request.GET.get("mese") else None
    except ValueError:
        day = month = None
    day = day or (None if month else first_free)
    month = date(day.year, day.month, 1) if day else month
    months = actions.free_months(kind, office)
    days = []
    if month:
        last = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
        free = actions.daily_counts(kind, office, max(month, today), last, key)
        day = day or next((d for d, n in sorted(free.items()) if n), None)  # a month chosen: its first free day
        days = [{"day": d, "free": n, "current": d == day} for d, n in sorted(free.items())]
    slots = actions.free_slots(kind, office, day, key) if day else []
    chosen = _state(request).get("slot")
    preselect = chosen if any(s.pk == chosen and n for s, n in slots) else next((s.pk for s, n in slots if n), None)
    return _page(request, "data", {"kind": kind, "office": office, "months": months, "month": month, "days": days, "day": day,
                                   "slots": slots, "preselect": preselect, "first_free": first_free,
                                   "day_has_free": any(n for _s, n in slots),
                                   "next_free": actions.next_free(kind, office, key) if request.method == "POST" else []},
                 status=400 if request.method == "POST" else 200)


def _slot(request, kind, office):
    slot = Slot.objects.filter(pk=_state(request).get("slot") or 0, type=kind, office=office).first()
    if slot is None:
        raise _Restart
    return slot


@_flow
def details(request):
    kind = _type(request)
    slot = _slot(request, kind, _office(request, kind))
    form = DetailsForm(request.POST or None, initial={"reason": _state(request).get("reason", "")})
    if request.method == "POST" and form.is_valid():
        _save(request, reason=form.cleaned_data["reason"])
        return redirect("appointments:applicant")
    return _page(request, "dettagli", {"kind": kind, "slot": slot, "form": form}, status=400 if form.errors else 200)


@_flow
def applicant(request):
    kind = _type(request)
    _slot(request, kind, _office(request, kind))
    user = request.user
    initial = _state(request).get("applicant") or (
        {"first_name": user.first_name, "last_name": user.last_name, "email": user.email, "phone": getattr(user, "mobile_phone", "")}
        if user.is_authenticated else {})
    form = ApplicantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # The per-person limit counts by codice fiscale only when SPID/CIE proved it; otherwise by e-mail.
        data["fiscal_code"] = user.fiscal_code if user.is_authenticated and user.fiscal_code_attested else ""
        if actions.over_person_limit(kind, fiscal_code=data["fiscal_code"], email=data["email"]):
            return _page(request, "richiedente", {"kind": kind, "form": form, "limit_reached": kind.title}, status=409)
        _save(request, applicant=data)
        return redirect("appointments:summary")
    return _page(request, "richiedente", {"kind": kind, "form": form}, status=400 if form.errors else 200)


@_flow
def summary(request):
    kind = _type(request)
    office = _office(request, kind)
    slot = _slot(request, kind, office)
    state = _state(request)
    if not state.get("applicant") or not state.get("reason"):
        return redirect("appointments:applicant" if state.get("reason") else "appointments:details")
    if request.method == "POST":
        try:
            appointment, secret = actions.book(slot_id=slot.pk, session_key=_session_key(request), applicant=state["applicant"],
                                               reason=state["reason"], user=request.user,
                                               client=client_key(request, "appointments"))
        except actions.BookingError as error:
            if str(error) == actions.person_limit_message(kind):  # the limit: the way out, not another time
                return _page(request, "riepilogo", {"kind": kind, "office": office, "slot": slot, "applicant": state["applicant"],
                                                    "reason": state["reason"], "limit_reached": kind.title}, status=409)
            messages.error(request, str(error))
            return redirect("appointments:when")
        request.session.pop(KEY, None)
        if appointment.status != Status.PENDING:  # a pending one gets its code with the confirmation e-mail
            request.session["appointment_code"] = {"id": str(appointment.public_id), "code": secret}
        return redirect("appointments:done", public_id=appointment.public_id)
    return _page(request, "riepilogo", {"kind": kind, "office": office, "slot": slot, "applicant": state["applicant"],
                                        "reason": state["reason"]})


@private_no_store
def done(request, public_id):
    appointment = Appointment.objects.filter(public_id=public_id).select_related("slot__type__service", "slot__office").first()
    if appointment is None:
        raise Http404
    shown = request.session.get("appointment_code") or {}
    code = shown.get("code") if shown.get("id") == str(public_id) else ""
    return _page(request, "conferma", {"appointment": appointment, "slot": appointment.slot, "kind": appointment.slot.type,
                                       "office": appointment.slot.office, "code": code})


@private_no_store
def calendar_file(request, public_id):
    """The event for the citizen's calendar: times, office and topic, no personal data."""
    appointment = Appointment.objects.filter(public_id=public_id).select_related("slot__type", "slot__office").first()
    if appointment is None:
        raise Http404
    response = HttpResponse(ics(appointment, appointment.slot), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appuntamento.ics"'
    return response


@private_no_store
def cancel(request):
    """Cancel without signing in, with the code of the confirmation e-mail (?codice=… prefills it)."""
    form = CancelForm(request.POST or None, initial={"code": request.GET.get("codice", "")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_by_code(secret=form.cleaned_data["code"])
        except actions.BookingError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("Appuntamento annullato: il posto è di nuovo libero. Ti abbiamo scritto per e-mail."))
            return redirect("appointments:cancel")
    return render(request, "appointments/cancel.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@private_no_store
def mine(request):
    appointments = (Appointment.objects.filter(user=request.user).select_related("slot__type__service", "slot__office")
                    .order_by("-slot__starts_at"))
    return area.render_area(request, "appuntamenti", "appointments/mine.html",
                            {"appointments": appointments, "now": timezone.now(), "holding": HOLDING})


@require_POST
@login_required
@private_no_store
def mine_cancel(request, public_id):
    appointment = Appointment.objects.filter(user=request.user, public_id=public_id).first()
    if appointment is None:
        raise Http404
    try:
        if appointment.slot.starts_at <= timezone.now():
            raise actions.BookingError(_("L'appuntamento è già passato."))
        actions.appointment_cancel(appointment=appointment, reason=_("Annullato dal cittadino"))
        messages.success(request, _("Appuntamento annullato: il posto è di nuovo libero."))
    except actions.BookingError as error:
        messages.error(request, str(error))
    return redirect("appointments:mine")


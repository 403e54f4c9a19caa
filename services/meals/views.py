"""Personal area: the meal account (balance, pending top-ups, movements) and Ricarica."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from services.accounts import area
from services.catalogue import selectors as catalogue
from services.core.decorators import private_no_store
from services.payments import client
from services.payments.actions import PaymentsSuspended, checkout_start
from services.payments.suspension import suspension_message

from . import actions
from .forms import TopUpForm
from .models import Wallet
from .selectors import wallet_page

TOPUP_MODULE = "meals-topup"
CHANGES_MODULE = "meals-changes"


def _context(request, **extra):
    return area.context("conto-mensa", extra)


def _outside_window(module: str) -> str:
    """Why the online module is not open now (its service page's window, from the catalogue), or ""."""
    window = catalogue.module_window(module)
    state = window.state()
    if state == "not_yet":
        return _("Il servizio online apre il %(d)s alle %(t)s.") % {
            "d": timezone.localtime(window.opens_at).strftime("%d/%m/%Y"), "t": timezone.localtime(window.opens_at).strftime("%H:%M")}
    if state == "closed":
        return _("Il servizio online è chiuso dal %(d)s alle %(t)s.") % {
            "d": timezone.localtime(window.closes_at).strftime("%d/%m/%Y"), "t": timezone.localtime(window.closes_at).strftime("%H:%M")}
    return ""


@login_required
@private_no_store
def wallet_view(request):
    wallet = Wallet.objects.filter(holder=request.user).first()
    return render(request, "meals/wallet.html", _context(request, **wallet_page(request.user, wallet, today=timezone.localdate())))


@login_required
@private_no_store
def topup_view(request):
    form = TopUpForm(request.POST or None)
    suspended = suspension_message() or _outside_window(TOPUP_MODULE)
    if request.method == "POST" and form.is_valid() and not suspended:
        position = actions.topup_start(holder=request.user, amount=form.cleaned_data["amount"],
                                       notify=form.cleaned_data["how"] == "avviso")
        if form.cleaned_data["how"] == "avviso":
            messages.success(request, _("Avviso creato: scaricalo o fattelo inviare per e-mail, poi pagalo in un punto abilitato."))
            return redirect("payments:tab")
        base = request.build_absolute_uri(reverse("payments:returned", args=[position.public_id]))
        urls = client.CheckoutUrls(ok=f"{base}?esito=ok", cancel=f"{base}?esito=annullato", error=f"{base}?esito=errore")
        try:
            return redirect(checkout_start(position=position, urls=urls, email=request.user.email))
        except (client.PagoPAError, PaymentsSuspended):
            messages.error(request, _("pagoPA non è raggiungibile in questo momento: l'avviso è tra i pagamenti da fare, puoi riprovare da lì."))
            return redirect("payments:tab")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "meals/topup.html", _context(request, form=form, suspended=suspended), status=status)


def _own_wallet(request) -> Wallet:
    """The signed-in holder's wallet: there is no wallet id in the URL, so no other family's can be asked for."""
    from django.http import Http404

    wallet = Wallet.objects.filter(holder=request.user).select_related("holder").first()
    if wallet is None:
        raise Http404
    return wallet


class PeriodError(ValueError):
    """The message is for the citizen, in Italian."""


def _day(request, name: str, default):
    from django.utils.dateparse import parse_date

    text = (request.GET.get(name) or "").strip()
    if not text:
        return default
    try:
        day = parse_date(text)
    except ValueError:  # 2024-02-30: well formed, impossible
        day = None
    if day is None:
        label = "di inizio" if name == "dal" else "di fine"
        raise PeriodError(_("La data %(which)s del periodo non esiste: scrivila come AAAA-MM-GG, ad esempio 2026-09-01.")
                          % {"which": label})
    return day


def _period(request):
    from datetime import date

    today = timezone.localdate()
    start, end = _day(request, "dal", date(today.year, 1, 1)), _day(request, "al", today)
    return (start, end) if start <= end else (end, start)


def _file(content, content_type, name):
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@private_no_store
def movements_export(request, fmt):
    from django.http import Http404

    from . import statements

    if fmt not in ("csv", "pdf"):
        raise Http404
    wallet = _own_wallet(request)
    try:
        start, end = _period(request)
    except PeriodError as error:
        messages.error(request, str(error))
        return redirect("meals:wallet")
    name = f"movimenti-{wallet.payment_code}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "csv":
        return _file(statements.movements_csv(wallet, start, end), "text/csv; charset=utf-8", f"{name}.csv")
    return _file(statements.movements_pdf(wallet, start, end), "application/pdf", f"{name}.pdf")


@login_required
@private_no_store
def yearly_statement(request, year):
    from django.http import Http404

    from . import statements

    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    wallet = _own_wallet(request)
    return _file(statements.yearly_statement_pdf(wallet, year), "application/pdf", f"dichiarazione-mensa-{year}-{wallet.payment_code}.pdf")


UPCOMING_SCHOOL_DAYS = 10


@login_required
@private_no_store
def meals_view(request):
    """The next school days of each child, with the meal changes still allowed (before the cut-off)."""
    from datetime import timedelta

    from .days import can_change, is_school_day
    from .models import Child, MealChange

    children = list(Child.objects.filter(wallet__holder=request.user).select_related("school"))
    closed = _outside_window(CHANGES_MODULE)
    today = timezone.localdate()
    plan = []
    for child in children:
        days, day = [], today
        changes = {c.day: c.kind for c in MealChange.objects.filter(child=child, day__gte=today)}
        while len(days) < UPCOMING_SCHOOL_DAYS and day <= today + timedelta(days=40):
            in_service = child.service_from <= day and (child.service_to is None or day <= child.service_to)
            if in_service and is_school_day(day, child.school_id):
                days.append({"day": day, "change": changes.get(day), "open": not closed and can_change(day)})
            day += timedelta(days=1)
        plan.append({"child": child, "days": days})
    return render(request, "meals/meals.html", _context(request, plan=plan, closed=closed))


@login_required
@private_no_store
def meal_change_view(request, child_id, day):
    from datetime import date as date_type

    from django.http import Http404

    from .models import Child

    if request.method != "POST":
        raise Http404
    child = Child.objects.filter(pk=child_id, wallet__holder=request.user).first()
    if child is None:  # another family's child
        raise Http404
    closed = _outside_window(CHANGES_MODULE)
    if closed:
        messages.error(request, closed)
        return redirect("meals:meals")
    try:
        the_day = date_type.fromisoformat(day)
        action = request.POST.get("azione")
        if action == "ripristina":
            actions.meal_change_clear(child=child, day=the_day)
            messages.success(request, f"Pasto del {the_day:%d/%m/%Y} ripristinato per {child.first_name}.")
        else:
            kind = {"disdici": "cancelled", "bianco": "plain"}.get(action, "")
            actions.meal_change_set(child=child, day=the_day, kind=kind, by=request.user)
            label = "disdetto" if kind == "cancelled" else "in bianco"
            messages.success(request, f"Pasto del {the_day:%d/%m/%Y} {label} per {child.first_name}.")
    except ValueError as error:
        raise Http404 from error
    except actions.MealChangeError as error:
        messages.error(request, str(error))
    return redirect("meals:meals")

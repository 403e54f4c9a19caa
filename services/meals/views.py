"""Personal area: the meal account (balance, pending top-ups, movements) and Ricarica."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from services.accounts import area
from services.accounts.redirects import safe_next
from services.core.decorators import private_no_store
from services.payments import checkout
from services.payments.actions import PaymentsSuspended
from services.payments.suspension import suspension_message

from . import actions, panels
from .forms import TopUpForm
from .models import Wallet
from .selectors import CHANGES_MODULE, TOPUP_MODULE, outside_window, wallet_page


def _context(request, **extra):
    return area.context("conto-mensa", extra)


@login_required
@private_no_store
def wallet_view(request):
    wallet = Wallet.objects.filter(holder=request.user).first()
    return render(request, "meals/wallet.html", _context(request, **wallet_page(request.user, wallet, today=timezone.localdate())))


@login_required
@private_no_store
def topup_view(request):
    form = TopUpForm(request.POST or None)
    suspended = suspension_message() or outside_window(TOPUP_MODULE)
    return_to = _return_to(request)
    if return_to and request.method == "POST" and (suspended or not form.is_valid()):
        # From the service page's panel: back there, with the messages next to the field and the value kept.
        panels.keep_refused_topup(request, request.POST)
        if suspended:
            messages.error(request, suspended)
        return redirect(return_to + "#accedi-al-servizio")
    if request.method == "POST" and form.is_valid() and not suspended:
        try:
            position = actions.topup_start(holder=request.user, amount=form.cleaned_data["amount"],
                                           notify=form.cleaned_data["how"] == "avviso")
        except PaymentsSuspended as error:  # suspended since the page was shown
            messages.error(request, str(error))
            return redirect("payments:tab")
        if form.cleaned_data["how"] == "avviso":
            messages.success(request, _("Avviso creato: scaricalo o fattelo inviare per e-mail, poi pagalo in un punto abilitato."))
            return redirect("payments:tab")
        return checkout.go(request, position)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "meals/topup.html", _context(request, form=form, suspended=suspended), status=status)


def _return_to(request) -> str:
    """The service page a panel's form came from (`ritorno`, a same-site path), or ""."""
    target = request.POST.get("ritorno", "")
    return safe_next(request, target) if target else ""


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
    from .selectors import meal_plan

    closed = outside_window(CHANGES_MODULE)
    plan = meal_plan(request.user, today=timezone.localdate(), school_days=UPCOMING_SCHOOL_DAYS, closed=bool(closed))
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
    back = (_return_to(request) + "#accedi-al-servizio") if _return_to(request) else "meals:meals"
    closed = outside_window(CHANGES_MODULE)
    if closed:
        messages.error(request, closed)
        return redirect(back)
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
    return redirect(back)

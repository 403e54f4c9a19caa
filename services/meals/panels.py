"""What the meal account's modules show a signed-in citizen on their service pages (the catalogue's module
panels): the balance and a top-up form, the next school days with their meal changes, the account at a glance.
Each reads a small, fixed number of rows, whatever the family's history."""

from django.utils import timezone

from services.catalogue.modules import Panel
from services.payments.models import PaymentPosition
from services.payments.suspension import suspension_message

from .forms import TopUpForm
from .models import Wallet
from .selectors import CHANGES_MODULE, TOPUP_MODULE, meal_plan, outside_window

TOPUP_KEPT = "meals:topup-refused"  # session key: what a refused top-up from a service page had typed
WEEK_SCHOOL_DAYS = 5


def keep_refused_topup(request, data) -> None:
    """A top-up refused from a service page: keep what was typed, so the page shows it with the messages."""
    request.session[TOPUP_KEPT] = {"amount": data.get("amount", "")[:50], "how": data.get("how", "")[:20]}


def _wallet(request):
    return Wallet.objects.filter(holder=request.user).first()


def topup_panel(request, service_url: str) -> Panel:
    kept = request.session.pop(TOPUP_KEPT, None)
    form = TopUpForm(kept) if kept else TopUpForm()
    if kept:
        form.is_valid()  # the same messages as when it was sent
    wallet = _wallet(request)
    pending = list(PaymentPosition.objects.open().filter(owner=request.user, purpose="wallet-topup").order_by("-created_at")[:5])
    return Panel("meals/_topup_panel.html", {
        "wallet": wallet, "pending": pending, "form": form, "return_to": service_url,
        "suspended": suspension_message() or outside_window(TOPUP_MODULE),
    })


def changes_panel(request, service_url: str) -> Panel:
    closed = outside_window(CHANGES_MODULE)
    plan = meal_plan(request.user, today=timezone.localdate(), school_days=WEEK_SCHOOL_DAYS, closed=bool(closed))
    for item in plan:  # the next school day and the rest of its week
        if item["days"]:
            week = item["days"][0]["day"].isocalendar()[:2]
            item["days"] = [d for d in item["days"] if d["day"].isocalendar()[:2] == week]
    return Panel("meals/_changes_panel.html", {"plan": plan, "closed": closed, "return_to": service_url})


def account_panel(request, service_url: str) -> Panel:
    wallet = _wallet(request)
    return Panel("meals/_account_panel.html", {"wallet": wallet})

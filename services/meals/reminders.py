"""Low or negative balance reminders through the message layer, at most every MEALS_REMINDER_EVERY_DAYS days
per family (the channels are the family's choice, as for every message)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.core.money import format_euro
from services.notifications import actions as outbox
from services.notifications import kinds
from services.notifications.models import Message

from .models import Wallet

KIND = "meals.low_balance"
LOOKBACK_DAYS = 60


def register_kind() -> None:
    kinds.register(KIND, label=_("Conto mensa"), io_service="meals")


def send_balance_reminders(*, today=None) -> int:
    """One reminder per family whose balance is under the threshold and who had none in the last days."""
    today = today or timezone.localdate()
    since = today - timedelta(days=settings.MEALS_REMINDER_EVERY_DAYS - 1)
    recent = Message.objects.filter(kind=KIND, created_at__gte=timezone.now() - timedelta(days=LOOKBACK_DAYS))
    # The business date of each reminder is in its event (low-balance:<wallet>:<date>).
    reminded = {user_id for user_id, event in recent.values_list("user_id", "event") if since.isoformat() <= event.rsplit(":", 1)[1] <= today.isoformat()}
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("meals:topup")
    queued = 0
    for wallet in Wallet.objects.filter(balance__lt=settings.MEALS_REMINDER_THRESHOLD).select_related("holder").iterator():
        if wallet.holder_id in reminded:
            continue
        outbox.message_send(kind=KIND, event=f"low-balance:{wallet.pk}:{today.isoformat()}", user=wallet.holder,
                            context={"wallet": wallet, "amount": format_euro(wallet.balance), "link": link},
                            url=reverse("meals:topup"))
        queued += 1
    return queued

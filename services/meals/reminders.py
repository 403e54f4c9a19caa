"""Low or negative balance reminders by e-mail and SMS, at most every MEALS_REMINDER_EVERY_DAYS days."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from services.notifications.sms import send_sms

from .models import BalanceReminder, Wallet


def _text(wallet) -> str:
    amount = f"{wallet.balance:.2f}".replace(".", ",")
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("meals:topup")
    if wallet.balance < 0:
        return f"Il conto mensa {wallet.payment_code} è in negativo (€ {amount}). Ricaricalo: {link}"
    return f"Il saldo del conto mensa {wallet.payment_code} è basso (€ {amount}). Ricaricalo: {link}"


def send_balance_reminders(*, today=None) -> dict:
    today = today or timezone.localdate()
    since = today - timedelta(days=settings.MEALS_REMINDER_EVERY_DAYS)
    low = Wallet.objects.filter(balance__lt=settings.MEALS_REMINDER_THRESHOLD).select_related("holder")
    counts = {"email": 0, "sms": 0, "failed": 0}
    for wallet in low.iterator():
        holder = wallet.holder
        channels = []
        if holder.notify_by_email and holder.email:
            channels.append(("email", lambda: send_mail("Conto mensa: saldo da ricaricare", _text(wallet), None, [holder.email])))
        if holder.notify_by_sms and holder.mobile_verified and holder.mobile_phone:
            channels.append(("sms", lambda: send_sms(to=holder.mobile_phone, text=_text(wallet))))
        for channel, send in channels:
            if BalanceReminder.objects.filter(wallet=wallet, channel=channel, sent_on__gt=since).exists():
                continue
            try:
                with transaction.atomic():
                    reminder = BalanceReminder.objects.create(wallet=wallet, channel=channel, balance=wallet.balance, sent_on=today)
            except IntegrityError:
                continue  # another run is sending it today
            try:
                send()
            except Exception as error:  # noqa: BLE001 - an unreachable gateway must not stop the others
                BalanceReminder.objects.filter(pk=reminder.pk).update(error=str(error)[:200])
                counts["failed"] += 1
                continue
            BalanceReminder.objects.filter(pk=reminder.pk).update(delivered=True)
            counts[channel] += 1
    return counts

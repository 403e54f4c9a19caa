"""Payments' demo, with the demo users (services/core/demo.py): seed 004's switch-over as the administrator sets it,
and two notices for Maria Rossi, paid through the pagoPA sandbox."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from .actions import position_create
from .models import PaymentPosition
from .suspension import PaymentSettings

ROME = ZoneInfo("Europe/Rome")


def load_switch_over(context) -> int:
    """Payments suspended on the dates the demo's notice gives (22 December to 9 January). Inside them the top-up's
    service page and the personal area both say so; after them it is past and payments run. Only with the demo users:
    the tests' demo never suspends payments."""
    conf = PaymentSettings.load()
    if conf.suspended_from:
        return 0
    conf.suspended_from = datetime.datetime(2026, 12, 22, tzinfo=ROME)
    conf.suspended_until = datetime.datetime(2027, 1, 10, tzinfo=ROME)
    conf.message = ("I pagamenti sono sospesi fino al 9 gennaio per il passaggio al nuovo sistema: il saldo del vecchio "
                    "conto viene trasferito automaticamente e le ricariche riprendono il 10 gennaio.")
    conf.save()
    return 1


def load_notices(context) -> int:
    if not settings.PAGOPA_SANDBOX_ENABLED:
        return 0
    maria = get_user_model().objects.get(username="RSSMRA85C52H501N")
    if PaymentPosition.objects.filter(owner=maria, purpose="demo").exists():
        return 0
    for amount, text in (("45.00", "Trasporto scolastico: quota del primo trimestre"), ("12.50", "Uscita didattica al museo")):
        position_create(owner=maria, purpose="demo", amount=amount, description=text, due_date=context.today + datetime.timedelta(days=30))
    return 2

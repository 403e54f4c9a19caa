from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from services.meals.actions import ledger_post, wallet_get_or_create
from services.meals.models import BalanceReminder
from services.meals.reminders import send_balance_reminders
from services.notifications import sms


@pytest.fixture
def families(db):
    User = get_user_model()
    low = User.objects.create_user("maria", fiscal_code="RSSMRA85C52H501N", email="maria@example.it", mobile_phone="+393331234567",
                                   mobile_verified=True, notify_by_sms=True)
    rich = User.objects.create_user("luca", fiscal_code="BNCLCU82S02A271A", email="luca@example.it")
    quiet = User.objects.create_user("sara", fiscal_code="RSSSRA90P70F205P", email="", notify_by_email=False)
    for user, amount in ((low, "-3.40"), (rich, "40.00"), (quiet, "2.00")):
        wallet = wallet_get_or_create(holder=user)
        ledger_post(wallet_id=wallet.pk, kind="opening", amount=Decimal(amount), reference="opening", description="x")
    return low


def test_low_balances_get_one_reminder_per_channel_and_period(families):
    sms.outbox.clear()
    today = date(2026, 11, 24)
    assert send_balance_reminders(today=today) == {"email": 1, "sms": 1, "failed": 0}
    assert mail.outbox[-1].to == ["maria@example.it"] and "in negativo (€ -3,40)" in mail.outbox[-1].body
    assert sms.outbox[-1][0] == "+393331234567" and "/area-personale/conto-mensa/ricarica/" in sms.outbox[-1][1]
    assert send_balance_reminders(today=today + timedelta(days=3)) == {"email": 0, "sms": 0, "failed": 0}
    assert send_balance_reminders(today=today + timedelta(days=7)) == {"email": 1, "sms": 1, "failed": 0}
    assert BalanceReminder.objects.filter(delivered=True).count() == 4


def test_a_failing_gateway_is_logged_and_does_not_stop_the_rest(families, monkeypatch):
    def broken(**kwargs):
        raise OSError("gateway down")

    monkeypatch.setattr("services.meals.reminders.send_sms", broken)
    assert send_balance_reminders(today=date(2026, 11, 24)) == {"email": 1, "sms": 0, "failed": 1}
    failed = BalanceReminder.objects.get(channel="sms")
    assert not failed.delivered and failed.error == "gateway down"

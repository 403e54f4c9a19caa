"""Low-balance reminders go through the message layer: one per family and period, on the family's channels."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core import mail

import pytest

from services.meals.actions import ledger_post, wallet_get_or_create
from services.meals.reminders import send_balance_reminders
from services.notifications import sms
from services.notifications.models import Dispatch, Message


@pytest.fixture
def families(db):
    User = get_user_model()
    low = User.objects.create_user("maria", fiscal_code="RSSMRA85C52H501N", email="maria@example.it", mobile_phone="+393331234567",
                                   mobile_verified=True, notify_channels=["email", "sms"])
    rich = User.objects.create_user("luca", fiscal_code="BNCLCU82S02A271A", email="luca@example.it")
    quiet = User.objects.create_user("sara", fiscal_code="RSSSRA90P70F205P", email="", notify_channels=[])
    for user, amount in ((low, "-3.40"), (rich, "40.00"), (quiet, "2.00")):
        wallet = wallet_get_or_create(holder=user)
        ledger_post(wallet_id=wallet.pk, kind="opening", amount=Decimal(amount), reference="opening", description="x")
    return low


def test_low_balances_get_one_reminder_per_period(families, django_capture_on_commit_callbacks):
    sms.outbox.clear()
    today = date(2026, 11, 24)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_balance_reminders(today=today) == 2  # Maria, and Sara (listed for the office: no channel reaches her)
    assert mail.outbox[-1].to == ["maria@example.it"] and "in negativo (€ -3,40)" in mail.outbox[-1].body
    assert sms.outbox[-1][0] == "+393331234567" and "/area-personale/conto-mensa/ricarica/" in sms.outbox[-1][1]
    # Sara chose no channel and none reaches her (not on App IO, no e-mail): listed for the office to call.
    assert Dispatch.objects.get(message__user__username="sara", channel="none").status == "unreachable"
    with django_capture_on_commit_callbacks(execute=True):
        assert send_balance_reminders(today=today + timedelta(days=3)) == 0
        assert send_balance_reminders(today=today + timedelta(days=7)) == 2
    assert Dispatch.objects.filter(message__user=families, status="sent").count() == 4
    assert Message.objects.filter(kind="meals.low_balance").count() == 4


def test_a_failing_gateway_is_retried_and_does_not_stop_the_rest(families, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise OSError("gateway down")

    monkeypatch.setattr("services.notifications.channels.send_sms", broken)
    with django_capture_on_commit_callbacks(execute=True):
        send_balance_reminders(today=date(2026, 11, 24))
    failed = Dispatch.objects.get(channel="sms")
    assert failed.status == "retry" and failed.error == "gateway SMS: gateway down"
    assert Dispatch.objects.get(channel="email").status == "sent"

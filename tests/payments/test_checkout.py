"""Payments owns its checkout (issue 26): the purpose's limits and the suspension are checked once, in
`position_create`; the return addresses are built once, for *Paga online* and the top-up alike."""

from datetime import date, timedelta
from decimal import Decimal

from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

import pytest

from services.core.money import AmountError
from services.payments import checkout, purposes
from services.payments.actions import PaymentsSuspended, position_create
from services.payments.models import PaymentPosition
from services.payments.suspension import PaymentSettings
from tests.factories import UserFactory


@pytest.fixture
def limited():
    purposes.register("limited", label="Con limiti", taxonomy="9/0101108TS/", min_amount=Decimal("5.00"), max_amount=Decimal("50.00"))
    yield purposes.get("limited")
    purposes.unregister("limited")


@pytest.mark.django_db
def test_the_purposes_limits_are_checked_when_the_position_is_made(limited):
    owner = UserFactory()
    for amount, message in (("4,99", "L'importo minimo è € 5,00."), ("50,01", "L'importo massimo è € 50,00."), ("abc", "Scrivi l'importo")):
        with pytest.raises(AmountError, match=message):
            position_create(owner=owner, purpose="limited", amount=amount, description="x", due_date=date(2027, 1, 31))
    assert not PaymentPosition.objects.exists()
    position = position_create(owner=owner, purpose="limited", amount="5", description="x", due_date=date(2027, 1, 31))
    assert position.amount == Decimal("5.00")


@pytest.mark.django_db
def test_a_suspension_refuses_what_a_citizen_asks_for_not_what_the_office_issues(limited):
    conf = PaymentSettings.load()
    conf.suspended_from, conf.suspended_until = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=1)
    conf.save()
    owner = UserFactory()
    with pytest.raises(PaymentsSuspended):
        position_create(owner=owner, purpose="limited", amount="10", description="x", due_date=date(2027, 1, 31), requested_by_citizen=True)
    assert position_create(owner=owner, purpose="limited", amount="10", description="x", due_date=date(2027, 1, 31)).pk


@pytest.mark.django_db
def test_the_return_addresses_are_the_positions_on_this_site(limited):
    position = position_create(owner=UserFactory(), purpose="limited", amount="10", description="x", due_date=date(2027, 1, 31))
    urls = checkout.return_urls(RequestFactory().get("/"), position)
    base = "http://testserver" + reverse("payments:returned", args=[position.public_id])
    assert (urls.ok, urls.cancel, urls.error) == (f"{base}?esito=ok", f"{base}?esito=annullato", f"{base}?esito=errore")


@pytest.mark.django_db
def test_a_notice_due_in_a_few_days_is_reminded_once(limited, django_capture_on_commit_callbacks):
    from services.notifications.models import Message
    from services.payments.actions import due_remind
    from services.payments.models import PaymentPosition
    from services.payments.states import PositionStatus

    today = timezone.localdate()
    owner = UserFactory(email="pia@example.it")
    soon = position_create(owner=owner, purpose="limited", amount="10", description="Rata trasporto", due_date=today + timedelta(days=2))
    later = position_create(owner=owner, purpose="limited", amount="10", description="Rata dopo", due_date=today + timedelta(days=20))
    PaymentPosition.objects.filter(pk__in=[soon.pk, later.pk]).update(status=PositionStatus.VALID)
    with django_capture_on_commit_callbacks(execute=True):
        assert due_remind(today=today) == 1
        assert due_remind(today=today) == 0
    message = Message.objects.get(kind="payments.due_reminder")
    assert message.ref == f"position:{soon.pk}" and "Rata trasporto" in message.body and message.payment_data["notice_number"] == soon.nav


@pytest.mark.django_db
def test_a_broker_down_at_commit_does_not_fail_the_citizens_request(limited, monkeypatch, django_capture_on_commit_callbacks):
    """Issue 28: the publish task cannot be queued; the position is made all the same (the mop-up publishes it)."""
    from services.payments import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker non raggiungibile")

    monkeypatch.setattr(tasks.publish_position, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        position = position_create(owner=UserFactory(), purpose="limited", amount="10", description="x", due_date=date(2027, 1, 31))
    assert PaymentPosition.objects.get(pk=position.pk).status == "NEW"

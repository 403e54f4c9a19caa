"""A channel is a plug-in (issue 26): this file alone registers one (a PEC-like channel), and a person can choose it
in the personal area, a broadcast can use it, the outbox delivers on it and the staff read its name."""

import uuid
from datetime import date

from django.contrib.auth import get_user_model
from django.test import Client

import pytest

from services.meals.actions import wallet_get_or_create
from services.meals.models import Child
from services.notifications import channels
from services.notifications.actions import broadcast_create, broadcast_fan_out, dispatches_deliver
from services.notifications.models import Dispatch
from tests.factories import FeeBandFactory, SchoolFactory

pytestmark = pytest.mark.django_db


class Certified(channels.Channel):
    code, label, order = "pec", "PEC", 40
    preference, needs, needs_message = "Ricevi gli avvisi via PEC", "email", "Per la PEC indica l'indirizzo."
    broadcast_label = "Invia per PEC"
    sent: list = []

    def reachable(self, users):
        return users.exclude(email="")

    def reaches(self, message):
        return bool(message.user and message.user.email)

    def send(self, message):
        self.sent.append((message.user.email, message.subject))
        return f"pec-{len(self.sent)}"


@pytest.fixture
def pec():
    channel = channels.register(Certified())
    Certified.sent.clear()
    yield channel
    channels.unregister("pec")


def test_a_channel_registered_in_one_file_is_offered_chosen_and_delivered(pec, django_capture_on_commit_callbacks):
    user = get_user_model().objects.create_user("pia", fiscal_code="RSSNNA18C52A271C", email="pia@pec.example.it",
                                                first_name="Pia", last_name="Posta")
    Child.objects.create(wallet=wallet_get_or_create(holder=user), first_name="Figlio", last_name="Posta", fiscal_code="RSSNNA18C52A271C",
                         school=SchoolFactory(), fee_band=FeeBandFactory(), service_from=date(2025, 9, 1))
    client = Client()
    client.force_login(user)
    page = client.get("/area-personale/impostazioni/").content.decode()
    assert "Ricevi gli avvisi via PEC" in page and 'name="canale_pec"' in page
    assert client.post("/area-personale/impostazioni/", {"email": "pia@pec.example.it", "canale_pec": "on"}).status_code == 302
    user.refresh_from_db()
    assert user.notify_channels == ["pec"]

    staff = Client()
    staff.force_login(get_user_model().objects.create_superuser("capo", password="x"))
    form = staff.get("/admin/comunicazioni/nuova/").content.decode()
    assert "Invia per PEC" in form
    with django_capture_on_commit_callbacks(execute=True):
        broadcast, _created = broadcast_create(by=None, token=uuid.uuid4(), subject="Sciopero", body="Il servizio è sospeso.",
                                               audience="meals", channels=("pec",))
        broadcast_fan_out(broadcast_id=broadcast.pk)
    dispatch = Dispatch.objects.get(message__user=user)
    if dispatch.status == Dispatch.Status.QUEUED:  # in-process jobs deliver on commit; a broker-backed run delivers here
        dispatches_deliver(dispatch_ids=[dispatch.pk])
        dispatch.refresh_from_db()
    assert (dispatch.channel, dispatch.status, dispatch.get_channel_display()) == ("pec", "sent", "PEC")
    assert Certified.sent == [("pia@pec.example.it", "Sciopero")]
    assert "PEC" in staff.get("/admin/comunicazioni/").content.decode()


def test_an_unregistered_channel_is_gone_from_the_settings_and_the_fallback():
    assert "pec" not in channels.codes() and channels.codes() == ("io", "email", "sms")
    assert channels.label("none") == "—"


def test_a_broadcast_never_fanned_out_is_fanned_out_by_the_sweep(django_capture_on_commit_callbacks):
    """Issue 28: the broker was down when staff confirmed; the requeue sweep fans it out, once."""
    from datetime import timedelta

    from django.utils import timezone

    from services.notifications.actions import broadcasts_requeue
    from services.notifications.models import Broadcast, Message

    user = get_user_model().objects.create_user("ugo", fiscal_code="RSSNNA18C52A271C", email="ugo@example.it")
    Child.objects.create(wallet=wallet_get_or_create(holder=user), first_name="Figlio", last_name="Posta", fiscal_code="RSSNNA18C52A271C",
                         school=SchoolFactory(), fee_band=FeeBandFactory(), service_from=date(2025, 9, 1))
    broadcast = Broadcast.objects.create(token=uuid.uuid4(), subject="Sciopero", body="Il servizio è sospeso.", audience="meals",
                                         channels=["email"])
    assert broadcasts_requeue() == 0  # just confirmed: its own task may still be on its way
    Broadcast.objects.filter(pk=broadcast.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert broadcasts_requeue() == 1
        assert broadcasts_requeue() == 0
    broadcast.refresh_from_db()
    assert broadcast.status == "sent" and Message.objects.filter(event=f"broadcast:{broadcast.pk}", user=user).count() == 1


def test_a_dispatch_on_a_channel_no_longer_registered_goes_to_the_dead_letters_and_spares_the_batch(pec):
    from services.notifications.actions import message_send

    user = get_user_model().objects.create_user("rita", fiscal_code="RSSNNA18C52A271C", email="rita@example.it",
                                                notify_channels=["pec", "email"])
    message = message_send(kind="notifications.broadcast", event="evento:1", user=user, queue=False, channels=("pec", "email"),
                           context={"subject": "Sciopero", "body": "Il servizio è sospeso."})
    assert {d.channel for d in message.dispatches.all()} == {"pec", "email"}
    channels.unregister("pec")  # the plug-in removed while its dispatches wait
    outcomes = dispatches_deliver(dispatch_ids=message.queued_ids)
    statuses = dict(message.dispatches.values_list("channel", "status"))
    assert sorted(outcomes.values()) == ["failed", "sent"] and statuses == {"pec": "dead", "email": "sent"}

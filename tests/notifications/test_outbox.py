"""The outbox: one message per event and recipient, one dispatch per channel, delivered after commit, and the
faults a partner or a worker can cause — nothing lost, nothing sent twice."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

import pytest

from services.notifications import actions, channels, io, io_sandbox, sms
from services.notifications.models import Dispatch, Message, OptOut

KIND = "notifications.broadcast"  # staff text in, the simplest kind to drive the layer with
CONTEXT = {"subject": "Scuola chiusa per neve", "body": "Domani le scuole restano chiuse per neve: la mensa non addebita i pasti."}


@pytest.fixture(autouse=True)
def _clean():
    io_sandbox.reset()
    sms.outbox.clear()
    mail.outbox.clear()


@pytest.fixture
def citizen(db):
    return get_user_model().objects.create_user("lia", fiscal_code="RSSLIA80A41H501Q", email="lia@example.it",
                                                mobile_phone="333 111 2222", mobile_verified=True, first_name="Lia")


def _send(user, event="evento:1", **kwargs):
    return actions.message_send(kind=KIND, event=event, user=user, context=CONTEXT, **kwargs)


def _statuses(message):
    return {d.channel: d.status for d in message.dispatches.all()}


def test_sent_on_the_chosen_channels_after_commit_once(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(citizen)
        assert _statuses(message) == {"io": "queued", "email": "queued"}  # nothing leaves before the commit
        again = _send(citizen)  # a retried task or a double click: the same message, nothing more
    assert again.pk == message.pk and Message.objects.count() == 1
    assert _statuses(message) == {"io": "sent", "email": "sent"}
    assert [m.to for m in mail.outbox] == [["lia@example.it"]] and len(io_sandbox.messages(citizen.fiscal_code)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _send(citizen, event="evento:2")  # another event is another message
    assert Message.objects.count() == 2 and len(mail.outbox) == 2


def test_a_rolled_back_transaction_sends_nothing(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _send(citizen)
                raise RuntimeError("the state change failed")
        except RuntimeError:
            pass
    assert not Message.objects.exists() and mail.outbox == []


def test_not_on_io_or_blocked_falls_back_to_the_next_channel(db, django_capture_on_commit_callbacks):
    User = get_user_model()
    absent = User.objects.create_user("sara", fiscal_code="RSSSRA90P70F205P", email="sara@example.it", notify_channels=["io"])
    blocked = User.objects.create_user("paolo", fiscal_code="FRRPLA68A14L219Z", email="paolo@example.it", notify_channels=["io"])
    with django_capture_on_commit_callbacks(execute=True):
        first, second = _send(absent), _send(blocked, event="evento:2")
    assert _statuses(first) == {"io": "failed", "email": "sent"} and "non usa l'App IO" in first.dispatches.get(channel="io").error
    assert _statuses(second) == {"io": "failed", "email": "sent"} and "disattivato" in second.dispatches.get(channel="io").error
    assert sorted(m.to[0] for m in mail.outbox) == ["paolo@example.it", "sara@example.it"]


@pytest.mark.parametrize("fault", ["errors_429", "errors_500"])
def test_io_answering_429_or_500_is_retried_with_backoff(citizen, fault, django_capture_on_commit_callbacks):
    citizen.notify_channels = [c for c in citizen.notify_channels if c != "email"]
    citizen.save()
    io_sandbox.set_faults(**{fault: 1})
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(citizen)
    dispatch = message.dispatches.get(channel="io")
    assert dispatch.status == "retry" and dispatch.attempts == 1 and dispatch.next_attempt_at > timezone.now()
    assert actions.dispatches_requeue() == 0  # not due yet
    assert actions.dispatches_requeue(now=timezone.now() + timedelta(minutes=2)) == 1
    dispatch.refresh_from_db()
    assert dispatch.status == "sent" and dispatch.attempts == 2 and len(io_sandbox.messages()) == 1


@pytest.mark.parametrize("fault", [{"garbage": 1}, {"unavailable": True}])
def test_io_answering_garbage_or_down_waits_and_is_sent_once_when_back(citizen, fault, django_capture_on_commit_callbacks):
    """Issue 28: an HTML page instead of JSON, or every call 503 (a maintenance): the message waits, then goes once."""
    citizen.notify_channels = [c for c in citizen.notify_channels if c != "email"]
    citizen.save()
    io_sandbox.set_faults(**fault)
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(citizen)
    dispatch = message.dispatches.get(channel="io")
    assert dispatch.status == "retry" and "App IO" in dispatch.error
    io_sandbox.set_faults(garbage=0, unavailable=False)
    later = timezone.now() + timedelta(minutes=5)
    assert actions.dispatches_requeue(now=later) == 1
    assert actions.dispatches_requeue(now=later) == 0
    dispatch.refresh_from_db()
    assert dispatch.status == "sent" and len(io_sandbox.messages(citizen.fiscal_code)) == 1


def test_io_timing_out_is_retried(citizen, settings, django_capture_on_commit_callbacks):
    """A read timeout from httpx (the sandbox over the WSGI transport cannot hang a socket): transient, retried."""
    import httpx

    def hang(request):
        raise httpx.ReadTimeout("timed out", request=request)

    citizen.notify_channels = [c for c in citizen.notify_channels if c != "email"]
    citizen.save()
    io._clients["istanze-timeout"] = httpx.Client(base_url=settings.IO_BASE_URL, transport=httpx.MockTransport(hang))
    settings.IO_SERVICES = {**settings.IO_SERVICES, "default": {"key": "io-sandbox-default"}}
    previous = io._clients.get("default")
    io._clients["default"] = io._clients["istanze-timeout"]
    try:
        with django_capture_on_commit_callbacks(execute=True):
            message = _send(citizen)
    finally:
        io._clients.pop("default", None)
        if previous is not None:
            io._clients["default"] = previous
    dispatch = message.dispatches.get(channel="io")
    assert dispatch.status == "retry" and "ReadTimeout" in dispatch.error
    actions.dispatches_requeue(now=timezone.now() + timedelta(minutes=2))
    dispatch.refresh_from_db()
    assert dispatch.status == "sent" and len(io_sandbox.messages()) == 1


def test_what_keeps_failing_goes_to_the_dead_letters_and_rinvia_sends_it(citizen, settings, django_capture_on_commit_callbacks):
    citizen.notify_channels = [c for c in citizen.notify_channels if c != "io"]
    citizen.save()
    settings.EMAIL_BACKEND = "tests.notifications.test_broadcasts.FailingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(citizen)
    dispatch = message.dispatches.get(channel="email")
    now = timezone.now()
    for _attempt in range(actions.MAX_ATTEMPTS):
        now += timedelta(hours=1)
        actions.dispatches_requeue(now=now)
    dispatch.refresh_from_db()
    assert dispatch.status == "dead" and dispatch.attempts == actions.MAX_ATTEMPTS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("capo", password="x"))
    page = admin.get("/admin/messaggi-non-inviati/")
    assert page.status_code == 200 and "Scuola chiusa per neve" in page.content.decode() and "no-store" in page["Cache-Control"]
    assert admin.post("/admin/messaggi-non-inviati/", {"invio": "abc"}).status_code == 404  # a tampered form: no 500
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post("/admin/messaggi-non-inviati/", {"invio": dispatch.pk}).status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.status == "sent" and len(mail.outbox) == 1


def test_the_broker_down_at_commit_loses_nothing(citizen):
    """The task is never queued (the commit hook ran while the broker was unreachable): the row waits, and the
    beat job hands it to a worker."""
    with transaction.atomic():
        message = _send(citizen)
    # no on_commit callback ran: nothing was handed to a worker
    assert _statuses(message) == {"io": "queued", "email": "queued"} and mail.outbox == []
    assert actions.dispatches_requeue(now=timezone.now() + timedelta(minutes=3)) == 2
    assert _statuses(message) == {"io": "sent", "email": "sent"} and len(mail.outbox) == 1


def test_a_worker_killed_mid_delivery_delivers_once(citizen):
    message = _send(citizen)
    email = message.dispatches.get(channel="email")
    Dispatch.objects.filter(pk=email.pk).update(status="sending", updated_at=timezone.now() - timedelta(minutes=30))
    assert actions.dispatch_deliver(dispatch_id=email.pk) == "skipped"  # a duplicated task while it is "sending"
    actions.dispatches_requeue(now=timezone.now() + timedelta(minutes=3))
    actions.dispatches_requeue(now=timezone.now() + timedelta(minutes=6))
    assert _statuses(message) == {"io": "sent", "email": "sent"} and len(mail.outbox) == 1


def test_an_invalid_mobile_number_falls_back(db, django_capture_on_commit_callbacks):
    user = get_user_model().objects.create_user("ugo", fiscal_code="RSSSRA90P70F205P", mobile_phone="12", mobile_verified=True,
                                                email="ugo@example.it", notify_channels=["sms"])
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(user)
    assert _statuses(message)["sms"] == "failed" and "numero non valido" in message.dispatches.get(channel="sms").error
    assert _statuses(message)["email"] == "sent" and sms.outbox == []


def test_sms_numbers_go_out_in_e164(citizen, django_capture_on_commit_callbacks):
    citizen.notify_channels = [*citizen.notify_channels, "sms"]
    citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        _send(citizen)
    assert sms.outbox == [("+393331112222", CONTEXT["body"])]


def test_an_opt_out_per_kind_and_channel_is_honoured(citizen, django_capture_on_commit_callbacks):
    OptOut.objects.create(user=citizen, kind=KIND, channel="email")
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(citizen)
    assert _statuses(message) == {"io": "sent"} and mail.outbox == []


def test_the_fallback_honours_opt_outs(db, django_capture_on_commit_callbacks):
    user = get_user_model().objects.create_user("sara", fiscal_code="RSSSRA90P70F205P", email="sara@example.it")
    OptOut.objects.create(user=user, kind=KIND, channel="email")
    with django_capture_on_commit_callbacks(execute=True):
        message = _send(user)  # not on App IO, and no e-mails of this kind: listed for the office
    assert _statuses(message) == {"io": "failed", "none": "unreachable"} and mail.outbox == []


def test_the_kinds_that_must_reach_ignore_opt_outs(citizen, django_capture_on_commit_callbacks):
    from services.istanze.messages import MUST_REACH

    assert MUST_REACH  # integration requests and outcomes are mandatory kinds
    OptOut.objects.create(user=citizen, kind="payments.receipt", channel="email")
    citizen.notify_channels = [c for c in citizen.notify_channels if c not in ("io", "email")]
    citizen.save()
    from services.notifications import kinds

    assert kinds.get("payments.receipt").mandatory
    message = Message(kind="payments.receipt", event="x", user=citizen, subject="s", body="b",
                      parts={"io": {"subject": "Ricevuta di prova", "markdown": "m" * 80}})
    assert actions._choose(message, kinds.get("payments.receipt"), channels.codes()) == ["io"]  # the first that can reach


def test_io_limits_are_checked_before_queueing(citizen):
    with pytest.raises(actions.MessageError):
        actions.message_send(kind=KIND, event="e", user=citizen, context={"subject": "x", "body": "breve"},
                             payment_data={"notice_number": "12", "amount": 100})
    assert not Message.objects.exists()
    with pytest.raises(ValueError):
        io.validate_content("Oggetto valido", "troppo corto")


def test_the_io_sandbox_shows_a_notice_with_paga(citizen, client):
    from services.notifications.io import submit

    submit("payments", fiscal_code=citizen.fiscal_code, subject="Avviso di pagamento di prova",
           markdown="Un avviso di pagamento per il trasporto scolastico, da pagare entro la scadenza indicata qui sotto.",
           payment_data={"amount": 11000, "notice_number": "301000000000000144", "invalid_after_due_date": False,
                         "payee": {"fiscal_code": "80012340420"}})
    page = client.get(f"/io-sandbox/?cf={citizen.fiscal_code}").content.decode()
    assert "Avviso di pagamento di prova" in page and "€ 110,00" in page
    assert "/pagopa-sandbox/psp/?nav=301000000000000144&amp;ente=80012340420" in page
    counter = client.get("/pagopa-sandbox/psp/?nav=301000000000000144&ente=80012340420").content.decode()
    assert 'value="301000000000000144"' in counter


def test_the_office_sees_families_no_channel_reaches_apart_from_those_reached_another_way(db, settings,
                                                                                          django_capture_on_commit_callbacks):
    """Issue 25 (5): "nessun canale raggiunge il destinatario" was left out of Messaggi non inviati, and a family
    not on App IO that got the e-mail looked the same as one nothing reached."""
    from services.notifications.io_sandbox import NOT_ON_IO

    User = get_user_model()
    off_io = next(iter(NOT_ON_IO))
    by_email = User.objects.create_user("ugo", fiscal_code=off_io, email="ugo@example.it", first_name="Ugo", last_name="Email")
    nobody = User.objects.create_user("ida", fiscal_code=None, first_name="Ida", last_name="Nessuno",
                                      notify_channels=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        _send(by_email, event="evento:ugo")
        _send(nobody, event="evento:ida")
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("capo", password="x"))
    page = admin.get("/admin/messaggi-non-inviati/").content.decode()
    unreached, _sep, reached = page.partition("Arrivati per un altro canale")
    assert "Ida Nessuno" in unreached and "contattala per telefono" in unreached
    assert "Ugo Email" not in unreached and "Ugo Email" in reached and "e-mail" in reached


def test_the_channels_read_as_italian_and_messaggi_is_a_list_to_open(citizen, client, django_capture_on_commit_callbacks):
    """Issue 25 (18): "App IO e e-mail"; every full body on one page."""
    from services.notifications.selectors import channels_summary

    sent = [Dispatch(channel="io", status="sent"), Dispatch(channel="email", status="sent")]
    assert channels_summary(sent) == "inviato via App IO ed e-mail"
    assert channels_summary([*sent, Dispatch(channel="sms", status="sent")]) == "inviato via App IO, e-mail e SMS"
    with django_capture_on_commit_callbacks(execute=True):
        _send(citizen)
    client.force_login(citizen)
    page = client.get("/area-personale/messaggi/").content.decode()
    assert page.count("<details>") == 1 and "<summary>" in page

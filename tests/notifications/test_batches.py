"""A worker's batch of dispatches: what its messages share is done once per channel (Channel.batch) — one connection
to the mail server, the App IO profiles read from the cache and written back together — and a failure in the middle
costs only its own message."""

from unittest import mock

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.locmem import EmailBackend

import pytest

from services.notifications import actions, channels, io_sandbox
from services.notifications.models import Dispatch

KIND = "notifications.broadcast"
CONTEXT = {"subject": "Scuola chiusa per neve", "body": "Domani le scuole restano chiuse per neve: la mensa non addebita i pasti."}
FISCAL_CODES = ["RSSLIA80A41H501Q", "BNCMRC75B12F205X", "VRDGNN82C03L219K"]


class CountingBackend(EmailBackend):
    """Django's test backend, counting the connections opened; `fail_first` sends fail like an SMTP server gone."""

    opened = 0
    fail_first = 0

    def open(self):
        if getattr(self, "connected", False):
            return False
        type(self).opened += 1
        self.connected = True
        return True

    def close(self):
        self.connected = False

    def send_messages(self, messages):
        if type(self).fail_first > 0:
            type(self).fail_first -= 1
            raise ConnectionResetError("connessione chiusa dal server")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _clean(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_batches.CountingBackend"
    CountingBackend.opened, CountingBackend.fail_first = 0, 0
    io_sandbox.reset()
    mail.outbox.clear()
    cache.delete_many([f"io-profile:default:{cf}" for cf in FISCAL_CODES])


@pytest.fixture
def families(db):
    return [get_user_model().objects.create_user(f"famiglia{n}", fiscal_code=cf, email=f"famiglia{n}@example.it")
            for n, cf in enumerate(FISCAL_CODES)]


def _queued(users, channel, event="evento:1"):
    ids = []
    for user in users:
        message = actions.message_send(kind=KIND, event=event, user=user, context=CONTEXT, channels=(channel,), queue=False)
        ids += message.queued_ids
    return ids


def test_a_batch_of_e_mails_opens_one_connection(families):
    outcomes = actions.dispatches_deliver(dispatch_ids=_queued(families, "email"))
    assert list(outcomes.values()) == ["sent"] * 3
    assert CountingBackend.opened == 1 and sorted(m.to[0] for m in mail.outbox) == [f"famiglia{n}@example.it" for n in range(3)]


def test_an_e_mail_that_fails_closes_the_connection_and_the_next_one_opens_it_again(families):
    CountingBackend.fail_first = 1
    ids = _queued(families, "email")
    outcomes = actions.dispatches_deliver(dispatch_ids=ids)
    assert [outcomes[pk] for pk in ids] == ["retry", "sent", "sent"]
    assert CountingBackend.opened == 2 and len(mail.outbox) == 2
    assert Dispatch.objects.get(pk=ids[0]).error == "server di posta: connessione chiusa dal server"


def test_a_dispatch_sent_alone_still_opens_and_closes_its_connection(families):
    actions.dispatch_deliver(dispatch_id=_queued(families[:1], "email")[0])
    actions.dispatch_deliver(dispatch_id=_queued(families[1:2], "email")[0])
    assert CountingBackend.opened == 2 and len(mail.outbox) == 2


def test_a_batch_reads_and_writes_the_io_profiles_in_one_round_trip_each(families):
    """IO asks for its profile check before every message (sender_allowed); the answers are kept per service in the
    cache, read for the whole batch at once and written back at once."""
    calls, inside = [], []
    real = {name: getattr(cache, name) for name in ("get", "set", "get_many", "set_many")}

    def counting(name):
        def call(keys, *args, **kwargs):
            # the sandbox answers in this process (its own state is not the channel's); a cache other than Redis
            # makes get_many of gets: only the outer call is the round trip
            if not inside and any(str(key).startswith("io-profile:") for key in ([keys] if isinstance(keys, str) else keys)):
                calls.append(name)
            inside.append(name)
            try:
                return real[name](keys, *args, **kwargs)
            finally:
                inside.pop()
        return call

    with mock.patch.multiple(channels.cache, **{name: counting(name) for name in real}):
        first = actions.dispatches_deliver(dispatch_ids=_queued(families, "io"))
        asked_then = len(io_sandbox.messages())
        again = actions.dispatches_deliver(dispatch_ids=_queued(families, "io", event="evento:2"))
    assert list(first.values()) == list(again.values()) == ["sent"] * 3
    assert calls == ["get_many", "set_many", "get_many"]  # the second batch found every profile: nothing to write
    assert asked_then == 3 and len(io_sandbox.messages()) == 6
    assert cache.get(f"io-profile:default:{FISCAL_CODES[0]}") == "allowed"


def test_a_profile_io_does_not_know_is_remembered_and_the_message_falls_back(db):
    """Sara Russo does not use the app (the sandbox answers 404): she is reached by e-mail, and the next batch does
    not ask IO again."""
    sara = get_user_model().objects.create_user("sara", fiscal_code="RSSSRA90P70F205P", email="sara@example.it",
                                                 notify_channels=["io", "email"])
    cache.delete("io-profile:default:RSSSRA90P70F205P")
    message = actions.message_send(kind=KIND, event="evento:1", user=sara, context=CONTEXT, channels=("io",), queue=False)
    assert actions.dispatches_deliver(dispatch_ids=message.queued_ids) == {message.queued_ids[0]: "unreachable"}
    assert cache.get("io-profile:default:RSSSRA90P70F205P") == "absent"


def test_two_messages_to_the_same_person_in_a_batch_ask_io_for_the_profile_once(families):
    ids = _queued(families[:1], "io") + _queued(families[:1], "io", event="evento:2")
    with mock.patch.object(channels.io, "profile", wraps=channels.io.profile) as asked:
        outcomes = actions.dispatches_deliver(dispatch_ids=ids)
    assert list(outcomes.values()) == ["sent", "sent"] and asked.call_count == 1


def test_an_unexpected_error_in_an_e_mail_closes_the_connection_and_spares_the_rest(families, monkeypatch):
    ids = _queued(families, "email")
    real = CountingBackend.send_messages
    calls = []

    def first_breaks(self, messages):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("a bug in one message")
        return real(self, messages)

    monkeypatch.setattr(CountingBackend, "send_messages", first_breaks)
    outcomes = actions.dispatches_deliver(dispatch_ids=ids)
    assert [outcomes[pk] for pk in ids] == ["failed", "sent", "sent"] and CountingBackend.opened == 2
    assert Dispatch.objects.get(pk=ids[0]).status == "dead"  # a bug goes to the dead letters, for Rinvia

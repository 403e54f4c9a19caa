"""Issue 28: the broker down when an application is submitted. The application is numbered with its history; its
receipt waits in the outbox (queued) and the sweep sends it once the broker is back — nothing raised at the citizen."""

import socket
from datetime import timedelta

from django.utils import timezone

import pytest

from config.celery import app as celery_app
from services.notifications.actions import dispatches_requeue
from services.notifications.models import Dispatch, Message
from tests.istanze.helpers import submitted


@pytest.fixture
def broker_down(settings, monkeypatch):
    """Tasks go to a broker nobody listens on (not in-process): what a web node sees while Redis is restarting."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = f"redis://127.0.0.1:{port}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", dead)  # Celery reads the variable before its own setting (CI sets it)
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, dead
    celery_app._pool = celery_app.amqp._producer_pool = None  # no connection kept from an earlier test's broker
    yield
    conf.task_always_eager, conf.broker_url = saved
    celery_app._pool = celery_app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_a_submission_with_the_broker_down_is_numbered_and_its_receipt_sent_later(citizen, broker_down, settings, monkeypatch):
    from services.core import tasks

    not_queued = []
    monkeypatch.setattr(tasks.queue_log, "warning", lambda *args, **kwargs: not_queued.append(kwargs["extra"]["task"]))
    citizen.email = "maria@example.it"
    citizen.save()
    istanza = submitted(citizen)  # commits: the receipt's task cannot be queued
    istanza.refresh_from_db()
    assert istanza.number and istanza.status == "inviata"
    assert [e.to_status for e in istanza.events.order_by("pk")] == ["bozza", "da_inviare", "inviata"]
    message = Message.objects.get(ref=f"istanza:{istanza.pk}")
    dispatches = message.dispatches.all()
    assert dispatches and {d.status for d in dispatches} == {Dispatch.Status.QUEUED}
    assert not_queued == ["services.notifications.tasks.deliver"] * len(dispatches)

    celery_app.conf.task_always_eager = True  # the broker is back
    settings.CELERY_TASK_ALWAYS_EAGER = True
    later = timezone.now() + timedelta(minutes=5)
    assert dispatches_requeue(now=later) == len(dispatches)
    assert {d.status for d in message.dispatches.all()} == {Dispatch.Status.SENT}
    assert dispatches_requeue(now=later) == 0  # sent once


@pytest.mark.django_db
def test_a_tasks_own_error_is_not_taken_for_the_broker(django_capture_on_commit_callbacks):
    from services.core.tasks import enqueue_after_commit

    class Boom:
        name = "prova"

        @staticmethod
        def delay(*args):
            raise ValueError("errore del task")

    with pytest.raises(ValueError, match="errore del task"), django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(Boom, 1, caught_by="nessuno")

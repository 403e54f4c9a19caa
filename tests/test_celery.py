"""A real Celery worker runs the project's tasks (Redis broker in CI, in-memory transport otherwise)."""

import os
import time
import uuid

from django.core.cache import cache

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from config.celery import app as project_app
from services.core.tasks import ping


@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker(settings):
    broker = os.environ.get("CELERY_BROKER_URL") or "memory://"
    # A fresh app with the project's configuration, so no connection pool of the in-process app is reused.
    worker_app = Celery("sportello-worker-test")
    worker_app.config_from_object("django.conf:settings", namespace="CELERY")
    worker_app.conf.update(broker_url=broker, task_always_eager=False)
    worker_app.autodiscover_tasks(force=True)
    word = uuid.uuid4().hex
    try:
        with start_worker(worker_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            worker_app.tasks[ping.name].delay(word)
            deadline = time.monotonic() + 20
            while cache.get(f"celery-ping:{word}") is None and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        project_app.set_current()
        project_app.set_default()
    assert cache.get(f"celery-ping:{word}") == f"pong:{word}"


def test_without_a_broker_tasks_run_in_process(settings):
    from django.conf import settings as django_settings

    assert django_settings.CELERY_TASK_ALWAYS_EAGER is True
    assert ping.delay("x").get() == "pong:x"

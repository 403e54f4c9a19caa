"""Celery application.

Without ``CELERY_BROKER_URL`` the settings make every task run in-process
(``task_always_eager``), so ``make run`` needs no broker; with it, tasks go to a
real worker and beat runs the schedules below (all in UTC).
"""

import os

from django.db import close_old_connections

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("sportello")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def close_old_database_connections(sender=None, task=None, **kwargs):
    """Around each task a worker runs, what Django does around each request: a connection that is broken (an error,
    PostgreSQL restarted), older than CONN_MAX_AGE or not back in autocommit is closed, the next query opens a new one,
    and a kept one is health-checked before its first use. Not for a task run in-process (eager: `make run`, tests),
    which runs inside the caller's request and transaction."""
    request = getattr(task, "request", None)
    if not getattr(request, "is_eager", False):
        close_old_connections()


signals.task_prerun.connect(close_old_database_connections, weak=False, dispatch_uid="sportello-db-prerun")
signals.task_postrun.connect(close_old_database_connections, weak=False, dispatch_uid="sportello-db-postrun")

"""A Celery worker keeps its database connection between tasks as a web node keeps it between requests (CONN_MAX_AGE,
health checks), where Celery's Django fix-up would close it after every task."""

import time
from types import SimpleNamespace
from unittest import mock

from django.db import connection

import pytest
from celery.fixups.django import DjangoWorkerFixup

from config.celery import app, close_old_database_connections


def _task(eager: bool):
    return SimpleNamespace(request=SimpleNamespace(is_eager=eager))


def test_celerys_fix_up_no_longer_closes_the_connection_after_each_task():
    fixup = DjangoWorkerFixup(app)
    with mock.patch.object(fixup, "_close_database") as close:
        for _ in range(100):
            fixup.close_database()
    assert close.call_count == 0


@pytest.mark.django_db(transaction=True)
def test_a_connection_is_kept_between_tasks_until_it_is_old(settings):
    connection.ensure_connection()
    connection.close_at = time.monotonic() + 60  # as CONN_MAX_AGE sets it
    with mock.patch.object(connection, "close", wraps=connection.close) as close:
        close_old_database_connections(task=_task(eager=False))
        assert close.call_count == 0  # a young connection serves the next task
        connection.close_at = time.monotonic() - 1
        close_old_database_connections(task=_task(eager=False))
        assert close.call_count == 1  # an old one is closed: the next query opens a new one
    connection.ensure_connection()
    assert connection.is_usable()


@pytest.mark.django_db(transaction=True)
def test_a_broken_connection_is_closed_after_the_task():
    connection.ensure_connection()
    connection.close_at = time.monotonic() + 60
    connection.errors_occurred = True  # a query failed: PostgreSQL restarted under the task
    with mock.patch.object(connection, "is_usable", return_value=False), mock.patch.object(connection, "close") as close:
        close_old_database_connections(task=_task(eager=False))
    assert close.call_count == 1
    connection.errors_occurred = False


@pytest.mark.django_db(transaction=True)
def test_a_task_run_in_process_leaves_the_callers_connection_alone():
    connection.ensure_connection()
    connection.close_at = time.monotonic() - 1
    with mock.patch.object(connection, "close") as close:
        close_old_database_connections(task=_task(eager=True))
    assert close.call_count == 0

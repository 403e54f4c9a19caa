"""What an operator watches (issue 27): the request id from nginx through the request, its tasks and its messages; logs
in JSON without personal data; security events on one logger; liveness, readiness with thresholds, and metrics, readable
only from allowed addresses or with the token."""

import json
import logging
from datetime import timedelta
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

import pytest
from pythonjsonlogger.json import JsonFormatter

from services.core import health, observability
from services.core.models import JobRun


def _record(message, *args, **extra):
    record = logging.LogRecord("sportello.test", logging.INFO, __file__, 1, message, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


@pytest.mark.parametrize("text, kept", [
    ("utente RSSMRA85C52H501N entrato", "[codice fiscale]"),
    ("scrive maria.rossi@example.it", "[e-mail]"),
    ("cellulare +39 333 1234567 verificato", "[telefono]"),
    ("cellulare 3331234567", "[telefono]"),
    ("rimborso su IT60X0542811101000000123456", "[IBAN]"),
])
def test_personal_data_never_reaches_a_log_line(text, kept):
    record = _record("%s", text)
    observability.PersonalDataFilter().filter(record)
    assert kept in record.getMessage() and not any(part in record.getMessage() for part in (
        "RSSMRA85C52H501N", "maria.rossi@example.it", "1234567", "IT60X0542811101000000123456"))


def test_names_and_addresses_in_a_lines_fields_are_removed_and_ordinary_numbers_kept():
    record = _record("pratica %s per %s", "OEPAC_2026.0000012", "Maria Rossi", first_name="Maria", last_name="Rossi",
                     email="maria@example.it", position_id=42, iuv="01000000000000012")
    observability.PersonalDataFilter().filter(record)
    assert record.first_name == record.last_name == record.email == "[dato personale]"
    assert record.position_id == 42 and record.iuv == "01000000000000012" and "OEPAC_2026.0000012" in record.getMessage()


def test_a_traceback_quoting_a_value_is_scrubbed_too():
    try:
        raise ValueError("duplicate key (fiscal_code)=(RSSMRA85C52H501N)")
    except ValueError:
        import sys

        record = logging.LogRecord("sportello.test", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    observability.PersonalDataFilter().filter(record)
    line = logging.Formatter().format(record)
    assert "RSSMRA85C52H501N" not in line and "[codice fiscale]" in line and "ValueError" in line


def test_a_json_line_carries_the_request_id():
    token = observability.request_id_var.set("abc12345-req")
    try:
        record = _record("pagamento %s", "ricevuto", event="payment.receipt")
        observability.RequestIdFilter().filter(record)
        observability.PersonalDataFilter().filter(record)
    finally:
        observability.request_id_var.reset(token)
    formatter = JsonFormatter("%(levelname)s %(name)s %(request_id)s %(message)s", rename_fields={"levelname": "level"})
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "abc12345-req" and line["message"] == "pagamento ricevuto" and line["event"] == "payment.receipt"


def test_the_request_id_comes_from_the_proxy_or_is_made_and_goes_back(client, db):
    given = client.get("/salute/vivo/", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
    made = client.get("/salute/vivo/", HTTP_X_REQUEST_ID="bad id with spaces")
    assert given["X-Request-ID"] == "nginx-0123456789abcdef"
    assert made["X-Request-ID"] != "bad id with spaces" and len(made["X-Request-ID"]) == 32


def test_the_request_id_goes_with_every_task_and_is_restored_while_it_runs():
    headers = {}
    token = observability.request_id_var.set("req-123456789")
    try:
        observability._add_request_id(headers=headers)
    finally:
        observability.request_id_var.reset(token)
    assert headers == {"request_id": "req-123456789"}
    task = SimpleNamespace(name="services.notifications.tasks.deliver",
                           request=SimpleNamespace(request_id=None, headers=headers, delivery_info={"routing_key": "messages"},
                                                   is_eager=False))
    observability._task_started(task_id="t1", task=task)
    assert observability.current_request_id() == "req-123456789"
    observability._task_finished(task_id="t1", task=task, state="SUCCESS")
    assert observability.current_request_id() == ""


def test_a_message_written_in_a_request_keeps_the_requests_id(db, django_capture_on_commit_callbacks):
    from services.notifications.models import Message

    user = get_user_model().objects.create_user("bea", password="password-lunga-123", email="bea@example.it")
    client = Client()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/area-personale/impostazioni/", {"email": "bea.nuova@example.it"}, HTTP_X_REQUEST_ID="req-impostazioni-01")
        client.post("/area-personale/impostazioni/verifica/email/", HTTP_X_REQUEST_ID="req-verifica-0001")
    assert not Message.objects.exclude(request_id__in=["", "req-verifica-0001", "req-impostazioni-01"]).exists()


def test_security_events_go_to_one_logger(client, caplog, db):
    caplog.set_level(logging.INFO, logger="sportello.security")
    client.post("/account/login/", {"login": "nessuno@example.it", "password": "sbagliata"})
    assert [r.event for r in caplog.records if r.name == "sportello.security"] == ["login.failed"]


@pytest.fixture
def elsewhere(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.HEALTH_TOKEN = "un-token-lungo-per-il-monitoraggio"
    return Client(REMOTE_ADDR="203.0.113.9")


def test_liveness_is_open_readiness_and_metrics_only_to_allowed_addresses_or_the_token(client, elsewhere, db):
    assert elsewhere.get("/salute/vivo/").json() == {"status": "ok"}
    assert elsewhere.get("/salute/pronto/").status_code == 403 and elsewhere.get("/metriche/").status_code == 403
    bearer = {"HTTP_AUTHORIZATION": "Bearer un-token-lungo-per-il-monitoraggio"}
    assert elsewhere.get("/salute/pronto/", **bearer).status_code in (200, 503)
    assert elsewhere.get("/salute/pronto/", HTTP_AUTHORIZATION="Bearer sbagliato").status_code == 403
    report = client.get("/salute/pronto/").json()
    names = {check["name"]: check["status"] for check in report["checks"]}
    assert {"database", "cache", "broker", "private_files", "workers", "beat", "outbox", "pagopa", "app_io", "reconciliation",
            "daily_charges"} <= set(names)
    assert names["database"] == names["cache"] == names["private_files"] == "ok"
    metrics = client.get("/metriche/").content.decode()
    assert "sportello_http_requests_total{" in metrics and "# TYPE sportello_outbox_dispatches gauge" in metrics
    assert "sportello_queue_depth" in metrics and "sportello_partner_calls_total" in metrics


def test_the_outbox_probe_warns_then_errs_as_the_oldest_message_ages(db):
    from services.notifications.health import oldest_undelivered
    from services.notifications.models import Dispatch, Message

    assert oldest_undelivered().status == health.OK
    message = Message.objects.create(kind="notifications.broadcast", event="e", address="a@example.it", subject="s", body="b")
    dispatch = Dispatch.objects.create(message=message, channel="email")
    for minutes, status in ((5, health.OK), (20, health.WARN), (90, health.ERROR)):
        Dispatch.objects.filter(pk=dispatch.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
        assert oldest_undelivered().status == status


def test_the_daily_charge_probe_knows_when_beat_should_have_run(db, settings):
    from datetime import UTC, datetime

    from services.meals import health as meals_health

    settings.CELERY_TASK_ALWAYS_EAGER = False
    wednesday_noon = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    assert meals_health.daily_charges(wednesday_noon).status == health.WARN  # never ran: a new deployment
    JobRun.objects.create(name=meals_health.TASK, succeeded_at=datetime(2027, 3, 9, 9, 31, tzinfo=UTC))
    assert meals_health.daily_charges(wednesday_noon).status == health.ERROR  # Wednesday's run is 2 h 30 late
    JobRun.objects.all().delete()
    JobRun.objects.create(name=meals_health.TASK, succeeded_at=datetime(2027, 3, 10, 9, 31, tzinfo=UTC))
    assert meals_health.daily_charges(wednesday_noon).status == health.OK
    monday_early = datetime(2027, 3, 15, 8, 0, tzinfo=UTC)  # Friday's run is the last expected: weekends skip
    JobRun.objects.filter(name=meals_health.TASK).update(succeeded_at=datetime(2027, 3, 12, 9, 31, tzinfo=UTC))
    assert meals_health.daily_charges(monday_early).status == health.OK
    assert meals_health.daily_charges(datetime(2027, 3, 15, 9, 50, tzinfo=UTC)).status == health.WARN


def test_workers_and_beat_are_seen_by_their_heartbeats(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.delete_many([health.QUEUE_HEARTBEAT % q for q in settings.CELERY_QUEUES_EXPECTED])
    cache.delete("health:beat")
    assert health.check_workers().status == health.ERROR and health.check_beat().status == health.ERROR
    import time

    cache.set_many({health.QUEUE_HEARTBEAT % q: {"at": time.time(), "host": "w1"} for q in ["messages", "payments", "batch"]})
    assert health.check_workers().status == health.ERROR and "default" in health.check_workers().detail
    cache.set(health.QUEUE_HEARTBEAT % "default", {"at": time.time(), "host": "w2"})
    cache.set("health:beat", {"at": time.time(), "owner": "x"}, None)
    assert health.check_workers().status == health.OK and health.check_beat().status == health.OK


def test_a_second_beat_refuses_to_start(monkeypatch):
    import os

    cache.set(health.BEAT_LOCK, "altra-macchina:1", 60)
    monkeypatch.setattr(os, "_exit", lambda code: (_ for _ in ()).throw(SystemExit(code)))
    with pytest.raises(SystemExit) as stopped:
        health._beat_ready(sender=object())
    assert stopped.value.code == 3


def test_administrators_see_the_same_checks_on_the_dashboard(superuser, client, demo):
    client.force_login(superuser)
    page = client.get("/admin/").content.decode()
    assert "Sistema:" in page and "private_files" in page


def test_a_lockout_after_too_many_failed_logins_is_a_security_event(client, caplog, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/15m/ip,2/15m/key"}
    caplog.set_level(logging.INFO, logger="sportello.security")
    for _ in range(3):
        client.post("/account/login/", {"login": "nessuno@example.it", "password": "sbagliata"})
    events = [r.event for r in caplog.records if r.name == "sportello.security"]
    assert events.count("login.failed") == 2 and events[-1] == "login.locked"

"""What an operator watches (issue 27): a request id carried from nginx through the request, the tasks it queues and
the outbox rows it writes; JSON log lines without personal data; Prometheus metrics.

- `ObservabilityMiddleware` (first in the chain, one middleware for what every request brings from the edge): puts the
  client's address as the trusted proxies report it in REMOTE_ADDR (services/core/http.py `client_ip`; the proxy's own
  stays in PROXY_ADDR), takes `X-Request-ID` from the proxy when it is well formed (or makes one), keeps it for the
  request's logs, answers with it, and records the request by view, method and status with its latency.
- `RequestIdFilter` puts the id on every log record; `PersonalDataFilter` removes codici fiscali, e-mail addresses,
  telephone numbers, IBANs and the values of name-bearing fields from messages, arguments and extras.
- Celery: the id goes with every task published during a request (a message header) and is restored while the task
  runs; each task's outcome is counted per queue.
- `event(name, **fields)`: one line of a documented chain (an application, a payment, a message) on the
  `sportello.events` logger; `security(name, **fields)`: a security event on `sportello.security`, the one logger
  an operator alerts on.

Metrics live in prometheus_client's registry; with PROMETHEUS_MULTIPROC_DIR set (the stack, production) every
process on the machine writes there and the metrics view adds them up."""

import contextvars
import logging
import os
import re
import time

from django.conf import settings

from prometheus_client import Counter, Histogram

from .http import client_ip

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

events_log = logging.getLogger("sportello.events")
security_log = logging.getLogger("sportello.security")

HTTP_REQUESTS = Counter("sportello_http_requests_total", "Requests answered, by view, method and status class.",
                        ["view", "method", "status"])
HTTP_LATENCY = Histogram("sportello_http_request_seconds", "Time to answer a request, by view.", ["view"],
                         buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
TASKS = Counter("sportello_tasks_total", "Celery tasks run, by queue, task and outcome.", ["queue", "task", "outcome"])
TASK_SECONDS = Histogram("sportello_task_seconds", "Time a task ran, by queue.", ["queue"],
                         buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600))
PARTNER_CALLS = Counter("sportello_partner_calls_total", "Calls to a partner (pagopa, io, …), by operation and outcome.",
                        ["partner", "operation", "outcome"])
PARTNER_SECONDS = Histogram("sportello_partner_call_seconds", "Latency of a partner's answer.", ["partner", "operation"],
                            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
EVENTS = Counter("sportello_events_total", "Domain events by name (istanza.submitted, payment.receipt, login.failed, …).",
                 ["event"])
SWEEPS = Counter("sportello_sweep_found_total", "What a sweep found left undone and took up again (messages queued or "
                 "half-sent, broadcasts not fanned out, notices not published, receipts not received), by sweep.", ["sweep"])
DEGRADED = Counter("sportello_degraded_total", "Operations that went on without a component (the cache down, a task not "
                   "queued), by logger.", ["logger"])


def current_request_id() -> str:
    return request_id_var.get()


class ObservabilityMiddleware:
    """Kept cheap, as every request pays it (bench/README.md, the middleware floor): the id is read from META, not
    through `request.headers` (which parses every header), and each view's metric children are looked up once per
    process — their label sets are bounded (views × four methods × five status classes)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._counters: dict[tuple[str, str, str], object] = {}
        self._latencies: dict[str, object] = {}

    def __call__(self, request):
        if settings.TRUSTED_PROXY_COUNT > 0:  # before anything reads it: every limit, allauth's back-off, the logs
            request.META["PROXY_ADDR"] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = client_ip(request)
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = given if REQUEST_ID.match(given) else os.urandom(16).hex()
        request_id_var.set(rid)  # cleared by request_finished, after Django has logged the response (connect_requests)
        request.request_id = rid
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or f"{match.func.__module__}.{getattr(match.func, '__name__', 'view')}") if match else "unmatched"
        key = (view, request.method if request.method in ("GET", "HEAD", "POST") else "other", f"{response.status_code // 100}xx")
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters[key] = HTTP_REQUESTS.labels(view=key[0], method=key[1], status=key[2])
        counter.inc()
        latency = self._latencies.get(view)
        if latency is None:
            latency = self._latencies[view] = HTTP_LATENCY.labels(view=view)
        latency.observe(elapsed)
        response["X-Request-ID"] = rid
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class OncePerMinute(logging.Filter):
    """For a logger that would repeat itself on every request while a component is down (the cache, the broker): every
    record is counted in sportello_degraded_total, one a minute per logger is written, with how many were held back."""

    def __init__(self):
        super().__init__()
        self.last: dict[str, float] = {}
        self.held: dict[str, int] = {}

    def filter(self, record):
        DEGRADED.labels(logger=record.name).inc()
        now = time.monotonic()
        last = self.last.get(record.name)
        if last is not None and now - last < 60:
            self.held[record.name] = self.held.get(record.name, 0) + 1
            return False
        held = self.held.pop(record.name, 0)
        if held:
            record.msg = f"{record.msg} (and {held} more in the last minute)"
        self.last[record.name] = now
        return True


# What a log line must never carry (DESIGN's privacy rules): the patterns, and the fields whose value is a person's.
FISCAL_CODE = re.compile(r"\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]\b", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
IBAN = re.compile(r"\b[A-Z]{2}[0-9]{2}(?:\s?[A-Z0-9]){11,30}\b")
PHONE = re.compile(r"(?<![\w/.-])(?:\+|00)?(?:39)?[\s.-]?3\d{2}[\s.-]?\d{6,7}(?![\w/-])|(?<![\w/.-])\+\d{1,3}[\s.-]?\d{6,12}(?![\w/-])")
# A LogRecord's own attributes: never personal, never rewritten (the logger's name is `name`).
RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "request_id"}
PERSONAL_FIELDS = frozenset({"first_name", "last_name", "name", "full_name", "email", "fiscal_code", "codice_fiscale",
                             "phone", "mobile_phone", "iban", "address", "username"})


def scrub(text: str) -> str:
    text = FISCAL_CODE.sub("[codice fiscale]", text)
    text = EMAIL.sub("[e-mail]", text)
    text = IBAN.sub("[IBAN]", text)
    return PHONE.sub("[telefono]", text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        extras = set(record.__dict__) - RECORD_FIELDS
        for key in extras:
            value = record.__dict__[key]
            if key in PERSONAL_FIELDS:
                setattr(record, key, "[dato personale]")
            elif isinstance(value, str):
                setattr(record, key, scrub(value))
        if record.exc_info and not record.exc_text:  # a traceback's messages may quote a value: format it here to scrub it
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


def event(name: str, **fields) -> None:
    """One step of a documented chain (docs in site/README.md), with the request id."""
    EVENTS.labels(event=name).inc()
    events_log.info(name, extra={"event": name, **fields})


def sweep_found(sweep: str, count: int) -> None:
    """A sweep's finding: counted by sweep (sportello_sweep_found_total) and logged as `sweep.found` when not zero."""
    if count:
        SWEEPS.labels(sweep=sweep).inc(count)
        event("sweep.found", sweep=sweep, count=count)


def security(name: str, **fields) -> None:
    """A security event: login failure, lockout, access refused, role change, health-document read."""
    EVENTS.labels(event=name).inc()
    security_log.warning(name, extra={"event": name, **fields})


def partner_call(partner: str, operation: str):
    """Context manager timing one call to a partner: `with partner_call("pagopa", "gpd_create") as call: …; call.ok()`.
    An exception counts as "error", a call not marked ok as "refused"."""
    return _PartnerCall(partner, operation)


class _PartnerCall:
    def __init__(self, partner, operation):
        self.partner, self.operation, self.outcome = partner, operation, "refused"

    def ok(self):
        self.outcome = "ok"

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, kind, error, trace):
        outcome = "error" if kind is not None else self.outcome
        PARTNER_CALLS.labels(partner=self.partner, operation=self.operation, outcome=outcome).inc()
        PARTNER_SECONDS.labels(partner=self.partner, operation=self.operation).observe(time.perf_counter() - self.started)
        return False


def connect_requests() -> None:
    from django.core.signals import request_finished

    request_finished.connect(lambda **kwargs: request_id_var.set(""), weak=False, dispatch_uid="sportello-request-id-clear")


# Celery: the request id travels with the task; outcomes are counted per queue ----------------------------------

def connect_celery() -> None:
    from celery import signals

    signals.before_task_publish.connect(_add_request_id, weak=False, dispatch_uid="sportello-request-id-publish")
    signals.task_prerun.connect(_task_started, weak=False, dispatch_uid="sportello-task-prerun")
    signals.task_postrun.connect(_task_finished, weak=False, dispatch_uid="sportello-task-postrun")


def _add_request_id(headers=None, **kwargs):
    rid = request_id_var.get()
    if rid and headers is not None and not headers.get("request_id"):
        headers["request_id"] = rid


_running: dict = {}


def _task_started(task_id=None, task=None, **kwargs):
    rid = (getattr(task.request, "request_id", None) or (task.request.headers or {}).get("request_id")) if task else None
    _running[task_id] = (request_id_var.set(rid or ""), time.perf_counter())
    if task is not None and task.name in _scheduled_names():
        job_started(task.name)


def _task_finished(task_id=None, task=None, state=None, **kwargs):
    token, started = _running.pop(task_id, (None, None))
    if task is not None and started is not None:
        info = getattr(task.request, "delivery_info", None) or {}
        queue = info.get("routing_key") or ("eager" if task.request.is_eager else "default")
        TASKS.labels(queue=queue, task=task.name.rsplit(".", 1)[-1], outcome=(state or "unknown").lower()).inc()
        TASK_SECONDS.labels(queue=queue).observe(time.perf_counter() - started)
        if task.name in _scheduled_names():
            job_finished(task.name, state or "unknown", time.perf_counter() - started)
    if token is not None:
        request_id_var.reset(token)


# Scheduled jobs: every beat task's last run is kept (core.JobRun), and timed ------------------------------------

def _scheduled_names() -> set:
    from django.conf import settings

    return {entry["task"] for entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values()}


def job_started(name: str) -> None:
    from django.utils import timezone

    from .models import JobRun

    JobRun.objects.update_or_create(name=name, defaults={"started_at": timezone.now(), "state": "running"})


def job_finished(name: str, state: str, seconds: float) -> None:
    from django.utils import timezone

    from .models import JobRun

    now = timezone.now()
    values = {"finished_at": now, "state": state.lower(), "seconds": round(seconds, 3)}
    if state.upper() == "SUCCESS":
        values["succeeded_at"] = now
    JobRun.objects.update_or_create(name=name, defaults=values)
    event("job.finished", job=name, state=state.lower(), seconds=round(seconds, 3))

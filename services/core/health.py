"""Is it healthy? (issue 27) Liveness answers from the process alone; readiness checks what a request needs (database,
cache, broker, private files), the partners within a time limit, and the apps' probes (the last daily charge run, the
oldest undelivered message, the oldest unreconciled payment), each ok / warn / error against its thresholds, as
GovPay's probes do; Celery workers and beat by their heartbeats.

Apps register their probes from AppConfig.ready():

    health.register("outbox", oldest_undelivered_probe)   # () -> Result

The core knows none of them."""

import atexit
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

OK, WARN, ERROR = "ok", "warn", "error"
LEVELS = {OK: 0, WARN: 1, ERROR: 2}
HEARTBEAT_EVERY = 30  # seconds between a worker's or beat's heartbeats
HEARTBEAT_STALE = 120  # a heartbeat older than this: the process is gone or stuck
QUEUE_HEARTBEAT = "health:queue:%s"  # one key per queue, written by every worker consuming it: no read-modify-write


@dataclass
class Result:
    name: str
    status: str
    detail: str = ""
    value: float | None = None  # seconds, or a count

    def as_dict(self):
        return asdict(self)


def age_result(name: str, age: timedelta | None, *, warn: timedelta, error: timedelta, what: str, none_ok: str) -> Result:
    """A probe on the age of something that should not get old (the oldest undelivered message…)."""
    if age is None:
        return Result(name, OK, none_ok, 0)
    status = ERROR if age >= error else WARN if age >= warn else OK
    return Result(name, status, f"{what}: {_human(age)}", round(age.total_seconds()))


def _human(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} giorni"


_probes: dict[str, Callable[[], Result]] = {}


def register(name: str, probe: Callable[[], Result]) -> None:
    _probes[name] = probe


# The core's own checks -------------------------------------------------------------------------------------------

def check_database() -> Result:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Result("database", OK, connection.vendor)


def check_cache() -> Result:
    key = "health:probe"
    cache.set(key, "1", 10)
    return Result("cache", OK if cache.get(key) == "1" else ERROR, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1])


def check_broker() -> Result:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return Result("broker", OK, "lavori in processo (nessun broker)")
    from celery import current_app as app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return Result("broker", OK, "broker raggiungibile")


def check_storage() -> Result:
    from django.core.files.base import ContentFile

    from .storage import private_storage

    name = private_storage.save(f"health/{socket.gethostname()}-{time.time_ns()}.txt", ContentFile(b"ok"))
    try:
        with private_storage.open(name) as handle:
            ok = handle.read() == b"ok"
    finally:
        private_storage.delete(name)
    return Result("private_files", OK if ok else ERROR, "scrittura e lettura dei file privati")


def check_workers() -> Result:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return Result("workers", OK, "lavori in processo (nessun worker)")
    now = time.time()
    expected = sorted(settings.CELERY_QUEUES_EXPECTED)
    beats = cache.get_many([QUEUE_HEARTBEAT % q for q in expected])
    alive_queues = {q: beats[QUEUE_HEARTBEAT % q] for q in expected
                    if QUEUE_HEARTBEAT % q in beats and now - beats[QUEUE_HEARTBEAT % q]["at"] < HEARTBEAT_STALE}
    alive = {info["host"] for info in alive_queues.values()}
    queues = sorted(alive_queues)
    missing = sorted(set(expected) - set(queues))
    if not alive:
        return Result("workers", ERROR, "nessun worker ha dato segni di vita negli ultimi 2 minuti", 0)
    if missing:
        return Result("workers", ERROR, f"nessun worker per le code: {', '.join(missing)}", len(queues))
    return Result("workers", OK, f"code servite: {', '.join(queues)}", len(queues))


def check_beat() -> Result:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return Result("beat", OK, "nessuno scheduler (lavori in processo)")
    seen = cache.get("health:beat")
    if not seen:
        return Result("beat", ERROR, "lo scheduler (beat) non ha dato segni di vita", None)
    age = time.time() - seen["at"]
    return Result("beat", OK if age < HEARTBEAT_STALE else ERROR, f"ultimo segno di vita {int(age)} s fa", round(age))


def http_probe(name: str, url: str, partner: str) -> Result:
    """A partner answers over HTTP within the time limit (any status: it is up); its local sandbox is always up."""
    import httpx

    try:
        response = httpx.head(url, timeout=settings.HEALTH_CHECK_TIMEOUT)
    except httpx.HTTPError as error:
        return Result(name, ERROR, f"{partner} non raggiungibile: {type(error).__name__}")
    return Result(name, OK, f"{partner} risponde ({response.status_code})")


CORE_CHECKS = [check_database, check_cache, check_broker, check_storage, check_workers, check_beat]


def _run_all(checks: list[tuple[str, Callable[[], Result]]], limit: float) -> list[Result]:
    """Every check in its own thread, all at once, within `limit` seconds: a hanging dependency is an error, not a
    hanging probe."""
    boxes = {name: [] for name, _check in checks}

    def run(name, check):
        try:
            boxes[name].append(check())
        except Exception as error:  # noqa: BLE001 - any failure of a dependency is the probe's answer
            boxes[name].append(Result(name, ERROR, f"{type(error).__name__}: {str(error)[:200]}"))
        finally:
            connection.close()  # the thread's own connection

    threads = [threading.Thread(target=run, args=(name, check), daemon=True) for name, check in checks]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + limit
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [boxes[name][0] if boxes[name] else Result(name, ERROR, f"nessuna risposta entro {limit:g} s") for name, _check in checks]


def readiness(limit: float | None = None) -> dict:
    limit = limit or settings.HEALTH_CHECK_TIMEOUT
    checks = [(check.__name__.removeprefix("check_"), check) for check in CORE_CHECKS] + sorted(_probes.items())
    results = _run_all(checks, limit)
    worst = max((LEVELS[r.status] for r in results), default=0)
    return {"status": next(k for k, v in LEVELS.items() if v == worst), "checked_at": timezone.now().isoformat(),
            "checks": [r.as_dict() for r in results]}


# Heartbeats: workers and beat write theirs to the cache (Redis in production); beat also holds a lock, so that a
# second beat started by mistake refuses to run ------------------------------------------------------------------

BEAT_LOCK = "health:beat-lock"


def connect_celery() -> None:
    from celery import signals

    signals.worker_ready.connect(_worker_ready, weak=False, dispatch_uid="sportello-worker-heartbeat")
    signals.beat_init.connect(_beat_ready, weak=False, dispatch_uid="sportello-beat-heartbeat")


def _every(seconds: float, work: Callable[[], None]) -> None:
    def loop():
        while True:
            try:
                work()
            except Exception:  # noqa: BLE001 - a missed heartbeat shows in the readiness probe, and here
                logging.getLogger(__name__).warning("heartbeat not written", exc_info=True)
            time.sleep(seconds)

    threading.Thread(target=loop, daemon=True, name="sportello-heartbeat").start()


def _worker_ready(sender=None, **kwargs):
    consumer = getattr(sender, "consumer", None) or getattr(sender, "controller", None)
    hostname = getattr(sender, "hostname", socket.gethostname())
    try:
        queues = sorted(q.name for q in sender.app.amqp.queues.consume_from.values()) if sender else []
    except Exception:  # noqa: BLE001
        queues = []
    del consumer

    def beat():  # several workers starting together must not overwrite each other's heartbeat: a key per queue
        cache.set_many({QUEUE_HEARTBEAT % q: {"at": time.time(), "host": hostname} for q in queues}, 24 * 3600)

    _every(HEARTBEAT_EVERY, beat)


def _beat_ready(sender=None, **kwargs):
    import os

    owner = f"{socket.gethostname()}:{id(sender)}"
    for attempt in range(5):  # a busy Redis may miss one call: the lock is worth a few seconds' patience
        added = cache.add(BEAT_LOCK, owner, HEARTBEAT_STALE)
        if added is not None:
            break
        time.sleep(1 + attempt)
    if added is None:  # the cache is down (a miss, not an answer): without the lock two beats could run; systemd retries
        logging.getLogger("sportello.security").error("beat cannot take its lock, the cache is unreachable: exiting")
        os._exit(4)
    if not added and cache.get(BEAT_LOCK) != owner:
        logging.getLogger("sportello.security").error("a second beat refused to start: one already runs (%s)", cache.get(BEAT_LOCK))
        os._exit(3)

    def beat():
        cache.set(BEAT_LOCK, owner, HEARTBEAT_STALE)
        cache.set("health:beat", {"at": time.time(), "owner": owner}, None)

    def release():  # a beat stopped cleanly (SIGTERM: systemctl stop, a deploy) lets the next one start at once
        if cache.get(BEAT_LOCK) == owner:
            cache.delete(BEAT_LOCK)

    atexit.register(release)
    _every(HEARTBEAT_EVERY, beat)

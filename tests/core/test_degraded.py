"""Issue 28: with Redis down the site degrades instead of failing — anonymous pages render from the database, people
stay signed in (sessions in the database), and while it is away each cache call costs nothing (the breaker)."""

import socket
import threading

from django.core.cache import caches
from django.test import override_settings

import pytest
import redis
from redis.connection import Connection

from services.core import cache as breaker
from tests.factories import UserFactory


def redis_cache(url: str, timeout: float = 0.3) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache", "LOCATION": url,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": timeout, "SOCKET_TIMEOUT": timeout,
                        "CONNECTION_POOL_KWARGS": {"connection_class": breaker.BreakerConnection}},
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "degraded-local"},
    }


@pytest.fixture
def redis_down(settings):
    """The cache is a Redis that refuses connections (a port nobody listens on)."""
    with socket.socket() as probe:  # a free port, closed again: connecting to it is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    breaker.reset()
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{port}/0"),
                           SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        yield
    breaker.reset()


@pytest.fixture
def redis_hung():
    """A Redis that accepts the connection and never answers (a frozen server, a dropped route)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    breaker.reset()
    with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{server.getsockname()[1]}/0")):
        yield accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()
    breaker.reset()


@pytest.mark.django_db
def test_an_anonymous_page_renders_with_redis_down(demo, client, redis_down):
    response = client.get("/servizi/educazione-e-formazione/iscrizione-refezione-scolastica/")
    assert response.status_code == 200 and b"Iscrizione" in response.content
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_signed_in_person_keeps_the_session_with_redis_down(client, redis_down):
    user = UserFactory()
    client.force_login(user)  # the session is written to the database; the cache's copy is skipped
    response = client.get("/area-personale/")
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert client.get("/area-personale/impostazioni/").status_code == 200


@pytest.mark.django_db
def test_a_cache_that_hangs_is_asked_once_then_skipped_while_the_breaker_is_open(redis_hung, monkeypatch):
    attempts = []
    real_connect = Connection.connect

    def counting_connect(self):
        if self._sock is None:
            attempts.append(1)
        return real_connect(self)

    monkeypatch.setattr(Connection, "connect", counting_connect)
    cache = caches["default"]
    assert cache.get("una-chiave", "assente") == "assente"  # waits SOCKET_TIMEOUT once, then trips the breaker
    assert breaker.is_open()
    for n in range(20):
        assert cache.get(f"chiave-{n}") is None
        cache.set(f"chiave-{n}", n)
    assert len(attempts) == 1, "while the breaker is open no call reaches the network"
    breaker.reset()
    assert cache.get("una-chiave") is None  # closed again: one more attempt, which fails and trips it again
    assert len(attempts) == 2 and breaker.is_open()


def test_the_breaker_refuses_at_once_and_closes_after_its_time(monkeypatch):
    breaker.reset()
    clock = [1000.0]
    monkeypatch.setattr(breaker.time, "monotonic", lambda: clock[0])
    breaker.trip()
    with pytest.raises(redis.ConnectionError, match="breaker open"):
        breaker.BreakerConnection(host="127.0.0.1", port=1).connect()
    clock[0] += breaker.BREAK_SECONDS + 0.1
    assert not breaker.is_open()


def test_the_cache_logger_writes_once_a_minute_and_counts_every_failure(monkeypatch):
    import logging

    from services.core.observability import DEGRADED, OncePerMinute

    clock = [500.0]
    monkeypatch.setattr("services.core.observability.time.monotonic", lambda: clock[0])
    gate = OncePerMinute()
    before = DEGRADED.labels(logger="sportello.cache")._value.get()
    record = lambda: logging.LogRecord("sportello.cache", logging.WARNING, "", 0, "Exception ignored", None, None)  # noqa: E731
    written = [gate.filter(record()) for _ in range(5)]
    clock[0] += 61
    last = record()
    written.append(gate.filter(last))
    assert written == [True, False, False, False, False, True]
    assert "4 more in the last minute" in last.msg
    other = logging.LogRecord("sportello.queue", logging.WARNING, "", 0, "task not queued", None, None)
    assert gate.filter(other)  # each logger has its own minute: the broker's first line is not held by the cache's
    assert DEGRADED.labels(logger="sportello.cache")._value.get() - before == 6

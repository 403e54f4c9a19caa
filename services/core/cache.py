"""The cache's connection to Redis with a breaker (issue 28). django-redis already turns a failed call into a miss
(DJANGO_REDIS_IGNORE_EXCEPTIONS); this makes the miss cost nothing while Redis is away: after a failure — refused,
reset, or no answer within SOCKET_TIMEOUT — every connection of the process fails at once for BREAK_SECONDS, then one
call tries again. Without it a Redis that hangs would cost each request SOCKET_TIMEOUT for every cache call it makes."""

import threading
import time

import redis
from redis.connection import Connection

BREAK_SECONDS = 5.0
_lock = threading.Lock()
_open_until = 0.0


def is_open() -> bool:
    return time.monotonic() < _open_until


def trip() -> None:
    global _open_until
    with _lock:
        _open_until = time.monotonic() + BREAK_SECONDS


def reset() -> None:
    global _open_until
    with _lock:
        _open_until = 0.0


class BreakerConnection(Connection):
    def connect(self):
        if self._sock is None and is_open():
            raise redis.ConnectionError("Redis is unreachable (breaker open)")
        try:
            return super().connect()
        except (redis.ConnectionError, redis.TimeoutError):
            trip()
            raise

    def send_packed_command(self, command, check_health=True):
        try:
            return super().send_packed_command(command, check_health)
        except (redis.ConnectionError, redis.TimeoutError):
            trip()
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError):
            trip()
            raise

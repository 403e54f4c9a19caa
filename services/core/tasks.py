import logging

from django.core.cache import cache
from django.db import transaction

from celery import shared_task
from kombu.exceptions import OperationalError

queue_log = logging.getLogger("sportello.queue")


@shared_task
def ping(word: str) -> str:
    """Health check for workers: leaves `pong:<word>` in the cache for an hour and returns it."""
    answer = f"pong:{word}"
    cache.set(f"celery-ping:{word}", answer, timeout=3600)
    return answer


def enqueue_after_commit(task, *args, caught_by: str) -> None:
    """Queue `task(*args)` once the transaction commits. With the broker down the request that asked for it still
    succeeds: the row it works on is already saved, and the sweep named by `caught_by` queues it again later (the list is
    in site/README.md). Logged at most once a minute and counted (sportello_degraded_total). A task's own error, run
    in-process without a broker, is not caught: only the broker's."""

    def send():
        try:
            task.delay(*args)
        except (OperationalError, OSError):
            queue_log.warning("task not queued, the broker is unreachable: %s will queue it again", caught_by,
                              extra={"task": task.name}, exc_info=True)

    transaction.on_commit(send)

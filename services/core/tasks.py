from django.core.cache import cache

from celery import shared_task


@shared_task
def ping(word: str) -> str:
    """Health check for workers: leaves `pong:<word>` in the cache for an hour and returns it."""
    answer = f"pong:{word}"
    cache.set(f"celery-ping:{word}", answer, timeout=3600)
    return answer

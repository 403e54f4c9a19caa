from celery import shared_task

from .actions import drafts_purge_expired


@shared_task
def purge_expired_drafts():
    """Nightly: warn owners of drafts about to expire and delete the expired ones."""
    return drafts_purge_expired()

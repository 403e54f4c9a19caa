from celery import shared_task

from . import actions


@shared_task
def close_resolved():
    """Daily: resolved requests not reopened within the period are closed."""
    return actions.requests_close()


@shared_task
def minimise_closed():
    """Daily: the retention of closed requests, and drafts never confirmed."""
    return actions.requests_minimise()

"""Nightly jobs of the applications engine. Its messages go through the message layer (messages.py)."""

from celery import shared_task

from . import actions
from .actions import drafts_purge_expired, istanze_minimise_expired


@shared_task
def purge_expired_drafts():
    """Nightly: warn owners of drafts about to expire and delete the expired ones."""
    return drafts_purge_expired()


@shared_task
def minimise_expired_istanze():
    """Nightly: closed applications past their retention period keep only number, state, dates and history."""
    return istanze_minimise_expired()


@shared_task
def remind_waiting() -> int:
    """Beat, each morning: applications waiting on the citizen for days get one reminder."""
    return actions.waiting_remind()


@shared_task
def close_unpaid() -> int:
    """Nightly: applications whose fee was not paid in time are closed and their notices withdrawn."""
    from . import fees

    return fees.unpaid_close()

"""Reads of the outbox: the citizen's Messaggi, and the delivery status staff see."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from services.accounts import area

from . import channels, kinds
from .models import Dispatch, Message


def channels_summary(dispatches) -> str:
    """"inviato via App IO ed e-mail", as the citizen reads it (only what actually went out)."""
    done = {d.channel for d in dispatches if d.status in (Dispatch.Status.SENT, Dispatch.Status.DELIVERED)}
    went = [str(c.label) for c in channels.ordered() if c.code in done]
    if not went:
        return ""
    last = went[-1]
    conjunction = " ed " if last[:1].lower() in "aeiou" else " e "  # "App IO ed e-mail"
    names = last if len(went) == 1 else ", ".join(went[:-1]) + conjunction + last
    return _("inviato via %(channels)s") % {"channels": names}


def messages_of(user, limit: int) -> list[area.Message]:
    rows = (Message.objects.filter(user=user, in_area=True)
            .prefetch_related(Prefetch("dispatches", queryset=Dispatch.objects.only("message_id", "channel", "status")))
            .order_by("-created_at", "-id")[:limit])
    return [area.Message(m.created_at, str(_kind_label(m.kind)), m.subject, m.body, m.url, channels=channels_summary(m.dispatches.all()))
            for m in rows]


def _kind_label(code: str) -> str:
    try:
        return kinds.get(code).label
    except KeyError:
        return code


def dispatches_for_events(events: list[str]) -> dict[str, list[Dispatch]]:
    """{event: [dispatch, …]} for the staff's history of an application (one query)."""
    found = defaultdict(list)
    for dispatch in Dispatch.objects.filter(message__event__in=events).select_related("message").order_by("message__address", "channel"):
        found[dispatch.message.event].append(dispatch)
    return found

"""Reads of notifications for the personal area."""

from services.accounts import area

from .models import Delivery


def messages_of(user, limit: int) -> list[area.Message]:
    """The broadcasts that reached the user, once each whatever the channels."""
    found, seen = [], set()
    for delivery in Delivery.objects.filter(user=user).select_related("broadcast").order_by("-created_at")[:limit]:
        if delivery.broadcast_id in seen:
            continue
        seen.add(delivery.broadcast_id)
        found.append(area.Message(delivery.created_at, "comunicazione", delivery.broadcast.subject, delivery.broadcast.body))
    return found

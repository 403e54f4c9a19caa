"""Reads of payments for the personal area."""

from django.urls import reverse
from django.utils.translation import gettext as _

from services.accounts import area

from .models import PaymentPosition


def documents_of(user, limit: int) -> list[area.Document]:
    """The receipt of every settled position of the user."""
    settled = PaymentPosition.objects.filter(owner=user, settled_at__isnull=False).order_by("-settled_at")[:limit]
    return [area.Document(position.paid_at or position.settled_at, _("Ricevuta di pagamento"), position.description,
                          reverse("payments:receipt", args=[position.public_id]))
            for position in settled]

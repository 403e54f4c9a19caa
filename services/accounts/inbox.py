"""The personal area's Messaggi and Documenti: what the Comune sent to this person, and the papers they can
download, gathered from the modules that own them. Only the user's own rows; newest first."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

LIMIT = 100


@dataclass
class Message:
    at: datetime
    kind: str  # pratica, comunicazione, conto
    title: str
    text: str
    url: str = ""


def messages_for(user) -> list[Message]:
    from services.istanze.models import IstanzaEvent
    from services.istanze.states import Actor
    from services.meals.models import BalanceReminder
    from services.notifications.models import Delivery

    found = []
    events = (IstanzaEvent.objects.filter(istanza__owner=user, actor_kind=Actor.OFFICE).select_related("istanza")
              .order_by("-created_at")[:LIMIT])
    for event in events:
        found.append(Message(event.created_at, "pratica",
                             _("Pratica %(n)s: %(s)s") % {"n": event.istanza.number or "—", "s": event.get_to_status_display()},
                             event.note, reverse("istanze:detail", args=[event.istanza.public_id])))
    seen = set()
    for delivery in Delivery.objects.filter(user=user).select_related("broadcast").order_by("-created_at")[:LIMIT]:
        if delivery.broadcast_id in seen:
            continue
        seen.add(delivery.broadcast_id)
        found.append(Message(delivery.created_at, "comunicazione", delivery.broadcast.subject, delivery.broadcast.body))
    for reminder in BalanceReminder.objects.filter(wallet__holder=user).order_by("-created_at")[:LIMIT]:
        if reminder.channel != "email" and any(m.kind == "conto" and m.at.date() == reminder.created_at.date() for m in found):
            continue  # the same reminder by e-mail and SMS: once
        amount = f"{reminder.balance:.2f}".replace(".", ",")
        found.append(Message(reminder.created_at, "conto", _("Saldo del conto mensa da ricaricare"),
                             _("Il saldo era di € %(a)s.") % {"a": amount}, reverse("meals:topup")))
    found.sort(key=lambda m: m.at, reverse=True)
    return found[:LIMIT]


@dataclass
class Document:
    at: datetime | None
    title: str
    detail: str
    url: str


def documents_for(user) -> list[Document]:
    from django.utils import timezone

    from services.istanze.models import Attachment, Istanza
    from services.istanze.states import Status
    from services.meals.models import LedgerEntry

    docs = []
    for istanza in Istanza.objects.filter(owner=user, number__isnull=False).exclude(status__in=[Status.BOZZA, Status.DA_INVIARE]).order_by("-submitted_at")[:LIMIT]:
        docs.append(Document(istanza.submitted_at, _("Ricevuta della pratica %(n)s") % {"n": istanza.number}, istanza.procedure.title,
                             reverse("istanze:receipt", args=[istanza.public_id])))
    for act in Attachment.objects.filter(istanza__owner=user, kind=Attachment.Kind.OFFICE).select_related("istanza").order_by("-created_at")[:LIMIT]:
        docs.append(Document(act.created_at, act.label, _("Atto della pratica %(n)s") % {"n": act.istanza.number},
                             reverse("istanze:attachment", args=[act.public_id])))
    from services.payments.models import PaymentPosition

    for position in PaymentPosition.objects.filter(owner=user, settled_at__isnull=False).order_by("-settled_at")[:LIMIT]:
        docs.append(Document(position.paid_at or position.settled_at, _("Ricevuta di pagamento"), position.description,
                             reverse("payments:receipt", args=[position.public_id])))
    years = sorted({d.year for d in LedgerEntry.objects.filter(wallet__holder=user, kind=LedgerEntry.Kind.MEAL).dates("business_date", "year")},
                   reverse=True)
    for year in years:
        detail = _("Per la dichiarazione dei redditi") if year < timezone.localdate().year else _("Anno in corso, fino a oggi")
        docs.append(Document(None, _("Attestazione delle spese per la mensa %(y)s") % {"y": year}, detail,
                             reverse("meals:statement", args=[year])))
    dated = sorted((d for d in docs if d.at), key=lambda d: d.at, reverse=True)
    return dated + [d for d in docs if not d.at]

"""The personal area's frame: its tabs, the cards of the desk (Scrivania), the inbox (Messaggi) and the papers
(Documenti). `accounts` owns the frame and knows none of the modules: each domain app registers what it
contributes from its `AppConfig.ready()`, as procedures, payment purposes and broadcast audiences do.

    area.register_tab("pagamenti", label=_("Pagamenti"), url_name="payments:tab", order=20)
    area.register_desk_card("pratiche", template="istanze/_desk_card.html", context=desk_context, order=10)
    area.register_messages(messages_of)    # (user, limit) -> [area.Message]
    area.register_documents(documents_of)  # (user, limit) -> [area.Document]

Every source reads the user's own rows only.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.shortcuts import render

LIMIT = 100


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str
    order: int = 50


@dataclass(frozen=True)
class DeskCard:
    key: str
    template: str  # rendered with the context's values; an optional `alert_template` goes above the cards
    context: Callable  # (user) -> dict, or None to hide the card
    order: int = 50
    alert_template: str = ""


@dataclass
class Message:
    at: datetime
    kind: str  # pratica, comunicazione, conto, …
    title: str
    text: str
    url: str = ""
    channels: str = ""  # how it reached the person besides this page: "inviato via App IO e e-mail"


@dataclass
class Document:
    at: datetime | None
    title: str
    detail: str
    url: str


_tabs: dict[str, Tab] = {}
_cards: dict[str, DeskCard] = {}
_message_sources: list[Callable] = []
_document_sources: list[Callable] = []


def register_tab(key: str, *, label, url_name: str, order: int = 50) -> Tab:
    tab = Tab(key=key, label=label, url_name=url_name, order=order)
    _tabs[key] = tab
    return tab


def register_desk_card(key: str, *, template: str, context: Callable, order: int = 50, alert_template: str = "") -> DeskCard:
    card = DeskCard(key=key, template=template, context=context, order=order, alert_template=alert_template)
    _cards[key] = card
    return card


def register_messages(source: Callable) -> None:
    if source not in _message_sources:
        _message_sources.append(source)


def register_documents(source: Callable) -> None:
    if source not in _document_sources:
        _document_sources.append(source)


def tabs() -> list[tuple[str, str, str]]:
    """(key, label, url name) in order, as the tab bar shows them."""
    return [(t.key, t.label, t.url_name) for t in sorted(_tabs.values(), key=lambda t: (t.order, t.key))]


def desk(user) -> list[dict]:
    """The cards to show, each {"card": DeskCard, **its context}."""
    shown = []
    for card in sorted(_cards.values(), key=lambda c: (c.order, c.key)):
        context = card.context(user)
        if context is not None:
            shown.append({"card": card, **context})
    return shown


def messages_for(user) -> list[Message]:
    """What the Comune sent to this person, newest first."""
    found = [message for source in _message_sources for message in source(user, LIMIT)]
    found.sort(key=lambda m: m.at, reverse=True)
    return found[:LIMIT]


def documents_for(user) -> list[Document]:
    """The papers they can download: dated ones newest first, then the undated (yearly statements)."""
    docs = [document for source in _document_sources for document in source(user, LIMIT)]
    dated = sorted((d for d in docs if d.at), key=lambda d: d.at, reverse=True)
    return dated + [d for d in docs if not d.at]


def context(tab: str, extra: dict | None = None) -> dict:
    return {"tabs": tabs(), "active_tab": tab, **(extra or {})}


def render_area(request, tab: str, template: str, extra: dict | None = None, status: int = 200):
    """A page of the personal area, with its tab bar and `tab` marked current."""
    return render(request, template, context(tab, extra), status=status)

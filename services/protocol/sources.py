"""What is registered, and when: a domain registers its stateful model with the states whose arrival is a document
(`register_source`, from its AppConfig.ready()), and how to build the document. The protocol app listens to the
workflow kernel's after-commit signal and knows no domain."""

from collections.abc import Callable
from dataclasses import dataclass

from .port import Document


@dataclass(frozen=True)
class Source:
    model: type
    events: dict  # to_state -> (direction "in"/"out", kind: a short code such as "istanza", "esito")
    document: Callable  # (obj, kind) -> Document


_sources: dict[str, Source] = {}


def register_source(model, *, events: dict, document: Callable[..., Document]) -> None:
    _sources[model._meta.label_lower] = Source(model, events, document)


def source_for(label: str) -> Source | None:
    return _sources.get(label)

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
    scopes: Callable | None = None  # () -> [(scope, label)]: the profiles an office may configure (a procedure each)
    scope_of: Callable | None = None  # obj -> its scope (the procedure's code, "urp")
    opt_in: bool = False  # registered only where the ente turned it on (an active profile for the scope)


_sources: dict[str, Source] = {}


def register_source(model, *, events: dict, document: Callable[..., Document], scopes: Callable | None = None,
                    scope_of: Callable | None = None, opt_in: bool = False) -> None:
    _sources[model._meta.label_lower] = Source(model, events, document, scopes, scope_of, opt_in)


def scope_choices() -> list[tuple[str, str]]:
    """What a protocol profile may apply to: the ente's defaults, or one of what the sources offer."""
    from django.utils.translation import gettext

    found = [("", gettext("Impostazioni dell'ente (valgono per tutto)"))]
    for source in _sources.values():
        found += list(source.scopes() if source.scopes else [])
    return found


def source_for(label: str) -> Source | None:
    return _sources.get(label)

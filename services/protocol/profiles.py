"""A document completed with where it goes: the ente's protocol profile, and the one of its scope (a procedure, a
desk) over it, field by field."""

from dataclasses import replace

from services.core import ente

from .models import Profile
from .port import Document

FIELDS = ("ipa", "aoo", "register", "classification", "file_reference", "office")


def resolved(scope: str) -> dict:
    rows = {row.scope: row for row in Profile.objects.filter(scope__in={"", scope})}
    values = {}
    for name in FIELDS:
        own = getattr(rows.get(scope), name, "") if scope else ""
        values[name] = own or getattr(rows.get(""), name, "")
    return values


def completed(document: Document) -> Document:
    """The profiles' values win where set (the office as the protocol system's organigram names it); the source's
    own (the desk office handling the case) fill the rest."""
    values = resolved(document.profile)
    values["ipa"] = values["ipa"] or ente.ipa_code()
    return replace(document, administration=document.administration or ente.current().name,
                   **{name: values[name] or getattr(document, name) for name in FIELDS})

"""Built procedures in the engine's registry and the catalogue's online modules, from their published versions.

A version never changes, so its Procedure (forms included) is built once per process and kept; which version is
current, and whether the procedure is still published, is read from the database on each lookup without a version
(a new draft), so every process sees a publication at once."""

import dataclasses

from django.db import DatabaseError
from django.db.models.signals import post_save
from django.utils.translation import gettext as _

from services.catalogue import modules
from services.istanze import registry
from services.istanze.access import Refusal

from .models import TEST_SUFFIX, ProcedureVersion
from .procedure import build

_built: dict[tuple, registry.Procedure] = {}


def _procedure(row: ProcedureVersion, live: bool) -> registry.Procedure:
    """The row's Procedure, built the first time (rows come without their definition, which is read only then)."""
    key = (row.code, row.number)
    if key not in _built:
        _built[key] = build(row)
    procedure = _built[key]
    if live:
        return procedure
    if (*key, "withdrawn") not in _built:
        _built[(*key, "withdrawn")] = dataclasses.replace(procedure, eligibility=_withdrawn)
    return _built[(*key, "withdrawn")]


def _withdrawn(user):
    return Refusal("eligibility", _("Questa procedura non è più disponibile: il Comune l'ha ritirata."))


def lookup(code: str, version: int | None) -> registry.Procedure | None:
    if version is not None and (code, version) in _built:
        return _built[(code, version)]  # a version is immutable; `live` matters only to new drafts
    rows = ProcedureVersion.objects.filter(code=code).select_related("procedure").only(
        "pk", "code", "number", "test", "procedure__live")
    row = rows.filter(number=version).first() if version is not None else rows.order_by("-number").first()
    if row is None:
        return None
    return _procedure(row, row.procedure.live or row.test or version is not None)


def listing() -> list[registry.Procedure]:
    """The current version of every published procedure."""
    try:
        rows = list(ProcedureVersion.objects.filter(procedure__live=True, test=False).order_by("code", "-number")
                    .only("pk", "code", "number", "test"))
    except DatabaseError:  # before the first migration (system checks evaluate the editors' choices)
        return []
    current = {}
    for row in rows:
        current.setdefault(row.code, row)
    return [_procedure(row, True) for row in current.values()]


def module_lookup(key: str):
    procedure = lookup(key, None) if key and key.isupper() and not key.endswith(TEST_SUFFIX) else None
    return registry.module_of(procedure) if procedure else None


def module_listing():
    return [registry.module_of(p) for p in listing()]


def forget(sender=None, instance=None, **kwargs):
    """A version saved (in tests, one rolled back and made again) replaces whatever was kept under its number."""
    for key in [k for k in _built if k[:2] == (instance.code, instance.number)]:
        _built.pop(key)


def connect():
    registry.add_source(lookup, listing)
    modules.add_source(module_lookup, module_listing)
    post_save.connect(forget, sender=ProcedureVersion, dispatch_uid="builder-forget-version")

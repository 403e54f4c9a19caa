import json
from pathlib import Path

import pytest

from services.builder import actions

DATA = Path(__file__).resolve().parents[2] / "services" / "builder" / "data"


def document(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text())


def publish(procedure, user=None):
    revision = procedure.save_revision(user=user)
    revision.publish(user=user)
    procedure.refresh_from_db()
    return procedure


@pytest.fixture
def built(db):
    """Import one of the shipped documents (a code already there from the demo is replaced) and publish it."""
    from services.builder.models import BuiltProcedure, ProcedureVersion
    from services.istanze.models import Istanza
    from tests.istanze.helpers import office

    def make(name: str, change=None):
        doc = document(name)
        if change:
            change(doc)
        Istanza.objects.filter(procedure_code=doc["codice"]).delete()
        ProcedureVersion.objects.filter(code=doc["codice"]).delete()
        BuiltProcedure.objects.filter(code=doc["codice"]).delete()
        return publish(actions.procedure_import(document=doc, office=office("ufficio-scuola")))
    return make

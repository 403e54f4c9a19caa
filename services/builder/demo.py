"""Demo: the two procedures built in the admin, imported from the shipped documents (data/) as a Comune would import
a shared one, given to the Ufficio Scuola and published — the site's service pages offer them."""

import json
from pathlib import Path

from services.accounts.models import Office

from . import actions
from .models import BuiltProcedure

DOCUMENTS = ("centro-estivo", "rimborso-mensa")
DATA = Path(__file__).parent / "data"


def load(context) -> int:
    created = 0
    office = Office.objects.filter(slug="ufficio-scuola").first()
    for name in DOCUMENTS:
        document = json.loads((DATA / f"{name}.json").read_text())
        if BuiltProcedure.objects.filter(code=document["codice"]).exists():
            continue
        procedure = actions.procedure_import(document=document, office=office)
        procedure.save_revision().publish()
        created += 1
    return created

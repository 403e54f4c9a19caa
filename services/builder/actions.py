"""Writes of the builder: a publication freezes the definition as a new version; an import creates a draft."""

import re
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from . import blocks, checker
from .conditions import comparable
from .models import CODE_RE, TEST_SUFFIX, BuiltProcedure, ProcedureVersion


class DefinitionError(ValueError):
    """The problems of a definition that cannot run (an imported document, a draft to try), in Italian, for the editor."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@transaction.atomic
def version_publish(*, procedure: BuiltProcedure, by=None) -> ProcedureVersion | None:
    """Called when a revision is published: a new immutable version, unless the definition is the current one's
    (publishing again what was already published makes no new version). The row of the procedure is locked so two
    publications at once get two numbers, never the same."""
    BuiltProcedure.objects.select_for_update().filter(pk=procedure.pk).first()
    definition = procedure.definition()
    latest = ProcedureVersion.objects.filter(code=procedure.code).order_by("-number").first()
    if latest is not None and latest.definition == definition:
        return None
    number = (ProcedureVersion.objects.filter(code=procedure.code).aggregate(n=Max("number"))["n"] or 0) + 1
    return ProcedureVersion.objects.create(procedure=procedure, code=procedure.code, number=number,
                                           definition=definition, published_by=by)


@transaction.atomic
def version_for_test(*, procedure: BuiltProcedure, by=None) -> ProcedureVersion:
    """The latest draft (saved, not necessarily published) frozen as a test version under CODE-PROVA, for an editor to
    try as a citizen; the same definition tried again reuses its version. Raises DefinitionError with the checker's
    problems when the draft cannot run."""
    draft = procedure.get_latest_revision_as_object() if procedure.latest_revision_id else procedure
    definition = draft.definition()
    problems = checker.check({"passi": definition["passi"]})
    if problems:
        raise DefinitionError(problems)
    code = f"{procedure.code}{TEST_SUFFIX}"
    BuiltProcedure.objects.select_for_update().filter(pk=procedure.pk).first()
    latest = ProcedureVersion.objects.filter(code=code).order_by("-number").first()
    if latest is not None and latest.definition == definition:
        return latest
    return ProcedureVersion.objects.create(procedure=procedure, code=code, number=(latest.number + 1) if latest else 1,
                                           definition=definition, published_by=by, test=True)


def export_document(version: ProcedureVersion) -> dict:
    """A published version as the shared JSON document (docs/builder/procedura.schema.json): without the office."""
    return {"$schema": SCHEMA_ID, "formato": FORMAT, **{k: v for k, v in version.definition.items() if k != "ufficio"}}


SCHEMA_ID = "https://sportello.example/schemi/procedura-costruita-1.json"
FORMAT = "sportello-procedura/1"
SETTINGS = {"codice", "titolo", "categoria", "descrizione", "accesso", "livello_spid", "credenziali_portale",
            "giorni_conclusione", "conservazione_anni", "informativa", "nota_ricevuta", "pagamento", "ufficio_da", "passi",
            "$schema", "formato", "ufficio"}


def import_problems(document) -> list[str]:
    """Everything wrong with a document another Comune shared, before anything is saved."""
    if not isinstance(document, dict):
        return ["Il file non contiene una procedura."]
    problems = []
    if document.get("formato") != FORMAT:
        problems.append(f"Il file non è nel formato {FORMAT}.")
    unknown = set(document) - SETTINGS
    if unknown:
        problems.append(f"Voci sconosciute: {', '.join(sorted(unknown))}.")
    if not isinstance(document.get("codice"), str) or not re.match(CODE_RE, document["codice"]):
        problems.append("Il codice della procedura deve avere lettere maiuscole, cifre e _ (da 3 a 30 caratteri).")
    for key in ("titolo", "informativa"):
        if not isinstance(document.get(key), str) or not document[key].strip():
            problems.append(f"Manca «{key}».")
    for key, longest in (("titolo", 150), ("categoria", 80), ("descrizione", 5000), ("informativa", 20000),
                         ("nota_ricevuta", 5000)):
        value = document.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"«{key}» è un testo.")
        elif value and len(value) > longest:
            problems.append(f"«{key}» è troppo lungo (al massimo {longest} caratteri).")
    if not isinstance(document.get("credenziali_portale", False), bool):
        problems.append("«credenziali_portale» è true o false.")
    methods = document.get("accesso", ["spid", "cie"])
    if not isinstance(methods, list) or set(methods) - {"spid", "cie", "cns"}:
        problems.append("«accesso» è un elenco tra spid, cie e cns.")
    for key, low, high in (("livello_spid", 2, 3), ("giorni_conclusione", 1, 365), ("conservazione_anni", 1, 99)):
        value = document.get(key, low)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems.append(f"«{key}» è un numero da {low} a {high}.")
    fee = document.get("pagamento")
    if fee is not None and not (isinstance(fee, dict) and (set(fee) == {"importo"} or set(fee) == {"campo"})):
        problems.append("«pagamento» indica un importo oppure un campo.")
    elif isinstance(fee, dict) and "importo" in fee and _amount(fee["importo"]) is None:
        problems.append("«pagamento»: l'importo non è un numero di euro valido (almeno 0,01).")
    problems += checker.check({"passi": document.get("passi")})
    if isinstance(fee, dict) and "campo" in fee and not problems:
        problems += checker.check_fee({"passi": document["passi"]}, fee["campo"])
    routed = document.get("ufficio_da") or ""
    if not isinstance(routed, str):
        problems.append("«ufficio_da» è il codice di un campo.")
    elif routed and not problems:
        problems += checker.check_office_field({"passi": document["passi"]}, routed)
    return problems


def _amount(value) -> Decimal | None:
    """An amount of the document (written as JSON numbers are, with a dot), at least one cent, cents at most."""
    amount = comparable(value)
    ok = isinstance(amount, Decimal) and amount >= Decimal("0.01") and amount == amount.quantize(Decimal("0.01"))
    return amount if ok else None


@transaction.atomic
def procedure_import(*, document: dict, office=None) -> BuiltProcedure:
    """A shared document as a new draft procedure (not published: the editor reviews it, chooses the office and
    publishes it through the usual workflow). A code already used here is refused."""
    problems = import_problems(document)
    if not problems and BuiltProcedure.objects.filter(code=document["codice"]).exists():
        problems = [f"Esiste già una procedura con il codice {document['codice']}: cambialo nel file o cancella quella."]
    if problems:
        raise DefinitionError(problems)
    fee = document.get("pagamento") or {}
    procedure = BuiltProcedure(
        code=document["codice"], title=document["titolo"], category=document.get("categoria") or "Altro",
        description=document.get("descrizione") or "", login_methods=document.get("accesso") or ["spid", "cie"],
        spid_level=document.get("livello_spid", 2), allow_local_accounts=bool(document.get("credenziali_portale")),
        office=office, office_field=document.get("ufficio_da") or "", completion_working_days=document.get("giorni_conclusione", 30),
        retention_years=document.get("conservazione_anni", 5), privacy_text=document["informativa"],
        receipt_note=document.get("nota_ricevuta") or "",
        fee_amount=_amount(fee["importo"]) if "importo" in fee else None, fee_field=fee.get("campo", ""),
        steps=blocks.to_stream({"passi": document["passi"]}), live=False)
    procedure.save()
    procedure.save_revision()
    return procedure

"""The builder inside Wagtail's admin: a procedure's steps as a StreamField of steps, each a stream of typed fields.

The blocks' raw data maps one to one onto the definition the checker reads (checker.py): `to_definition()` turns the
stream into it, `to_stream()` turns an imported definition back into the stream, so an exported procedure imports as
it was built."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from . import checker

OPERATOR_CHOICES = [("uguale", _("è uguale a")), ("tra", _("è uno tra")), ("oltre", _("è oltre"))]
PATTERN_CHOICES = [("cap", _("CAP (5 cifre)")), ("solo_cifre", _("solo cifre")), ("targa", _("targa (AA123BB)")),
                   ("protocollo", _("numero di protocollo (123/2026)"))]
LIST_CHOICES = [("scuole", _("scuole del Comune")), ("comuni", _("Comuni")), ("province", _("province"))]
FILE_CHOICES = [("pdf", "PDF"), ("jpeg", "JPEG"), ("png", "PNG")]
LOOK_CHOICES = [("radio", _("pulsanti di scelta")), ("select", _("menu a tendina"))]


class ConditionBlock(blocks.StructBlock):
    campo = blocks.CharBlock(label=_("se il campo (codice)"), required=False, max_length=40)
    operatore = blocks.ChoiceBlock(label=_("operatore"), choices=OPERATOR_CHOICES, required=False)
    valore = blocks.CharBlock(label=_("valore"), required=False, max_length=200,
                              help_text=_("Per «è uno tra» separa i valori con «;». Per un sì/no scrivi sì o no; "
                                          "per una data AAAA-MM-GG."))

    class Meta:
        label = _("Mostra solo se")
        form_classname = "builder-condition"


class OptionBlock(blocks.StructBlock):
    valore = blocks.CharBlock(label=_("valore"), max_length=60, help_text=_("Breve, senza spazi: resta nei dati."))
    etichetta = blocks.CharBlock(label=_("etichetta"), max_length=200)
    importo = blocks.DecimalBlock(label=_("importo (€)"), required=False, min_value=0, max_digits=9, decimal_places=2,
                                  help_text=_("Solo se la quota da pagare dipende da questa scelta."))


def _common():
    return [
        ("codice", blocks.CharBlock(label=_("codice"), max_length=40,
                                    help_text=_("Lettere minuscole, cifre e _; non cambia tra le versioni."))),
        ("etichetta", blocks.CharBlock(label=_("etichetta"), max_length=300)),
        ("aiuto", blocks.CharBlock(label=_("testo di aiuto"), required=False, max_length=500)),
        ("obbligatorio", blocks.BooleanBlock(label=_("obbligatorio"), required=False, default=True)),
        ("condizione", ConditionBlock(required=False)),
    ]


def _field_block(label, extra=(), common=True):
    children = (_common() if common else []) + list(extra)
    return blocks.StructBlock(children, label=label, icon="form")


def _bounds(block_class, **kwargs):
    return [("min", block_class(label=_("minimo"), required=False, **kwargs)),
            ("max", block_class(label=_("massimo"), required=False, **kwargs))]


def _length():
    return [("lunghezza_min", blocks.IntegerBlock(label=_("lunghezza minima"), required=False, min_value=0)),
            ("lunghezza_max", blocks.IntegerBlock(label=_("lunghezza massima"), required=False, min_value=1))]


def field_blocks(*, with_group: bool = True) -> list:
    kinds = [
        ("testo", _field_block(_("Testo breve"), _length() + [
            ("formato", blocks.ChoiceBlock(label=_("formato"), choices=PATTERN_CHOICES, required=False))])),
        ("testo_lungo", _field_block(_("Testo lungo"), _length())),
        ("numero", _field_block(_("Numero"), _bounds(blocks.DecimalBlock))),
        ("importo", _field_block(_("Importo in euro"), _bounds(blocks.DecimalBlock, decimal_places=2))),
        ("data", _field_block(_("Data"), _bounds(blocks.DateBlock))),
        ("scelta", _field_block(_("Scelta tra opzioni"), [
            ("opzioni", blocks.ListBlock(OptionBlock(), label=_("opzioni"), required=False)),
            ("elenco", blocks.ChoiceBlock(label=_("oppure le opzioni da un elenco"), choices=LIST_CHOICES, required=False)),
            ("aspetto", blocks.ChoiceBlock(label=_("aspetto"), choices=LOOK_CHOICES, required=False))])),
        ("scelte_multiple", _field_block(_("Più scelte (caselle)"), [
            ("opzioni", blocks.ListBlock(OptionBlock(), label=_("opzioni"), required=False)),
            ("elenco", blocks.ChoiceBlock(label=_("oppure le opzioni da un elenco"), choices=LIST_CHOICES, required=False))])),
        ("si_no", _field_block(_("Sì / no"))),
        ("email", _field_block(_("E-mail"))),
        ("telefono", _field_block(_("Telefono"))),
        ("codice_fiscale", _field_block(_("Codice fiscale"))),
        ("iban", _field_block(_("IBAN"))),
        ("indirizzo", _field_block(_("Indirizzo"))),
        ("file", _field_block(_("File da allegare"), [
            ("tipi_file", blocks.MultipleChoiceBlock(label=_("tipi ammessi"), choices=FILE_CHOICES, required=False)),
            ("numero_file", blocks.IntegerBlock(label=_("quanti file al massimo"), required=False, min_value=1,
                                                max_value=checker.MAX_FILES))])),
        ("dichiarazione", _field_block(_("Dichiarazione da spuntare"))),
        ("guida", _field_block(_("Testo di guida"), [
            ("codice", blocks.CharBlock(label=_("codice"), max_length=40)),
            ("testo", blocks.TextBlock(label=_("testo")))], common=False)),
    ]
    if with_group:
        kinds.append(("gruppo", _field_block(_("Gruppo ripetibile (es. «aggiungi un figlio»)"), [
            ("etichetta_elemento", blocks.CharBlock(label=_("nome di un elemento"), required=False, max_length=60,
                                                    help_text=_("Es. «Figlio»: i campi si ripetono per ciascuno."))),
            ("min_elementi", blocks.IntegerBlock(label=_("elementi minimi"), required=False, min_value=0)),
            ("max_elementi", blocks.IntegerBlock(label=_("elementi massimi"), required=False, min_value=1,
                                                 max_value=checker.MAX_GROUP_ITEMS)),
            ("anagrafe", blocks.BooleanBlock(
                label=_("proponi i figli minorenni dallo stato di famiglia (ANPR)"), required=False,
                help_text=_("Il gruppo parte con i figli che l'Anagrafe nazionale certifica: il campo codice fiscale, "
                            "i campi con codice «nome» e «cognome» e il primo campo data (la nascita) sono compilati."))),
            ("campi", blocks.StreamBlock(field_blocks(with_group=False), label=_("campi di ogni elemento")))])))
    return kinds


class StepBlock(blocks.StructBlock):
    codice = blocks.CharBlock(label=_("codice del passo"), max_length=40)
    titolo = blocks.CharBlock(label=_("titolo"), max_length=120)
    condizione = ConditionBlock(required=False)
    campi = blocks.StreamBlock(field_blocks(), label=_("campi"))

    class Meta:
        label = _("Passo")
        icon = "list-ol"


class StepsBlock(blocks.StreamBlock):
    passo = StepBlock()


# stream <-> definition -------------------------------------------------------------------------------------------

def to_definition(raw: list) -> dict:
    """The stream's raw data (StreamValue.raw_data or get_prep_value) as the checker's definition."""
    steps = []
    for item in raw or []:
        value = dict(item.get("value") or {})
        step = {"codice": value.get("codice", ""), "titolo": value.get("titolo", "")}
        condition = _condition(value.get("condizione"))
        if condition:
            step["condizione"] = condition
        step["campi"] = [_field(f) for f in value.get("campi") or []]
        steps.append(step)
    definition = {"passi": steps}
    _typed_conditions(definition)
    return definition


def _field(item: dict) -> dict:
    kind, value = item.get("type"), dict(item.get("value") or {})
    field = {"tipo": kind}
    for key, entry in value.items():
        if key == "condizione":
            condition = _condition(entry)
            if condition:
                field["condizione"] = condition
        elif key == "opzioni":
            options = [_option(o) for o in entry or []]
            if options:
                field["opzioni"] = options
        elif key == "campi":
            field["campi"] = [_field(f) for f in entry or []]
        elif key == "obbligatorio":
            field["obbligatorio"] = bool(entry)
        elif entry not in (None, "", []):
            field[key] = _plain(entry)
    return field


def _option(entry) -> dict:
    entry = dict(entry.get("value", entry)) if isinstance(entry, dict) else {}
    option = {"valore": str(entry.get("valore", "")), "etichetta": str(entry.get("etichetta", ""))}
    if entry.get("importo") not in (None, ""):
        option["importo"] = str(entry["importo"])
    return option


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _condition(entry) -> dict | None:
    entry = dict(entry or {})
    if not entry.get("campo"):
        return None
    operator, value = entry.get("operatore") or "uguale", str(entry.get("valore") or "").strip()
    return {"campo": entry["campo"], "operatore": operator,
            "valore": [v.strip() for v in value.split(";") if v.strip()] if operator == "tra" else value}


YES = {"sì", "si", "true", "vero", "1"}
NO = {"no", "false", "falso", "0"}


def _typed_conditions(definition: dict) -> None:
    """A condition on a yes/no or a declaration compares with true or false: the editor types «sì» or «no»."""
    kinds = {}

    def visit(fields):
        for field in fields:
            if "condizione" in field:
                _typed(field["condizione"], kinds)
            kinds[field.get("codice")] = field.get("tipo")
            visit(field.get("campi") or [])

    for step in definition["passi"]:
        if "condizione" in step:
            _typed(step["condizione"], kinds)
        visit(step["campi"])


def _typed(condition: dict, kinds: dict) -> None:
    if kinds.get(condition["campo"]) in ("si_no", "dichiarazione"):
        def boolean(v):
            text = str(v).strip().lower()
            return True if text in YES else False if text in NO else v
        value = condition["valore"]
        condition["valore"] = [boolean(v) for v in value] if isinstance(value, list) else boolean(value)


def to_stream(definition: dict) -> list:
    """An imported definition (already checked) as the stream's raw data."""
    return [{"type": "passo", "value": {
        "codice": step["codice"], "titolo": step["titolo"],
        "condizione": _condition_raw(step.get("condizione")),
        "campi": [_field_raw(f) for f in step["campi"]]}} for step in definition["passi"]]


def _field_raw(field: dict) -> dict:
    value = {k: v for k, v in field.items() if k != "tipo"}
    if field["tipo"] != "guida":
        value["condizione"] = _condition_raw(field.get("condizione"))
        value.setdefault("obbligatorio", True)
    if "opzioni" in value:
        value["opzioni"] = [{"valore": str(o["valore"]) if isinstance(o, dict) else str(o),
                             "etichetta": str(o.get("etichetta", o["valore"])) if isinstance(o, dict) else str(o),
                             "importo": o.get("importo") if isinstance(o, dict) else None} for o in value["opzioni"]]
    if "campi" in value:
        value["campi"] = [_field_raw(f) for f in value["campi"]]
    return {"type": field["tipo"], "value": value}


def _condition_raw(condition) -> dict:
    if not condition:
        return {"campo": "", "operatore": "", "valore": ""}
    value = condition.get("valore")
    if isinstance(value, list):
        value = "; ".join(_word(v) for v in value)
    return {"campo": condition["campo"], "operatore": condition["operatore"], "valore": _word(value)}


def _word(value) -> str:
    return "sì" if value is True else "no" if value is False else str(value)

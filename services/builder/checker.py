"""The checker a built procedure's definition passes before it is published or imported: every problem an editor must
fix, in Italian, each naming the step and the field. A definition is a JSON document:

    {"passi": [{"codice": "bambini", "titolo": "…", "condizione": {…}?,
                "campi": [{"codice": "nome", "tipo": "testo", "etichetta": "…", "obbligatorio": true,
                           "condizione": {…}?, …}]}]}

Field types and their options are FIELD_TYPES below; conditions are conditions.Condition. Refused: duplicate codes, a
condition on a field that comes later (or on the same one, or inside a repeatable group, or with no answer), a value a
choice cannot take, and steps or fields no answer can ever show."""

import re
from datetime import date
from decimal import Decimal

from services.core import option_lists

from .conditions import Condition, ConditionError, comparable

CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# type -> the keys it accepts besides codice, tipo, etichetta, aiuto, obbligatorio, condizione
FIELD_TYPES = {
    "testo": {"lunghezza_min", "lunghezza_max", "formato"},
    "testo_lungo": {"lunghezza_min", "lunghezza_max"},
    "numero": {"min", "max"},
    "importo": {"min", "max"},
    "data": {"min", "max"},
    "scelta": {"opzioni", "elenco", "aspetto"},
    "scelte_multiple": {"opzioni", "elenco"},
    "si_no": set(),
    "email": set(),
    "telefono": set(),
    "codice_fiscale": set(),
    "iban": set(),
    "indirizzo": set(),
    "file": {"tipi_file", "numero_file"},
    "gruppo": {"campi", "min_elementi", "max_elementi", "etichetta_elemento", "anagrafe"},
    "dichiarazione": set(),
    "guida": {"testo"},
}
COMMON = {"codice", "tipo", "etichetta", "aiuto", "obbligatorio", "condizione"}
NO_ANSWER = {"guida"}  # text for guidance: nothing to answer, nothing a condition can read
ORDERED = {"numero", "importo", "data"}  # what "oltre" can compare
CHOICES = {"scelta", "scelte_multiple"}
# The short list of patterns an editor may ask of a short text (never a regular expression typed in the admin).
PATTERNS = {"cap": r"^[0-9]{5}$", "solo_cifre": r"^[0-9]+$", "targa": r"^[A-Z]{2}[0-9]{3}[A-Z]{2}$",
            "protocollo": r"^[0-9]{1,7}/[0-9]{4}$"}
LISTS = {"scuole", "comuni", "province"}  # registries a choice may take its options from
FILE_TYPES = {"pdf", "jpeg", "png"}
MAX_FILES, MAX_GROUP_ITEMS = 10, 20
RESERVED_STEPS = {"dichiarazioni"}  # the privacy and truthfulness step every built procedure ends with


def check(definition) -> list[str]:
    problems: list[str] = []
    if not isinstance(definition, dict) or not isinstance(definition.get("passi"), list) or not definition["passi"]:
        return ["La procedura deve avere almeno un passo."]
    seen: dict[str, dict] = {}  # field code -> the field, in the order a citizen meets them
    step_codes: set[str] = set()
    for n, step in enumerate(definition["passi"], 1):
        where = f"Passo {n}"
        if not isinstance(step, dict):
            problems.append(f"{where}: non è un passo.")
            continue
        code = step.get("codice")
        if not isinstance(code, str) or not CODE.match(code):
            problems.append(f"{where}: il codice deve iniziare con una lettera minuscola e avere solo lettere minuscole, cifre e _.")
        elif code in step_codes or code in RESERVED_STEPS:
            problems.append(f"{where}: il codice «{code}» è già di un altro passo.")
        else:
            step_codes.add(code)
            where = f"Passo «{code}»"
        if not str(step.get("titolo") or "").strip():
            problems.append(f"{where}: manca il titolo.")
        if "condizione" in step:
            problems += _condition(step["condizione"], seen, where)
        fields = step.get("campi")
        if not isinstance(fields, list) or not any(isinstance(f, dict) and f.get("tipo") not in NO_ANSWER for f in fields):
            problems.append(f"{where}: nessun campo da compilare, il passo non serve.")
            continue
        problems += _fields(fields, seen, where)
        answered = [f for f in fields if isinstance(f, dict) and f.get("tipo") not in NO_ANSWER]
        if any(f.get("tipo") == "gruppo" for f in answered) and len(answered) > 1:
            problems.append(f"{where}: un gruppo ripetibile occupa un passo da solo (con eventuali testi di guida).")
    return problems or _contradictions(definition)


def _contradictions(definition) -> list[str]:
    """Steps and fields that no answers can show because the conditions they depend on, directly or through the field
    they read, ask one answer to be two things at once (a field shown only when A is x, read by a step shown only
    when A is y). Only single answers are compared: a multiple choice may include x and y together."""
    problems, guards, kinds = [], {}, {}  # guards: field code -> {field: the values it must have for it to show}

    def need(condition, outer: dict, here: str) -> dict | None:
        if not condition:
            return outer
        parsed = Condition.parse(condition)
        merged = {k: set(v) for k, v in outer.items()}
        for field, values in guards.get(parsed.field, {}).items():
            merged[field] = merged.get(field, values) & values
        if parsed.operator != "oltre" and kinds.get(parsed.field) != "scelte_multiple":
            values = {str(v).lower() for v in parsed.values()}
            merged[parsed.field] = merged.get(parsed.field, values) & values
        empty = [field for field, values in merged.items() if not values]
        if empty:
            problems.append(f"{here}: non si mostrerebbe mai, perché le condizioni da cui dipende chiedono a «{empty[0]}» "
                            "due risposte diverse insieme.")
            return None
        return merged

    def visit(fields, outer, where):
        for field in fields:
            here = f"{where}, campo «{field['codice']}»"
            guard = need(field.get("condizione"), outer, here)
            guards[field["codice"]], kinds[field["codice"]] = guard or {}, field.get("tipo")
            if field.get("tipo") == "gruppo" and guard is not None:
                visit(field.get("campi") or [], guard, here)

    for step in definition["passi"]:
        where = f"Passo «{step['codice']}»"
        guard = need(step.get("condizione"), {}, where)
        if guard is not None:
            visit(step["campi"], guard, where)
    return problems


def check_fee(definition, field_code: str) -> list[str]:
    """A fee taken from an answer: the field is a choice whose every option has an amount (the chosen options' amounts
    add up, and in a repeatable group they add up over the items)."""
    if not field_code:
        return []
    for step in definition.get("passi") or []:
        for field in _all_fields(step.get("campi") or []):
            if field.get("codice") != field_code:
                continue
            if field.get("tipo") not in CHOICES or field.get("elenco"):
                return [f"Pagamento: «{field_code}» deve essere una scelta tra opzioni scritte qui, con un importo per ciascuna."]
            missing = [str(o.get("valore")) for o in field.get("opzioni") or [] if not isinstance(o, dict) or o.get("importo") in (None, "")]
            if missing:
                return [f"Pagamento: le opzioni {', '.join(missing)} di «{field_code}» non hanno un importo."]
            return []
    return [f"Pagamento: nessun campo ha il codice «{field_code}»."]


def check_office_field(definition, field_code: str) -> list[str]:
    """The office taken from an answer: a single choice, outside a repeatable group, from a list that knows each value's
    office (the schools registry knows each school's Municipio)."""
    if not field_code:
        return []
    for step in definition.get("passi") or []:
        for field in step.get("campi") or []:
            if isinstance(field, dict) and field.get("codice") == field_code:
                if field.get("tipo") != "scelta" or not option_lists.routes(field.get("elenco") or ""):
                    return [f"Ufficio: «{field_code}» deve essere una scelta da un elenco che conosce l'ufficio competente (scuole)."]
                if field.get("condizione") or step.get("condizione"):
                    return [f"Ufficio: «{field_code}» deve essere sempre chiesto, senza condizioni."]
                return []
    return [f"Ufficio: nessun campo fuori dai gruppi ha il codice «{field_code}»."]


def _all_fields(fields):
    for field in fields:
        if isinstance(field, dict):
            yield field
            yield from _all_fields(field.get("campi") or [])


def _fields(fields, seen, where, *, in_group=False) -> list[str]:
    problems = []
    local: set[str] = set()  # inside a group: the item's own earlier fields, which its conditions may read
    for field in fields:
        if not isinstance(field, dict):
            problems.append(f"{where}: un campo non è valido.")
            continue
        code, kind = field.get("codice"), field.get("tipo")
        here = f"{where}, campo «{code}»"
        if not isinstance(code, str) or not CODE.match(code):
            problems.append(f"{where}: il codice di un campo deve iniziare con una lettera minuscola e avere solo lettere minuscole, cifre e _.")
            continue
        if code in seen:
            problems.append(f"{here}: il codice è già di un altro campo.")
            continue
        if kind not in FIELD_TYPES:
            problems.append(f"{here}: tipo «{kind}» sconosciuto.")
            continue
        unknown = set(field) - COMMON - FIELD_TYPES[kind]
        if unknown:
            problems.append(f"{here}: opzioni non previste per il tipo {kind}: {', '.join(sorted(unknown))}.")
        if kind not in NO_ANSWER and not str(field.get("etichetta") or "").strip():
            problems.append(f"{here}: manca l'etichetta.")
        if "condizione" in field:
            problems += _condition(field["condizione"], seen, here, local)
        problems += _options(field, kind, here)
        if kind == "gruppo":
            if in_group:
                problems.append(f"{here}: un gruppo ripetibile non può contenerne un altro.")
            inner = field.get("campi")
            if not isinstance(inner, list) or not inner:
                problems.append(f"{here}: il gruppo ripetibile non ha campi.")
            else:
                if field.get("anagrafe") is True and not any(isinstance(f, dict) and f.get("tipo") == "codice_fiscale" for f in inner):
                    problems.append(f"{here}: per proporre i figli dall'ANPR il gruppo ha bisogno di un campo codice fiscale.")
                group_seen = dict(seen)
                problems += _fields(inner, group_seen, here, in_group=True)
                for inner_code, inner_field in group_seen.items():
                    if inner_code not in seen:
                        seen[inner_code] = {**inner_field, "_in_group": True}
        seen[code] = {**field, "_in_group": in_group}
        if in_group:
            local.add(code)
    return problems


def _options(field, kind, here) -> list[str]:
    problems = []
    if kind in CHOICES:
        options, registry = field.get("opzioni"), field.get("elenco")
        if registry is not None:
            if registry not in LISTS:
                problems.append(f"{here}: elenco «{registry}» sconosciuto (scuole, comuni, province).")
        elif not isinstance(options, list) or not options:
            problems.append(f"{here}: una scelta ha bisogno di almeno un'opzione, o di un elenco.")
        else:
            values = [str(o.get("valore")) if isinstance(o, dict) else str(o) for o in options]
            if len(set(values)) != len(values):
                problems.append(f"{here}: due opzioni hanno lo stesso valore.")
            for option in options:
                amount = option.get("importo") if isinstance(option, dict) else None
                value = comparable(amount)
                if amount not in (None, "") and (not isinstance(value, Decimal) or value < 0):
                    problems.append(f"{here}: l'importo dell'opzione «{option.get('valore')}» non è un numero di euro valido.")
    for low, high in (("min", "max"), ("lunghezza_min", "lunghezza_max"), ("min_elementi", "max_elementi")):
        a, b = field.get(low), field.get(high)
        for name, value in ((low, a), (high, b)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | str)):
                problems.append(f"{here}: {name} non è un valore.")
        if low == "min" and kind in ORDERED:
            wanted = date if kind == "data" else Decimal
            for name, value in ((low, a), (high, b)):
                if value not in (None, "") and not isinstance(comparable(value), wanted):
                    problems.append(f"{here}: {name} non è " + ("una data (AAAA-MM-GG)." if kind == "data" else "un numero."))
        low_value, high_value = comparable(a), comparable(b)
        if low_value is not None and type(low_value) is type(high_value) and low_value > high_value:
            problems.append(f"{here}: {low} è maggiore di {high}.")
    if "formato" in field and field["formato"] not in PATTERNS:
        problems.append(f"{here}: formato «{field['formato']}» sconosciuto ({', '.join(sorted(PATTERNS))}).")
    if kind == "file":
        types = field.get("tipi_file", ["pdf"])
        if not isinstance(types, list) or not types or set(types) - FILE_TYPES:
            problems.append(f"{here}: tipi di file ammessi solo tra pdf, jpeg e png.")
        count = field.get("numero_file", 1)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_FILES:
            problems.append(f"{here}: da 1 a {MAX_FILES} file.")
    if kind == "gruppo":
        most = field.get("max_elementi", MAX_GROUP_ITEMS)
        if not isinstance(most, int) or isinstance(most, bool) or not 1 <= most <= MAX_GROUP_ITEMS:
            problems.append(f"{here}: un gruppo ripetibile ha da 1 a {MAX_GROUP_ITEMS} elementi.")
    return problems


def _condition(data, seen, here, local=frozenset()) -> list[str]:
    """A condition may read only an answer the citizen gave before, outside a repeatable group (or, in a group, in the
    same item), with a value it can take."""
    try:
        condition = Condition.parse(data)
    except ConditionError as error:
        return [f"{here}: {error}"]
    target = seen.get(condition.field)
    if target is None:
        return [f"{here}: la condizione dipende da «{condition.field}», che non è un campo precedente."]
    kind = target.get("tipo")
    if target.get("_in_group") and condition.field not in local:
        return [f"{here}: la condizione non può dipendere da un campo di un gruppo ripetibile."]
    if kind in NO_ANSWER:
        return [f"{here}: la condizione dipende da un testo di guida, che non ha risposta."]
    if condition.operator == "oltre" and kind not in ORDERED:
        return [f"{here}: «oltre» vale solo per numeri, importi e date."]
    if kind in CHOICES and not target.get("elenco"):
        options = {str(o.get("valore")) if isinstance(o, dict) else str(o) for o in target.get("opzioni") or []}
        missing = [str(v) for v in condition.values() if str(v) not in options]
        if missing:
            return [f"{here}: «{', '.join(missing)}» non è tra le opzioni di «{condition.field}»: non si mostrerebbe mai."]
    if kind in ("si_no", "dichiarazione") and any(not isinstance(v, bool) for v in condition.values()):
        return [f"{here}: «{condition.field}» è un sì/no: il valore è true o false."]
    return []


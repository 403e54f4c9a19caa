"""Issue 33's first part: the checker a built procedure's definition passes before it is published or imported, and the
condition language (data, never code)."""

import copy

import pytest

from services.builder.checker import check, check_fee
from services.builder.conditions import Condition, ConditionError

SUMMER_CAMP = {"passi": [
    {"codice": "iscrizione", "titolo": "Iscrizione", "campi": [
        {"codice": "settimane", "tipo": "scelte_multiple", "etichetta": "Settimane",
         "opzioni": [{"valore": "s1", "etichetta": "1-5 luglio"}, {"valore": "s2", "etichetta": "8-12 luglio"}]},
        {"codice": "allergie", "tipo": "si_no", "etichetta": "Ci sono allergie?"},
        {"codice": "certificato", "tipo": "file", "etichetta": "Certificato medico", "tipi_file": ["pdf", "png"],
         "condizione": {"campo": "allergie", "operatore": "uguale", "valore": True}}]},
    {"codice": "figli", "titolo": "Bambini", "campi": [
        {"codice": "bambini", "tipo": "gruppo", "etichetta": "Bambini", "max_elementi": 10, "campi": [
            {"codice": "nome", "tipo": "testo", "etichetta": "Nome", "obbligatorio": True, "lunghezza_max": 60},
            {"codice": "codice_fiscale_bambino", "tipo": "codice_fiscale", "etichetta": "Codice fiscale"}]}]},
    {"codice": "pagamento", "titolo": "Quota", "condizione": {"campo": "settimane", "operatore": "tra", "valore": ["s1", "s2"]},
     "campi": [{"codice": "guida_quota", "tipo": "guida", "testo": "La quota si paga con pagoPA."},
               {"codice": "iban_rimborso", "tipo": "iban", "etichetta": "IBAN per eventuali rimborsi"}]},
]}


def broken(change):
    definition = copy.deepcopy(SUMMER_CAMP)
    change(definition)
    return check(definition)


def test_a_sound_definition_passes():
    assert check(SUMMER_CAMP) == []


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["passi"][2]["campi"].append({"codice": "allergie", "tipo": "testo", "etichetta": "Di nuovo"}),
     "Passo «pagamento», campo «allergie»: il codice è già di un altro campo."),
    (lambda d: d["passi"][1].update(codice="iscrizione"), "Passo 2: il codice «iscrizione» è già di un altro passo."),
    (lambda d: d["passi"][0]["campi"][2].update(condizione={"campo": "iban_rimborso", "operatore": "uguale", "valore": "x"}),
     "la condizione dipende da «iban_rimborso», che non è un campo precedente."),
    (lambda d: d["passi"][0]["campi"][1].update(condizione={"campo": "allergie", "operatore": "uguale", "valore": True}),
     "la condizione dipende da «allergie», che non è un campo precedente."),
    (lambda d: d["passi"][2].update(condizione={"campo": "settimane", "operatore": "uguale", "valore": "s9"}),
     "«s9» non è tra le opzioni di «settimane»: non si mostrerebbe mai."),
    (lambda d: d["passi"][2].update(condizione={"campo": "nome", "operatore": "uguale", "valore": "Anna"}),
     "non può dipendere da un campo di un gruppo ripetibile."),
    (lambda d: d["passi"][2].update(condizione={"campo": "allergie", "operatore": "oltre", "valore": 3}),
     "«oltre» vale solo per numeri, importi e date."),
    (lambda d: d["passi"][0]["campi"][2].update(condizione={"campo": "allergie", "operatore": "uguale", "valore": "sì"}),
     "«allergie» è un sì/no: il valore è true o false."),
    (lambda d: d["passi"][2].update(campi=[{"codice": "solo_guida", "tipo": "guida", "testo": "…"}]),
     "Passo «pagamento»: nessun campo da compilare, il passo non serve."),
    (lambda d: d["passi"][0]["campi"][0].update(tipo="codice_eseguibile"), "tipo «codice_eseguibile» sconosciuto."),
    (lambda d: d["passi"][0]["campi"][0].update(formato="^.*$"), "opzioni non previste per il tipo scelte_multiple: formato."),
    (lambda d: d["passi"][1]["campi"][0]["campi"][0].update(formato="(a+)+$"), "formato «(a+)+$» sconosciuto"),
    (lambda d: d["passi"][0]["campi"][2].update(tipi_file=["exe"]), "tipi di file ammessi solo tra pdf, jpeg e png."),
    (lambda d: d["passi"][1]["campi"][0].update(max_elementi=50), "un gruppo ripetibile ha da 1 a 20 elementi."),
    (lambda d: d["passi"][1]["campi"][0]["campi"][0].update(lunghezza_min=80), "lunghezza_min è maggiore di lunghezza_max."),
    (lambda d: d["passi"][0]["campi"][0].update(opzioni=[{"valore": "s1"}, {"valore": "s1"}]), "due opzioni hanno lo stesso valore."),
    (lambda d: d["passi"][1]["campi"][0]["campi"].append({"codice": "fratelli", "tipo": "gruppo", "etichetta": "x", "campi": [
        {"codice": "fratello", "tipo": "testo", "etichetta": "Nome"}]}), "un gruppo ripetibile non può contenerne un altro."),
    (lambda d: d["passi"][0]["campi"][1].update(codice="Allergie!"), "il codice di un campo deve iniziare con una lettera minuscola"),
    (lambda d: d["passi"][2].update(condizione={"campo": "settimane", "operatore": "esegui", "valore": "x"}),
     "Operatore «esegui» sconosciuto: usa uguale, tra oppure oltre."),
    (lambda d: d["passi"][1]["campi"].append({"codice": "nota", "tipo": "testo", "etichetta": "Nota"}),
     "un gruppo ripetibile occupa un passo da solo"),
    (lambda d: d["passi"][2].update(codice="dichiarazioni"), "il codice «dichiarazioni» è già di un altro passo."),
    (lambda d: d["passi"][0]["campi"][0]["opzioni"][0].update(importo="tanti"),
     "l'importo dell'opzione «s1» non è un numero di euro valido."),
])
def test_each_problem_is_named_in_italian(change, message):
    problems = broken(change)
    assert any(message in problem for problem in problems), problems


def test_garbage_is_refused_without_an_exception():
    for document in (None, [], {}, {"passi": []}, {"passi": [None, 3, "x"]}, {"passi": [{"codice": 5, "campi": [None]}]}):
        assert check(document)


@pytest.mark.parametrize(("condition", "answers", "holds"), [
    ({"campo": "a", "operatore": "uguale", "valore": "x"}, {"a": "x"}, True),
    ({"campo": "a", "operatore": "uguale", "valore": "x"}, {"a": "y"}, False),
    ({"campo": "a", "operatore": "uguale", "valore": "x"}, {}, False),  # not answered (hidden): false
    ({"campo": "a", "operatore": "uguale", "valore": "x"}, {"a": ["y", "x"]}, True),  # a multiple choice including it
    ({"campo": "a", "operatore": "tra", "valore": ["x", "z"]}, {"a": "z"}, True),
    ({"campo": "a", "operatore": "tra", "valore": ["x", "z"]}, {"a": []}, False),
    ({"campo": "a", "operatore": "uguale", "valore": True}, {"a": True}, True),
    ({"campo": "a", "operatore": "uguale", "valore": True}, {"a": False}, False),
    ({"campo": "n", "operatore": "oltre", "valore": 3}, {"n": "3.50"}, True),
    ({"campo": "n", "operatore": "oltre", "valore": "3"}, {"n": "3"}, False),
    ({"campo": "n", "operatore": "oltre", "valore": 3}, {"n": "tre"}, False),
    ({"campo": "d", "operatore": "oltre", "valore": "2027-06-30"}, {"d": "2027-07-01"}, True),
    ({"campo": "d", "operatore": "oltre", "valore": "2027-06-30"}, {"d": "5"}, False),  # a number is not a date
])
def test_conditions(condition, answers, holds):
    assert Condition.parse(condition).holds(answers) is holds


@pytest.mark.parametrize("data", [None, "a == 1", {"campo": "", "operatore": "uguale", "valore": 1},
                                  {"campo": "a", "operatore": "tra", "valore": "x"},
                                  {"campo": "a", "operatore": "oltre", "valore": "domani"},
                                  {"campo": "a", "operatore": "uguale", "valore": ["x"]},
                                  {"campo": "a", "operatore": "__import__", "valore": "os"}])
def test_a_condition_that_cannot_be_read_says_why(data):
    with pytest.raises(ConditionError):
        Condition.parse(data)


def test_a_condition_inside_a_group_reads_the_same_items_earlier_field():
    definition = copy.deepcopy(SUMMER_CAMP)
    definition["passi"][1]["campi"][0]["campi"] += [
        {"codice": "salute", "tipo": "si_no", "etichetta": "Allergie?"},
        {"codice": "certificato_bambino", "tipo": "file", "etichetta": "Certificato",
         "condizione": {"campo": "salute", "operatore": "uguale", "valore": True}}]
    assert check(definition) == []


def test_a_fee_from_a_choice_needs_an_amount_on_every_option():
    definition = copy.deepcopy(SUMMER_CAMP)
    assert check_fee(definition, "settimane") == ["Pagamento: le opzioni s1, s2 di «settimane» non hanno un importo."]
    for option in definition["passi"][0]["campi"][0]["opzioni"]:
        option["importo"] = "60.00"
    assert check_fee(definition, "settimane") == []
    assert check_fee(definition, "nome") == [
        "Pagamento: «nome» deve essere una scelta tra opzioni scritte qui, con un importo per ciascuna."]
    assert check_fee(definition, "assente") == ["Pagamento: nessun campo ha il codice «assente»."]
    assert check_fee(definition, "") == []


def test_the_published_schema_names_what_the_checker_accepts():
    import json
    from pathlib import Path

    from services.builder import checker

    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" / "builder" / "procedura.schema.json").read_text())
    field = schema["$defs"]["campo"]["properties"]
    assert set(field["tipo"]["enum"]) == set(checker.FIELD_TYPES)
    assert set(field["formato"]["enum"]) == set(checker.PATTERNS)
    assert set(field["elenco"]["enum"]) == set(checker.LISTS)
    assert set(field["tipi_file"]["items"]["enum"]) == checker.FILE_TYPES
    assert field["numero_file"]["maximum"] == checker.MAX_FILES and field["max_elementi"]["maximum"] == checker.MAX_GROUP_ITEMS
    assert set(field) == set(checker.COMMON).union(*checker.FIELD_TYPES.values())
    assert schema["$defs"]["passo"]["properties"]["codice"]["not"]["const"] in checker.RESERVED_STEPS


def test_a_step_whose_conditions_exclude_each_other_is_refused():
    definition = copy.deepcopy(SUMMER_CAMP)
    definition["passi"][0]["campi"].insert(1, {"codice": "turno", "tipo": "scelta", "etichetta": "Turno",
                                               "opzioni": [{"valore": "mattina"}, {"valore": "giornata"}]})
    definition["passi"][0]["campi"].append({"codice": "pranzo", "tipo": "si_no", "etichetta": "Pranzo?",
                                            "condizione": {"campo": "turno", "operatore": "uguale", "valore": "giornata"}})
    assert check(definition) == []
    definition["passi"][2]["condizione"] = {"campo": "pranzo", "operatore": "uguale", "valore": True}
    assert check(definition) == []
    definition["passi"][2]["campi"].append({"codice": "nota_mattina", "tipo": "testo", "etichetta": "Nota",
                                            "condizione": {"campo": "turno", "operatore": "uguale", "valore": "mattina"}})
    assert check(definition) == ["Passo «pagamento», campo «nota_mattina»: non si mostrerebbe mai, perché le condizioni "
                                 "da cui dipende chiedono a «turno» due risposte diverse insieme."]


def test_two_conditions_on_a_multiple_choice_can_hold_together():
    definition = copy.deepcopy(SUMMER_CAMP)
    definition["passi"][0]["campi"].append({"codice": "pranzo", "tipo": "si_no", "etichetta": "Pranzo?",
                                            "condizione": {"campo": "settimane", "operatore": "uguale", "valore": "s1"}})
    definition["passi"][2]["campi"].append({"codice": "altro", "tipo": "testo", "etichetta": "Altro",
                                            "condizione": {"campo": "pranzo", "operatore": "uguale", "valore": True}})
    definition["passi"][2]["condizione"] = {"campo": "settimane", "operatore": "uguale", "valore": "s2"}
    assert check(definition) == []


@pytest.mark.parametrize(("field", "message"), [
    ({"codice": "n", "tipo": "numero", "etichetta": "N", "min": "NaN"}, "min non è un numero."),
    ({"codice": "d", "tipo": "data", "etichetta": "D", "max": "domani"}, "max non è una data (AAAA-MM-GG)."),
    ({"codice": "d", "tipo": "data", "etichetta": "D", "min": "2027-01-02", "max": "2027-01-01"}, "min è maggiore di max."),
])
def test_bounds_are_numbers_or_dates(field, message):
    problems = check({"passi": [{"codice": "a", "titolo": "A", "campi": [field]}]})
    assert any(message in p for p in problems), problems


def test_a_condition_over_a_value_that_is_no_number_holds_for_nothing():
    assert Condition.parse({"campo": "n", "operatore": "oltre", "valore": 3}).holds({"n": "NaN"}) is False

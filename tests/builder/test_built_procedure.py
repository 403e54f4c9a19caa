"""A procedure built in the admin runs on the engine like a coded one: drafts, steps, conditions, the summary, Invia,
numbers, the office; versions frozen under the applications filed against them."""


from services.builder.models import ProcedureVersion
from services.istanze import registry
from services.istanze.models import Istanza
from services.istanze.states import Status
from tests.istanze.helpers import compile_url, post_step, start

from .conftest import publish

GOOD_IBAN = "IT60X0542811101000000123456"


def fill_refund(client, istanza, **alunno):
    data = {"nome": "Giulia", "cognome": "Rossi", "codice_fiscale": "RSSGLI15M41H501Z", "importo": "35,40",
            "motivo": "fine_servizio", "motivo_altro": "", **alunno}
    return post_step(client, istanza, "alunno", data)


def test_refund_end_to_end(client_maria, maria, built):
    built("rimborso-mensa")
    istanza = start(client_maria, "RIMBORSO_MENSA")
    assert istanza.procedure_version == 1
    assert fill_refund(client_maria, istanza).status_code == 302
    response = post_step(client_maria, istanza, "accredito", {"iban": "IT60 X054 2811 1010 0000 0123 456",
                                                               "intestatario": "Maria Rossi", "intestato_a_me": "on"})
    assert response.status_code == 302
    response = post_step(client_maria, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    assert response.status_code == 302 and response["Location"].endswith("/riepilogo/")
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE
    assert istanza.data["alunno"]["importo"] == "35.40"
    assert istanza.data["accredito"]["iban"] == GOOD_IBAN
    assert istanza.data["alunno"]["motivo_altro"] is None  # not asked for this reason
    summary = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/riepilogo/").content.decode()
    assert "Mio figlio non usa più la mensa" in summary and "€ 35,40" in summary
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA
    assert istanza.number.startswith("RIMBORSO_MENSA_")
    assert istanza.office.slug == "ufficio-scuola"


def test_each_field_says_what_is_wrong_next_to_it_and_keeps_what_was_typed(client_maria, built):
    built("rimborso-mensa")
    istanza = start(client_maria, "RIMBORSO_MENSA")
    response = fill_refund(client_maria, istanza, codice_fiscale="RSSGLI15M41H501X", importo="0", motivo="altro")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Il codice fiscale non è valido" in page
    assert "Il valore minimo è 0,01" in page
    assert "Questo campo è obbligatorio" in page  # the reason, asked because «Altro motivo» was chosen
    assert 'value="Giulia"' in page
    fill_refund(client_maria, istanza)
    response = post_step(client_maria, istanza, "accredito", {"iban": "IT00X0542811101000000123456", "intestatario": "M"})
    page = response.content.decode()
    assert "L&#x27;IBAN non è valido" in page and "Per proseguire devi spuntare questa dichiarazione." in page


def test_a_condition_on_an_earlier_answer_asks_for_the_field(client_maria, built):
    built("rimborso-mensa")
    istanza = start(client_maria, "RIMBORSO_MENSA")
    assert fill_refund(client_maria, istanza, motivo="altro", motivo_altro="Cambio scuola a metà anno").status_code == 302
    istanza.refresh_from_db()
    assert istanza.current_step == "accredito"


def test_a_draft_keeps_its_version_when_a_new_one_is_published(client_maria, built):
    procedure = built("rimborso-mensa")
    draft = start(client_maria, "RIMBORSO_MENSA")
    fill_refund(client_maria, draft)
    steps = procedure.steps.raw_data
    steps[1]["value"]["campi"].append({"type": "testo", "value": {
        "codice": "banca", "etichetta": "Banca", "obbligatorio": True, "aiuto": "",
        "condizione": {"campo": "", "operatore": "", "valore": ""}}})
    procedure.steps = steps
    procedure.title = "Rimborso del credito mensa"
    publish(procedure)
    assert list(ProcedureVersion.objects.filter(code="RIMBORSO_MENSA").values_list("number", flat=True)) == [2, 1]
    assert registry.get("RIMBORSO_MENSA").title == "Rimborso del credito mensa"
    page = client_maria.get(compile_url(draft)).content.decode()
    assert "Banca" not in page and "Rimborso del credito del conto mensa" in page
    detail = client_maria.get(f"/area-personale/pratiche/{draft.public_id}/").content.decode()
    assert "la tua domanda resta com&#x27;era (versione 1)" in detail
    assert post_step(client_maria, draft, "accredito", {"iban": GOOD_IBAN, "intestatario": "Maria Rossi",
                                                         "intestato_a_me": "on"}).status_code == 302
    Istanza.objects.filter(pk=draft.pk).update(status=Status.ANNULLATA)
    fresh = start(client_maria, "RIMBORSO_MENSA")
    assert fresh.procedure_version == 2
    fill_refund(client_maria, fresh)
    assert "Banca" in client_maria.get(compile_url(fresh)).content.decode()


def test_publishing_the_same_definition_again_makes_no_new_version(built):
    procedure = built("rimborso-mensa")
    publish(procedure)
    assert ProcedureVersion.objects.filter(code="RIMBORSO_MENSA").count() == 1


def test_a_withdrawn_procedure_takes_no_new_applications(client_maria, built):
    procedure = built("rimborso-mensa")
    procedure.unpublish()
    assert "RIMBORSO_MENSA" not in [p.code for p in registry.catalogue()]
    response = client_maria.get("/area-personale/pratiche/nuova/RIMBORSO_MENSA/")
    assert response.status_code == 403
    assert "non è più disponibile" in response.content.decode()


def test_the_built_procedure_is_an_online_module_for_service_pages(built):
    from services.catalogue import modules

    built("rimborso-mensa")
    assert modules.get("RIMBORSO_MENSA").label == "Rimborso del credito del conto mensa"
    assert ("RIMBORSO_MENSA", "Rimborso del credito del conto mensa (con SPID, CIE o CNS)") in modules.choices()


def test_the_office_can_come_from_the_school_chosen(client_maria, built, registries):
    from services.schools.models import School

    def by_school(doc):
        doc["passi"][0]["campi"].insert(0, {"codice": "scuola", "tipo": "scelta", "etichetta": "Scuola", "elenco": "scuole"})
        doc["ufficio_da"] = "scuola"
    built("rimborso-mensa", change=by_school)
    school = School.objects.filter(active=True).exclude(ambito__office__slug="ufficio-scuola").select_related("ambito__office").first()
    istanza = start(client_maria, "RIMBORSO_MENSA")
    assert fill_refund(client_maria, istanza, scuola=school.code).status_code == 302
    post_step(client_maria, istanza, "accredito", {"iban": GOOD_IBAN, "intestatario": "Maria Rossi", "intestato_a_me": "on"})
    post_step(client_maria, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.office == school.ambito.office


def test_the_office_field_must_be_a_list_that_knows_offices():
    from services.builder.checker import check_office_field

    from .conftest import document

    definition = document("rimborso-mensa")
    assert check_office_field(definition, "motivo") == [
        "Ufficio: «motivo» deve essere una scelta da un elenco che conosce l'ufficio competente (scuole)."]
    assert check_office_field(definition, "assente") == ["Ufficio: nessun campo fuori dai gruppi ha il codice «assente»."]


def test_a_group_of_children_proposed_from_anpr_keeps_the_certified_data(client_maria, built):
    import html

    from services.pdnd import prefill
    from services.pdnd.models import Consultation

    def from_anpr(doc):
        doc["passi"][1]["campi"][1]["anagrafe"] = True
    built("centro-estivo", change=from_anpr)
    istanza = start(client_maria, "CENTRO_ESTIVO")
    post_step(client_maria, istanza, "genitore", {"telefono": "333 123 4567", "email": "maria.rossi@example.it"})
    page = html.unescape(client_maria.get(compile_url(istanza)).content.decode())
    assert "sono già qui sotto, con i dati certificati" in page
    assert 'value="RSSGLI18C52A271N"' in page and 'value="12/03/2018"' in page  # Giulia, from the family
    rows = {"TOTAL_FORMS": "2", "INITIAL_FORMS": "1", "MIN_NUM_FORMS": "1", "MAX_NUM_FORMS": "10",
            "0-nome": "Giuliana", "0-cognome": "Rossi", "0-codice_fiscale": "RSSGLI18C52A271N", "0-nascita": "12/03/2018",
            "0-settimane": ["s1"], "0-salute": "False",
            "1-nome": "Marco", "1-cognome": "Rossi", "1-codice_fiscale": "RSSMRC19C12H501W", "1-nascita": "12/03/2019",
            "1-settimane": ["s2"], "1-salute": "False"}
    assert post_step(client_maria, istanza, "bambini", rows).status_code == 302
    post_step(client_maria, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    istanza.refresh_from_db()
    giulia, marco = istanza.data["bambini"]
    assert (giulia["nome"], giulia["fonte_dati"]) == ("Giulia", prefill.CERTIFIED)  # the registry's name, not the typed one
    assert marco["fonte_dati"] == prefill.DECLARED
    assert ["Fonte dei dati", "dato certificato da ANPR"] in istanza.summary[1]["items"][0]["rows"]
    assert Consultation.objects.filter(reference=f"istanza:{istanza.public_id}").count() == 3  # C030, C021, C020, once

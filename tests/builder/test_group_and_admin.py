"""A repeatable group of 0, 1 and 10 items, a file asked when a box is ticked, and the builder in Wagtail's admin:
the edit form that refuses a broken definition next to the steps, the preview, export and import."""

import json

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from services.builder import actions
from services.builder.models import BuiltProcedure
from services.istanze.states import Status
from tests.istanze.helpers import formset, post_step, start

from .conftest import document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHILD = {"nome": "Giulia", "cognome": "Rossi", "codice_fiscale": "RSSGLI15M41H501Z", "nascita": "01/08/2015",
         "settimane": ["s1", "s3"], "salute": "False"}


def contacts(client, istanza):
    return post_step(client, istanza, "genitore", {"telefono": "333 123 4567", "email": "maria.rossi@example.it"})


def children(client, istanza, rows, files=None):
    data = formset(rows)
    data["MIN_NUM_FORMS"] = "1"
    return post_step(client, istanza, "bambini", data, files=files)


def test_summer_camp_with_a_certificate_only_for_the_child_who_needs_it(client_maria, built):
    built("centro-estivo")
    istanza = start(client_maria, "CENTRO_ESTIVO")
    assert contacts(client_maria, istanza).status_code == 302
    second = {**CHILD, "nome": "Marco", "codice_fiscale": "RSSMRC19C12H501W", "nascita": "12/03/2019", "salute": "True",
              "settimane": ["s2"]}
    response = children(client_maria, istanza, [CHILD, second])
    assert response.status_code == 200
    assert "Questo campo è obbligatorio" in response.content.decode()  # Marco's certificate
    upload = SimpleUploadedFile("certificato.pdf", PDF, content_type="application/pdf")
    response = children(client_maria, istanza, [CHILD, second], files={"1-certificato": upload})
    assert response.status_code == 302
    post_step(client_maria, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE
    kids = istanza.data["bambini"]
    assert [k["nome"] for k in kids] == ["Giulia", "Marco"]
    assert kids[0]["certificato"] is None and kids[0]["salute"] is False
    assert kids[1]["settimane"] == ["s2"]
    assert list(istanza.attachments.values_list("label", flat=True)) == ["Certificato medico (Bambino 2)"]
    assert istanza.summary[1]["items"][0]["title"] == "Bambino 1"


@pytest.mark.parametrize("count", [0, 1, 10, 11])
def test_a_group_of_none_one_ten_and_one_too_many(client_maria, built, count):
    def optional(doc):
        doc["passi"][1]["campi"][1]["min_elementi"] = 0
    built("centro-estivo", change=optional)
    istanza = start(client_maria, "CENTRO_ESTIVO")
    contacts(client_maria, istanza)
    rows = [{**CHILD, "nome": f"Bimbo{n}"} for n in range(count)]
    response = children(client_maria, istanza, rows)
    if count <= 10:
        assert response.status_code == 302
        istanza.refresh_from_db()
        assert istanza.current_step == "dichiarazioni"
    else:
        assert response.status_code == 200
        assert "Puoi indicarne al massimo 10: togli quelli in più." in response.content.decode()


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redattore", "redattore@example.it", "x")


def test_a_broken_definition_is_refused_on_the_steps_and_the_code_stays_after_publication(built):
    from django.core.exceptions import ValidationError

    procedure = built("rimborso-mensa")
    steps = procedure.steps.raw_data
    steps[0]["value"]["campi"][5]["value"]["condizione"] = {"campo": "iban", "operatore": "uguale", "valore": "x"}
    procedure.steps = steps
    procedure.code = "ALTRO_CODICE"
    with pytest.raises(ValidationError) as error:
        procedure.full_clean()
    assert "la condizione dipende da «iban», che non è un campo precedente." in str(error.value.message_dict["steps"])
    assert "Il codice non cambia dopo la prima pubblicazione" in str(error.value.message_dict["code"])


def test_the_admin_pages_of_the_builder(client, editor, built):
    procedure = built("rimborso-mensa")
    client.force_login(editor)
    url = f"/admin/snippets/builder/builtprocedure/edit/{procedure.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Rimborso del credito del conto mensa" in page.content.decode()
    assert client.get("/admin/snippets/builder/builtprocedure/").status_code == 200
    assert client.get("/admin/snippets/builder/builtprocedure/add/").status_code == 200


def test_the_preview_shows_every_step_as_a_citizen_sees_it(built):
    from django.test import RequestFactory

    procedure = built("centro-estivo")
    request = RequestFactory().get("/")
    context = procedure.get_preview_context(request, "")
    titles = [step["title"] for step in context["steps"]]
    assert titles == ["Recapiti", "Bambini da iscrivere", "Dichiarazioni"]
    assert context["steps"][1]["is_formset"]
    item = context["steps"][1]["form"].empty_form
    assert "certificato" in item.fields  # every field, the conditional one with when it shows
    assert "Solo se hai risposto «sì»" in str(item.fields["certificato"].help_text)


def test_the_preview_keeps_a_field_conditional_on_an_earlier_step_and_says_when(built):
    from django.test import RequestFactory

    def on_earlier_step(doc):
        doc["passi"][1]["campi"].insert(0, {"codice": "note", "tipo": "testo", "etichetta": "Note", "obbligatorio": False,
                                            "condizione": {"campo": "motivo", "operatore": "uguale", "valore": "altro"}})
    procedure = built("rimborso-mensa", change=on_earlier_step)
    steps = procedure.get_preview_context(RequestFactory().get("/"), "")["steps"]
    assert "Compare solo se hai risposto «altro» a «motivo»." in str(steps[1]["form"].fields["note"].help_text)


def test_export_then_import_gives_the_same_procedure(client, editor, built):
    procedure = built("rimborso-mensa")
    client.force_login(editor)
    response = client.get(f"/admin/procedure-costruite/{procedure.pk}/esporta/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    exported = json.loads(response.content)
    assert exported["formato"] == "sportello-procedura/1" and "ufficio" not in exported
    assert actions.import_problems(exported) == []
    exported["codice"] = "RIMBORSO_MENSA_BIS"
    upload = SimpleUploadedFile("p.json", json.dumps(exported).encode(), content_type="application/json")
    response = client.post("/admin/procedure-costruite/importa/", {"file": upload})
    assert response.status_code == 302
    copy = BuiltProcedure.objects.get(code="RIMBORSO_MENSA_BIS")
    assert not copy.live and copy.definition()["passi"] == procedure.definition()["passi"]


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe not json", "Il file non è un documento JSON leggibile."),
    (json.dumps({"formato": "altro"}).encode(), "Il file non è nel formato sportello-procedura/1."),
    (json.dumps({**document("rimborso-mensa"), "passi": [{"codice": "a", "titolo": "A", "campi": [
        {"codice": "x", "tipo": "script", "etichetta": "X"}]}]}).encode(), "tipo «script» sconosciuto."),
    (json.dumps({**document("rimborso-mensa"), "pagamento": {"importo": "dieci"}}).encode(),
     "«pagamento»: l'importo non è un numero di euro valido"),
    (json.dumps({**document("rimborso-mensa"), "pagamento": {"campo": "motivo"}}).encode(),
     "Pagamento: le opzioni fine_servizio, trasferimento, altro di «motivo» non hanno un importo."),
    (json.dumps({**document("rimborso-mensa"), "script": "alert(1)"}).encode(), "Voci sconosciute: script."),
    (json.dumps({**document("rimborso-mensa"), "titolo": "x" * 151}).encode(), "«titolo» è troppo lungo (al massimo 150 caratteri)."),
    (json.dumps({**document("rimborso-mensa"), "categoria": ["a"]}).encode(), "«categoria» è un testo."),
    (json.dumps([1, 2]).encode(), "Il file non contiene una procedura."),
], ids=["not-json", "format", "type", "fee-amount", "fee-field", "unknown-key", "long-title", "category", "a-list"])
def test_a_bad_document_is_refused_next_to_the_file_field(client, editor, content, message):
    client.force_login(editor)
    before = BuiltProcedure.objects.count()
    upload = SimpleUploadedFile("p.json", content, content_type="application/json")
    response = client.post("/admin/procedure-costruite/importa/", {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert BuiltProcedure.objects.count() == before


def test_an_import_with_a_code_already_here_is_refused(built):
    built("rimborso-mensa")
    with pytest.raises(actions.DefinitionError) as error:
        actions.procedure_import(document=document("rimborso-mensa"))
    assert "Esiste già una procedura con il codice RIMBORSO_MENSA" in error.value.problems[0]


def test_the_preview_page_renders_every_step(editor, built):
    from django.test import RequestFactory

    procedure = built("centro-estivo")
    request = RequestFactory().get("/")
    request.user = editor
    response = procedure.serve_preview(request, "")
    response.render()
    page = response.content.decode()
    assert "Passo 2: Bambini da iscrivere" in page and "Certificato medico" in page


def test_guidance_text_is_paragraphs_and_what_an_editor_types_is_escaped():
    from services.builder.procedure import GuidanceWidget

    html = GuidanceWidget("Prima riga <script>alert(1)</script>\n\nSeconda").render("x", None)
    assert "<p>Prima riga &lt;script&gt;alert(1)&lt;/script&gt;</p>" in html and "<p>Seconda</p>" in html

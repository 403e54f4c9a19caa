"""MENSA and TRASPORTO's child step with ANPR (issue 32): the signed-in parent's minor children from the national
registry, offered with their certified data; another child typed by hand and marked declared; a registry that does
not answer leaving the step to manual entry; one read per draft, in the access register."""

import html

from django.core.cache import cache

import pytest

from services.core.clock import SchoolYear
from services.istanze.models import Istanza
from services.pdnd import prefill, sandbox
from services.pdnd.models import Consultation
from services.schools.models import School
from tests.istanze.helpers import ANNA, DEMO_SCHOOL, post_step, start

YEAR = SchoolYear.next()
GIULIA = "RSSGLI18C52A271N"
pytestmark = pytest.mark.usefixtures("registries")


@pytest.fixture(autouse=True)
def _open_windows(settings):
    settings.PROCEDURE_WINDOWS = {code: ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"] for code in ("MENSA", "TRASPORTO")}
    cache.clear()
    yield
    sandbox.set_fault("")


def step_page(client, istanza):
    return html.unescape(client.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode())


def base(**extra):
    return {"anno_scolastico": YEAR.label, "scuola": School.objects.get(code=DEMO_SCHOOL).pk, "classe": "3ª A", **extra}


def test_maria_chooses_giulia_from_her_certified_family(client_maria, maria):
    istanza = start(client_maria, "MENSA")
    page = step_page(client_maria, istanza)
    assert "Giulia Rossi, nato/a il 12/03/2018 — dato certificato da ANPR" in page
    assert "stato di famiglia nell'Anagrafe nazionale (ANPR)" in page
    assert post_step(client_maria, istanza, "bambino", base(figlio=GIULIA)).status_code == 302
    istanza.refresh_from_db()
    stored = istanza.wizard["certified"]["anpr_family"]
    assert stored["status"] == "ok" and stored["resident"] is True
    post_step(client_maria, istanza, "dieta", {"dieta": "standard"})
    post_step(client_maria, istanza, "tariffa", {"tariffa": "massima"})
    response = post_step(client_maria, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    summary = html.unescape(client_maria.get(response["Location"]).content.decode())
    assert "dato certificato da ANPR" in summary
    istanza.refresh_from_db()
    child = istanza.data["bambino"]
    assert (child["nome"], child["cognome"], child["codice_fiscale"], child["fonte_dati"]) == (
        "Giulia", "Rossi", GIULIA, prefill.CERTIFIED)


def test_typed_names_never_override_the_certified_child(client_maria, maria):
    istanza = start(client_maria, "MENSA")
    post_step(client_maria, istanza, "bambino", base(figlio=GIULIA, nome="Giuliana", cognome="Verdi",
                                                     codice_fiscale=ANNA["codice_fiscale"]))
    post_step(client_maria, istanza, "dieta", {"dieta": "standard"})
    post_step(client_maria, istanza, "tariffa", {"tariffa": "massima"})
    post_step(client_maria, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    child = Istanza.objects.get(pk=istanza.pk).data["bambino"]
    assert (child["nome"], child["cognome"], child["codice_fiscale"]) == ("Giulia", "Rossi", GIULIA)


def test_another_child_is_typed_and_marked_declared(client_maria, maria):
    istanza = start(client_maria, "MENSA")
    response = post_step(client_maria, istanza, "bambino", base(figlio="altro"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "Scrivi il nome." in page and "Scrivi il codice fiscale." in page
    assert post_step(client_maria, istanza, "bambino", base(figlio="altro", **ANNA)).status_code == 302
    post_step(client_maria, istanza, "dieta", {"dieta": "standard"})
    post_step(client_maria, istanza, "tariffa", {"tariffa": "massima"})
    post_step(client_maria, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    istanza.refresh_from_db()
    assert istanza.data["bambino"]["fonte_dati"] == prefill.DECLARED
    assert istanza.data["bambino"]["codice_fiscale"] == ANNA["codice_fiscale"]


def test_a_typed_codice_fiscale_of_a_certified_child_takes_the_registry_data(client_maria, maria):
    istanza = start(client_maria, "MENSA")
    post_step(client_maria, istanza, "bambino", base(nome="giulia", cognome="rossi", codice_fiscale=GIULIA))
    post_step(client_maria, istanza, "dieta", {"dieta": "standard"})
    post_step(client_maria, istanza, "tariffa", {"tariffa": "massima"})
    post_step(client_maria, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    istanza.refresh_from_db()
    assert (istanza.data["bambino"]["nome"], istanza.data["bambino"]["fonte_dati"]) == ("Giulia", prefill.CERTIFIED)


def test_nothing_chosen_and_nothing_typed_is_one_clear_message(client_maria, maria):
    istanza = start(client_maria, "MENSA")
    response = post_step(client_maria, istanza, "bambino", base())
    assert response.status_code == 200
    assert "Scegli il figlio da iscrivere o «Un altro bambino» e scrivi i suoi dati." in html.unescape(response.content.decode())


def test_the_registry_is_read_once_per_draft_and_registered(client_maria, maria):
    istanza = start(client_maria, "MENSA")
    step_page(client_maria, istanza)
    step_page(client_maria, istanza)
    post_step(client_maria, istanza, "bambino", base(figlio=GIULIA))
    rows = list(Consultation.objects.order_by("created_at"))
    assert [r.eservice for r in rows] == ["anpr-C030", "anpr-C021", "anpr-C020"]
    assert {(r.user_id, r.reference, r.outcome) for r in rows} == {(maria.pk, f"istanza:{istanza.public_id}", "ok")}


def test_a_registry_that_does_not_answer_leaves_manual_entry(client_maria, maria):
    sandbox.set_fault("errore_500")
    istanza = start(client_maria, "MENSA")
    page = step_page(client_maria, istanza)
    assert "in questo momento non risponde" in page and "dato certificato da ANPR" not in page
    assert post_step(client_maria, istanza, "bambino", base(**ANNA)).status_code == 302
    assert Consultation.objects.get().outcome == "unavailable"
    step_page(client_maria, istanza)  # within the retry window: not asked again
    assert Consultation.objects.count() == 1


def test_the_transport_enrollment_offers_the_same_children(client_maria, maria):
    istanza = start(client_maria, "TRASPORTO")
    page = step_page(client_maria, istanza)
    assert "Giulia Rossi, nato/a il 12/03/2018 — dato certificato da ANPR" in page


def test_only_a_codice_fiscale_an_identity_provider_proved_is_looked_up(maria, settings):
    assert prefill.applies(maria) is False  # signed up, not attested yet
    maria.fiscal_code_source = "spid"
    assert prefill.applies(maria) is True
    settings.PDND_ANPR_URL = ""
    assert prefill.applies(maria) is False

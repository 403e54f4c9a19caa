"""MENSA's fee step with INPS (issue 32): the attestation read for the signed-in parent and the band chosen from
it; annotations and expiry told; INPS down or without an attestation leaving the declaration; a declared ISEE checked
after submission, written in the history and the office alerted when it differs."""

import html

from django.core.cache import cache

import pytest

from services.core.clock import SchoolYear
from services.istanze.models import Istanza
from services.meals import isee_checks
from services.notifications.models import StaffAlert
from services.pdnd import sandbox
from services.pdnd.models import Consultation
from services.schools.models import School
from tests.istanze.helpers import ANNA, DEMO_SCHOOL, make_citizen, make_operator, post_step, spid_login, start

YEAR = SchoolYear.next()
pytestmark = pytest.mark.usefixtures("registries")


@pytest.fixture(autouse=True)
def _open_windows(settings):
    settings.PROCEDURE_WINDOWS = {"MENSA": ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]}
    cache.clear()
    yield
    sandbox.set_fault("")


def to_fee_step(client):
    istanza = start(client, "MENSA")
    child = {"anno_scolastico": YEAR.label, "scuola": School.objects.get(code=DEMO_SCHOOL).pk, **ANNA}
    assert post_step(client, istanza, "bambino", child).status_code == 302
    assert post_step(client, istanza, "dieta", {"dieta": "standard"}).status_code == 302
    page = html.unescape(client.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode())
    return istanza, page


def finish(client, istanza, tariffa):
    assert post_step(client, istanza, "tariffa", tariffa).status_code == 302
    response = post_step(client, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    summary = html.unescape(client.get(response["Location"]).content.decode())
    return summary


def test_maria_uses_the_attestation_inps_certifies_and_gets_band_b(client_maria, maria):
    istanza, page = to_fee_step(client_maria)
    assert "Tariffa agevolata con l'ISEE che risulta all'INPS: € 9.876,50" in page and "dato certificato da INPS" in page
    summary = finish(client_maria, istanza, {"tariffa": "inps"})
    assert "certificato da INPS" in summary and "Fascia B · € 2,60 a pasto" in summary
    istanza.refresh_from_db()
    assert istanza.data["tariffa"]["fonte_isee"] == "inps" and istanza.data["tariffa"]["valore_isee"] == "9876.50"
    assert Consultation.objects.filter(eservice="inps-isee").count() == 1


def test_annotations_are_told_before_the_parent_chooses(client, db):
    luca = make_citizen("luca")
    spid_login(client, luca)
    _, page = to_fee_step(client)
    assert "omissioni o difformità" in page and "Anagrafe tributaria" in page


def test_an_expired_attestation_is_not_offered(client, db):
    paolo = make_citizen("paolo")
    spid_login(client, paolo)
    _, page = to_fee_step(client)
    assert "è scaduta il 31/12/" in page and "dato certificato da INPS" not in page


def test_inps_down_leaves_the_declaration(client_maria, maria):
    sandbox.set_fault("inps_errore_500")
    _, page = to_fee_step(client_maria)
    assert "in questo momento non risponde" in page and "dato certificato da INPS" not in page


def test_no_attestation_at_inps_leaves_the_declaration(client, db):
    spid_login(client, make_citizen("sara"))
    _, page = to_fee_step(client)
    assert "All'INPS non risulta un'attestazione ISEE valida" in page and "dato certificato da INPS" not in page


def test_a_declared_isee_is_checked_after_submission_and_the_office_alerted(client_maria, maria, django_capture_on_commit_callbacks):
    operator = make_operator("sara.ufficio", "ufficio-scuola")
    istanza, _ = to_fee_step(client_maria)
    from django.utils import timezone

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        finish(client_maria, istanza, {"tariffa": "isee", "valore_isee": "5.000,00",
                                       "protocollo_dsu": f"INPS-ISEE-{today.year}-12345678X-00",
                                       "data_attestazione": today.strftime("%d/%m/%Y")})
        client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.data["tariffa"]["fonte_isee"] == "dichiarato"
    assert istanza.data["verifica_isee"]["esito"] == "diverso" and istanza.data["verifica_isee"]["valore_inps"] == "9876.50"
    note = istanza.events.order_by("-created_at").first().note
    assert "€ 5.000,00" in note and "€ 9.876,50" in note
    assert isee_checks.verify_one(istanza.pk) == "nothing"  # once only
    assert StaffAlert.objects.get(event=f"isee-check:{istanza.pk}").user == operator


def test_the_sweep_checks_what_inps_could_not_answer_at_submission(client_maria, maria, django_capture_on_commit_callbacks):
    istanza, _ = to_fee_step(client_maria)
    from django.utils import timezone

    today = timezone.localdate()
    sandbox.set_fault("inps_errore_500")
    with django_capture_on_commit_callbacks(execute=True):
        finish(client_maria, istanza, {"tariffa": "isee", "valore_isee": "9.876,50",
                                       "protocollo_dsu": f"INPS-ISEE-{today.year}-12345678X-00",
                                       "data_attestazione": today.strftime("%d/%m/%Y")})
        client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    assert "verifica_isee" not in Istanza.objects.get(pk=istanza.pk).data
    sandbox.set_fault("")
    assert isee_checks.verify_pending() == 1
    assert Istanza.objects.get(pk=istanza.pk).data["verifica_isee"]["esito"] == "uguale"

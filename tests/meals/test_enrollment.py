"""MENSA enrollments on the applications engine: diets, ISEE fee band, re-enrollment, the arrears block,
and what acceptance creates (the child on the meal account)."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

import pytest

from services.core.clock import SchoolYear
from services.istanze.models import Istanza
from services.istanze.states import Status
from services.meals.actions import ledger_post, wallet_get_or_create
from services.meals.enrollment import family_debt
from services.meals.models import Child, FeeBand, HealthDataRead
from services.meals.selectors import medical_diet_read
from services.payments.actions import position_create
from services.payments.models import PaymentPosition
from services.schools.models import School
from tests.istanze.helpers import ANNA, DEMO_SCHOOL, child_step, make_citizen, make_operator, post_step, start
from tests.istanze.helpers import office_accept as accept

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = SchoolYear.next()

pytestmark = pytest.mark.usefixtures("registries")


@pytest.fixture(autouse=True)
def _open_windows(settings):
    settings.PROCEDURE_WINDOWS = {code: ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"] for code in ("MENSA", "TRASPORTO")}


@pytest.fixture
def operator(db):
    return make_operator("sara", "ufficio-scuola")


def school():
    return School.objects.get(code=DEMO_SCHOOL)


def bambino(**extra):
    return child_step(YEAR, **extra)


def certificate():
    return SimpleUploadedFile("certificato.pdf", PDF, content_type="application/pdf")


def submit_mensa(client, *, diet="standard", tariffa=None):
    istanza = start(client, "MENSA")
    assert post_step(client, istanza, "bambino", bambino()).status_code == 302
    files = {"certificato": certificate()} if diet == "medical" else None
    assert post_step(client, istanza, "dieta", {"dieta": diet}, files=files).status_code == 302
    tariffa = tariffa or {"tariffa": "isee", "valore_isee": "9.876,50", "protocollo_dsu": f"INPS-ISEE-{timezone.localdate().year}-12345678X-00",
                          "data_attestazione": timezone.localdate().strftime("%d/%m/%Y")}
    assert post_step(client, istanza, "tariffa", tariffa).status_code == 302
    response = post_step(client, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    assert response["Location"].endswith("/riepilogo/")
    client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA
    return istanza



def test_meal_enrollment_with_a_medical_diet_and_isee_end_to_end(client_maria, maria, operator, django_capture_on_commit_callbacks):
    istanza = start(client_maria, "MENSA")
    assert post_step(client_maria, istanza, "bambino", bambino()).status_code == 302
    response = post_step(client_maria, istanza, "dieta", {"dieta": "medical"})
    assert response.status_code == 200 and "Per la dieta sanitaria allega il certificato medico." in response.content.decode()
    assert post_step(client_maria, istanza, "dieta", {"dieta": "medical"}, files={"certificato": certificate()}).status_code == 302
    response = post_step(client_maria, istanza, "tariffa", {"tariffa": "isee", "valore_isee": "dodicimila", "protocollo_dsu": "123",
                                                              "data_attestazione": "01/01/2020"})
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "Scrivi il valore ISEE in euro, ad esempio 12.345,67." in page and "dodicimila" in page
    assert "Scrivi il numero di protocollo come è sull'attestazione" in page
    assert "L'attestazione ISEE è scaduta il 31/12/2020" in page
    today = timezone.localdate()
    assert post_step(client_maria, istanza, "tariffa", {
        "tariffa": "isee", "valore_isee": "9.876,50", "protocollo_dsu": f"inps-isee-{today.year}-12345678x-00",
        "data_attestazione": today.strftime("%d/%m/%Y")}).status_code == 302
    response = post_step(client_maria, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    summary = client_maria.get(response["Location"]).content.decode()
    assert "€ 9.876,50" in summary and "Fascia B · € 2,60 a pasto" in summary
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and istanza.office.slug == "ufficio-scuola"
    assert istanza.data["tariffa"]["protocollo_dsu"] == f"INPS-ISEE-{today.year}-12345678X-00"
    assert istanza.attachments.get().sensitive

    response = accept(operator, istanza, {"fascia": FeeBand.objects.get(code="B", valid_from__lte=YEAR.start).pk,
                                          "inizio_servizio": YEAR.start.isoformat()}, django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "Trascrivi la dieta dal certificato medico allegato." in response.content.decode()
    band = FeeBand.objects.filter(code="B").first()
    response = accept(operator, istanza, {"fascia": band.pk, "inizio_servizio": YEAR.start.isoformat(),
                                          "dieta_sanitaria": "Senza glutine (celiachia)"}, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and istanza.status == Status.ACCOLTA
    child = Child.objects.get(istanza=istanza)
    assert child.wallet.holder == maria and child.fee_band == band and child.diet == "medical"
    assert (child.service_from, child.service_to, child.school_year) == (YEAR.start, YEAR.end, YEAR.label)
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT medical_diet FROM meals_child WHERE id = %s", [child.pk])
        raw = cursor.fetchone()[0]
    assert "glutine" not in raw and len(raw) > 50
    assert "glutine" not in " ".join(e.note for e in istanza.events.all())
    assert not HealthDataRead.objects.exists()
    assert medical_diet_read(child, user=operator, purpose="test") == "Senza glutine (celiachia)"
    assert HealthDataRead.objects.get().user == operator


def test_without_isee_the_maximum_fee_and_no_certificate_kept(client_maria, maria, operator, django_capture_on_commit_callbacks):
    istanza = start(client_maria, "MENSA")
    post_step(client_maria, istanza, "bambino", bambino())
    # a certificate sent with a non-medical diet is not kept
    post_step(client_maria, istanza, "dieta", {"dieta": "no_pork"}, files={"certificato": certificate()})
    response = post_step(client_maria, istanza, "tariffa", {"tariffa": "isee"})
    page = response.content.decode()
    assert "Scrivi il valore ISEE." in page and "Scrivi il numero di protocollo." in page and "Scrivi la data di rilascio." in page
    post_step(client_maria, istanza, "tariffa", {"tariffa": "massima", "valore_isee": "123"})
    post_step(client_maria, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and not istanza.attachments.exists()
    assert istanza.data["tariffa"]["valore_isee"] == ""
    office = Client()
    office.force_login(operator)
    form = office.get(f"/admin/istanze/istanza/inspect/{istanza.pk}/").content.decode()
    assert "dieta_sanitaria" not in form
    maximum = FeeBand.objects.filter(isee_max__isnull=True).first()
    assert accept(operator, istanza, {"fascia": maximum.pk, "inizio_servizio": YEAR.start.isoformat()},
                  django_capture_on_commit_callbacks).status_code == 302
    assert Child.objects.get(istanza=istanza).fee_band == maximum


def test_re_enrollment_is_prefilled_and_ends_last_years_service(client_maria, maria, operator, django_capture_on_commit_callbacks):
    wallet = wallet_get_or_create(holder=maria)
    band = FeeBand.objects.first()
    last = Child.objects.create(wallet=wallet, first_name="Anna", last_name="Rossi", fiscal_code=ANNA["codice_fiscale"], school=school(),
                                school_class="1ª B", fee_band=band, service_from=YEAR.start - timedelta(days=365),
                                school_year="2026/27", diet="no_meat")
    istanza = start(client_maria, "MENSA")
    page = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert "Rinnovo per Anna Rossi" in page
    assert post_step(client_maria, istanza, "rinnovo", {"scelta": ANNA["codice_fiscale"]}).status_code == 302
    page = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert f'value="{ANNA["codice_fiscale"]}"' in page and "Lo scorso anno: 1ª B" in page
    assert post_step(client_maria, istanza, "bambino", bambino()).status_code == 302
    page = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert 'value="no_meat" class="form-check-input" required id="id_dieta-dieta_3" checked' in page or 'value="no_meat"' in page
    post_step(client_maria, istanza, "dieta", {"dieta": "no_meat"})
    post_step(client_maria, istanza, "tariffa", {"tariffa": "massima"})
    post_step(client_maria, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    accept(operator, istanza, {"fascia": band.pk, "inizio_servizio": YEAR.start.isoformat()}, django_capture_on_commit_callbacks)
    last.refresh_from_db()
    assert last.service_to == YEAR.start - timedelta(days=1)
    assert Child.objects.filter(wallet=wallet, fiscal_code=ANNA["codice_fiscale"]).count() == 2
    # a second application for the same child and year is refused next to the field
    again = start(client_maria, "MENSA")
    post_step(client_maria, again, "rinnovo", {"scelta": "nuovo"})
    response = post_step(client_maria, again, "bambino", bambino())
    assert "Per questo figlio hai già presentato la domanda" in response.content.decode().replace("&#x27;", "'")


def test_another_holders_child_is_refused(client_maria, maria, db):
    other = make_citizen("luca")
    Child.objects.create(wallet=wallet_get_or_create(holder=other), first_name="Anna", last_name="Rossi",
                         fiscal_code=ANNA["codice_fiscale"], school=school(), fee_band=FeeBand.objects.first(), service_from=date(2026, 9, 1))
    istanza = start(client_maria, "MENSA")
    response = post_step(client_maria, istanza, "bambino", bambino())
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and "già associato al conto di un altro genitore" in page and "Luca" not in page


def test_arrears_block_enrollment_with_a_way_to_settle(client_maria, maria, settings):
    settings.SCHOOL_ARREARS_LIMIT = Decimal("50.00")
    wallet = wallet_get_or_create(holder=maria)
    ledger_post(wallet_id=wallet.pk, kind="adjustment", amount=Decimal("-40.00"), reference="t:1", description="Pasti")
    assert client_maria.get("/area-personale/pratiche/nuova/MENSA/").status_code == 200  # 40 owed: under the limit
    position = position_create(owner=maria, purpose="transport-fee", amount="30.00", description="Rata", due_date=timezone.localdate() - timedelta(days=1))
    assert family_debt(maria) == (Decimal("40.00"), Decimal("30.00"))
    for code in ("MENSA", "TRASPORTO"):
        response = client_maria.get(f"/area-personale/pratiche/nuova/{code}/")
        page = response.content.decode().replace("&#x27;", "'")
        assert response.status_code == 403
        assert "risulta un debito di € 70,00" in page and "conto mensa in negativo di € 40,00" in page and "quote scadute e non pagate per € 30,00" in page
        assert 'href="/area-personale/conto-mensa/ricarica/"' in page and 'href="/area-personale/pagamenti/"' in page
    assert client_maria.post("/area-personale/pratiche/nuova/MENSA/", {"scelta": "nuova"}).status_code == 403
    assert not Istanza.objects.filter(procedure_code="MENSA").exists()
    PaymentPosition.objects.filter(pk=position.pk).update(settled_at=timezone.now(), status="PAID")
    assert client_maria.get("/area-personale/pratiche/nuova/TRASPORTO/").status_code == 200


def test_arrears_also_block_the_submission_of_a_draft(client_maria, maria):
    istanza = start(client_maria, "MENSA")
    post_step(client_maria, istanza, "bambino", bambino())
    post_step(client_maria, istanza, "dieta", {"dieta": "standard"})
    post_step(client_maria, istanza, "tariffa", {"tariffa": "massima"})
    post_step(client_maria, istanza, "dichiarazioni", {"regole": "on", "privacy": "on", "veridicita": "on"})
    wallet = wallet_get_or_create(holder=maria)
    ledger_post(wallet_id=wallet.pk, kind="adjustment", amount=Decimal("-80.00"), reference="t:2", description="Pasti")
    response = client_maria.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    assert response.status_code == 403
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE and istanza.number is None







def test_arrears_do_not_block_an_integration_asked_by_the_office(client_maria, maria, operator):
    istanza = submit_mensa(client_maria)
    office = Client()
    office.force_login(operator)
    office.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/")
    office.post(f"/admin/pratiche/{istanza.pk}/azione/richiedi_integrazione/", {"richiedi_integrazione-note": "Classe da confermare."})
    istanza.refresh_from_db()
    assert istanza.status == Status.IN_ATTESA_DI_INTEGRAZIONE
    ledger_post(wallet_id=wallet_get_or_create(holder=maria).pk, kind="adjustment", amount=Decimal("-90.00"), reference="t:3", description="Pasti")
    assert client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").status_code == 200
    messages = client_maria.get("/area-personale/messaggi/").content.decode()
    assert "In attesa di integrazione" in messages and "Classe da confermare." in messages
    documents = client_maria.get("/area-personale/documenti/").content.decode()
    assert f"Ricevuta della pratica {istanza.number}" in documents


def test_earlier_records_are_read_once_per_step(client_maria, maria):
    from django.test.utils import CaptureQueriesContext

    Child.objects.create(wallet=wallet_get_or_create(holder=maria), first_name="Anna", last_name="Rossi", fiscal_code=ANNA["codice_fiscale"],
                         school=school(), fee_band=FeeBand.objects.first(), service_from=date(2025, 9, 1))
    istanza = start(client_maria, "MENSA")
    post_step(client_maria, istanza, "rinnovo", {"scelta": ANNA["codice_fiscale"]})
    with CaptureQueriesContext(connection) as queries:
        page = client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert f'value="{ANNA["codice_fiscale"]}"' in page  # prefilled
    assert sum('"meals_child"' in q["sql"] for q in queries.captured_queries) == 1

"""The Region's dashboard of the 0-3 survey against a hand-computed fixture (CPT Colline del Po: Valfiorita, Castelrotondo,
Montebruno), its bounded queries, its exports, the open data and the population upload."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from services.procedures import dashboard
from services.procedures.demo import _sheet
from services.procedures.models import ChildPopulation, Cpt, SurveyComune
from services.procedures.ril03 import ACTIONS_CODE, CODE, EDITION
from tests.istanze.helpers import make_citizen, make_operator, spid_login
from tests.procedures.test_ril03 import REGION, comune, decide, enable, send_actions, send_services, valfiorita_keys

pytestmark = pytest.mark.usefixtures("registries")
TODAY = date(2027, 5, 5)


@pytest.fixture(autouse=True)
def _open_window(settings):
    window = ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]
    settings.PROCEDURE_WINDOWS = {CODE: window, ACTIONS_CODE: window}


@pytest.fixture
def region_user(db):
    officer = make_operator("renata", REGION)
    officer.groups.add(Group.objects.get(name="Regional validators"))
    return officer


@pytest.fixture
def surveyed(client, region_user):
    """Valfiorita: SERVIZI 03 validated, INTERVENTI waiting; Montebruno: both validated; Castelrotondo: nothing."""
    spid_login(client, enable(make_citizen("luca"), "999001"))
    region = Client()
    region.force_login(region_user)
    decide(region, send_services(client, "999001"), "accogli")
    send_actions(client, "999001", valfiorita_keys())
    montebruno = SurveyComune.objects.get(istat_code="999004")
    referent = enable(make_citizen("maria"), "999004")
    _sheet(CODE, montebruno, referent, region_user, "validated")
    _sheet(ACTIONS_CODE, montebruno, referent, region_user, "validated")
    return Cpt.objects.get(code="CPT-TO-COLLINE")


def blocks(**filters):
    return {b.key: b for b in dashboard.build(EDITION.year, dashboard.Filters(**filters), deadline=date(2027, 5, 15), today=TODAY)}


def test_the_figures_of_a_cpt_computed_by_hand(surveyed):
    found = blocks(cpt=surveyed.pk)
    participation = found["partecipazione"]
    # invited, not started, draft, in validation, rejected, validated
    assert participation.rows == [["SERVIZI 03", 3, 1, 0, 0, 0, 2], ["INTERVENTI", 3, 1, 0, 1, 0, 1]]
    assert "mancano 10 giorni" in participation.notes[0] and "Rilevazioni complete: 1 su 3 Comuni." in participation.notes[1]
    assert [row[0] for row in found["non-inviate"].rows] == ["Castelrotondo"]

    services = {(row[0], row[1]): row[2:] for row in found["servizi"].rows}
    assert services[("Nido d'infanzia", "Pubblico (gestione diretta o indiretta)")] == [2, 2, 0, 0, 0]
    assert services[("Nido d'infanzia", "Privato")] == [1, 0, 0, 0, 1]  # Castello: authorised after the survey started
    assert services[("Micronido", "Privato")] == [1, 0, 1, 0, 0]
    assert services[("Sezione primavera", "Pubblico (gestione diretta o indiretta)")] == [1, 1, 0, 0, 0]
    assert services[("Sezione primavera", "Privato")] == [1, 1, 0, 0, 0]
    assert services[("Servizi integrativi", "Pubblico (gestione diretta o indiretta)")] == [1, 0, 0, 1, 0]
    assert services[("Servizi integrativi", "Privato")] == [1, 0, 0, 0, 1]
    assert any("Non intende accordarsi con il Comune." in note for note in found["servizi"].notes)

    # places of the services not ceased 75 + 42 + 54; attendance 12 + 24,5 + 28,8 + 14,4 over 114 places; 480 children
    assert found["posti"].rows[0] == ["CPT Colline del Po", 3, 171, Decimal("79.7"), Decimal("69.9"), 480, Decimal("35.6"),
                                      "raggiunto", "non raggiunto"]

    actions = {row[0]: row[1:] for row in found["interventi"].rows}
    assert actions["B1"] == [3, Decimal("9600.00"), 94, Decimal("102.13")]
    assert actions["B2"] == [1, Decimal("1500.00"), 20, Decimal("75.00")]
    assert actions["B3"] == [3, Decimal("9600.00"), 94, Decimal("102.13")]
    assert actions["B8"] == [2, Decimal("4200.00"), 38, Decimal("110.53")]
    assert actions["C1"][:2] == [2, Decimal("3500.00")]
    assert "CPT Colline del Po: C1 indicata da 2 Comuni su 3 (66.7%)." in found["interventi"].notes

    queue = found["coda"]
    assert [(row[1], row[2]) for row in queue.rows] == [("Valfiorita", "INTERVENTI")]
    assert "3 schede" in queue.notes[0]


def test_filters_by_province_and_comune(surveyed):
    assert blocks(province="CN")["partecipazione"].rows[0][1] == 5
    assert blocks(comune=comune("999004"))["partecipazione"].rows == [["SERVIZI 03", 1, 0, 0, 0, 0, 1], ["INTERVENTI", 1, 0, 0, 0, 0, 1]]


def test_queries_do_not_grow_with_the_comuni(surveyed):
    montebruno = comune("999004")
    with CaptureQueriesContext(connection) as one:
        blocks(comune=montebruno)
    with CaptureQueriesContext(connection) as all_of_them:
        blocks()
    assert len(all_of_them) == len(one) <= 8


def test_the_page_its_exports_and_who_may_see_it(surveyed, region_user):
    office = Client()
    office.force_login(region_user)
    page = office.get(f"/admin/rilevazione-03/cruscotto/?cpt={surveyed.pk}")
    text = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "<svg" in text and "CPT Colline del Po" in text and "Chi non ha ancora inviato" in text
    csv = office.get(f"/admin/rilevazione-03/cruscotto/?cpt={surveyed.pk}&blocco=posti&esporta=csv")
    assert csv["Content-Type"].startswith("text/csv") and "CPT Colline del Po;3;171;79.7;69.9;480;35.6" in csv.content.decode()
    xlsx = office.get("/admin/rilevazione-03/cruscotto/?blocco=interventi&esporta=xlsx")
    assert xlsx.content[:2] == b"PK"
    operator = Client()
    operator.force_login(make_operator("olga", "ufficio-scuola"))
    assert operator.get("/admin/rilevazione-03/cruscotto/").status_code in (302, 403)


def test_open_data_per_cpt_without_personal_data(surveyed):
    response = Client().get(f"/rilevazione-0-3/dati-aperti/{EDITION.year}.csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("anno;cpt;comuni;comuni_rilevazione_validata;servizi_attivi;posti_autorizzati")
    row = next(line for line in lines if ";CPT Colline del Po;" in line)
    # only Montebruno is validated on both sheets: its two services, 54 places, 150 children
    assert row == f"{EDITION.year};CPT Colline del Po;3;1;2;54;43.2;150;36.0;8100.00;0;8100.00;0;2700.00;2000.00"
    body = response.content.decode()
    for personal in ("Luca", "Maria", "Valfiorita", "Montebruno", "Melograno"):
        assert personal not in body
    dictionary = Client().get("/rilevazione-0-3/dati-aperti/dizionario.csv").content.decode("utf-8-sig")
    assert "copertura_per_100;" in dictionary and len(dictionary.splitlines()) == len(dashboard.OPEN_DATA_FIELDS) + 1
    assert Client().get("/rilevazione-0-3/dati-aperti/1999.csv").status_code == 404


def test_population_upload(region_user):
    office = Client()
    office.force_login(region_user)
    url = "/admin/rilevazione-03/popolazione/carica/"
    bad = SimpleUploadedFile("p.csv", b"codice_istat;bambini_0_2\n999001;molti\n999002;40\n999003;99999999999\n", content_type="text/csv")
    page = office.post(url, {"year": "2027", "file": bad}).content.decode()
    assert "Righe non valide: 2, 4." in page and 'value="2027"' in page
    binary = SimpleUploadedFile("p.csv", b"\xff\xfe\x00garbage", content_type="text/csv")
    assert "Il file non è un CSV in UTF-8." in office.post(url, {"year": "2027", "file": binary}).content.decode()
    good = SimpleUploadedFile("p.csv", b"codice_istat;bambini_0_2\n999001;220\n123456;10\n", content_type="text/csv")
    response = office.post(url, {"year": "2027", "file": good}, follow=True)
    assert "Popolazione 2027 caricata per 1 Comuni." in response.content.decode() and "123456" in response.content.decode()
    assert ChildPopulation.objects.get(comune__istat_code="999001", year=2027).children == 220


def test_the_demo_has_sheets_in_every_state_and_its_municipal_user_signs_in(settings):
    """`make run`'s survey: every state of a sheet somewhere, and comune.valfiorita signing in with the portal's credentials."""
    import datetime

    from services.accounts import demo as accounts_demo
    from services.core import demo as demo_loaders
    from services.procedures import demo as survey_demo
    from services.procedures.states import SheetState

    context = demo_loaders.Context(today=datetime.date(2027, 4, 1))
    accounts_demo.load_users(context)
    survey_demo.load_survey_sheets(context)
    found = blocks()
    states = {header for header, n in zip(found["partecipazione"].header[2:], found["partecipazione"].rows[0][2:], strict=True) if n}
    states |= {header for header, n in zip(found["partecipazione"].header[2:], found["partecipazione"].rows[1][2:], strict=True) if n}
    assert states == {s.label for s in SheetState}
    client = Client()
    response = client.post("/account/login/", {"login": "comune.valfiorita@example.it", "password": "sportello-demo"})
    assert response.status_code == 302
    page = client.get("/area-personale/rilevazione-0-3/").content.decode()
    assert "Valfiorita" in page and "Castelrotondo" in page and "Sei abilitato su più Comuni" in page

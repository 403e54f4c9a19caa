import pytest

from services.istanze.actions import istanza_transition
from services.istanze.states import Actor, Status
from tests.accounts.saml_helpers import full_login
from tests.istanze.helpers import submitted


@pytest.fixture
def maria(client, db):
    from services.accounts.models import User

    full_login(client)
    return User.objects.get(fiscal_code="RSSMRA85C52H501N")


def test_pratiche_lists_in_progress_and_submitted(client, maria):
    istanza = submitted(maria)
    html = client.get("/area-personale/pratiche/").content.decode()
    assert istanza.number in html and "Nessuna pratica in lavorazione." in html


def test_detail_shows_state_dates_and_history(client, maria, django_user_model):
    istanza = submitted(maria)
    operator = django_user_model.objects.create_user("operatore")
    istanza = istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=operator, actor_kind=Actor.OFFICE)
    istanza_transition(istanza=istanza, to=Status.IN_ATTESA_DI_INTEGRAZIONE, by=operator, actor_kind=Actor.OFFICE,
                       note="Allega la diagnosi funzionale")
    response = client.get(f"/area-personale/pratiche/{istanza.public_id}/")
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    for text in (istanza.number, "In attesa di integrazione", "Allega la diagnosi funzionale", istanza.due_date.strftime("%d/%m/%Y")):
        assert text in html
    assert "da integrare" in client.get("/area-personale/pratiche/").content.decode()


def test_another_citizen_gets_404(client, maria, django_user_model):
    istanza = submitted(maria)
    client.logout()
    full_login(client, identity="luca.bianchi")
    assert client.get(f"/area-personale/pratiche/{istanza.public_id}/").status_code == 404
    assert client.post(f"/area-personale/pratiche/{istanza.public_id}/importante/").status_code == 404
    assert istanza.number not in client.get("/area-personale/pratiche/").content.decode()


def test_star_and_search(client, maria):
    istanza = submitted(maria)
    client.post(f"/area-personale/pratiche/{istanza.public_id}/importante/")
    istanza.refresh_from_db()
    assert istanza.starred
    html = client.get("/area-personale/pratiche/", {"number": istanza.number[-3:], "status": "inviata"}).content.decode()
    assert html.count(istanza.number) >= 2
    bad = client.get("/area-personale/pratiche/", {"date_from": "31/12/2026", "date_to": "01/01/2026"}).content.decode()
    assert "La data finale deve venire dopo quella iniziale." in bad or "Scrivi la data" in bad

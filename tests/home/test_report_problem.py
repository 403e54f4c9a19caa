from bs4 import BeautifulSoup

from home.models import InefficiencyReport
from tests.conftest import SAME_ORIGIN


def test_report_page_shows_the_form(client, demo):
    soup = BeautifulSoup(client.get("/segnala-disservizio/").content, "html.parser")
    form = soup.find("form", attrs={"action": "/disservizi/invia/"})
    assert form.find("select", attrs={"name": "category"}) and form.find("textarea", attrs={"name": "description"})


def test_valid_report_is_stored(client, demo):
    response = client.post("/disservizi/invia/", {"category": "informazioni", "description": "Orari dell'ufficio errati", "email": ""}, **SAME_ORIGIN)
    assert response.status_code == 200 and "Segnalazione inviata" in response.content.decode()
    assert InefficiencyReport.objects.get().description == "Orari dell'ufficio errati"


def test_bad_report_keeps_what_was_written(client, demo):
    response = client.post("/disservizi/invia/", {"category": "", "description": "corto", "email": "non-una-mail"}, **SAME_ORIGIN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Scegli la categoria del disservizio." in html
    assert "Descrivi il problema con almeno 10 caratteri." in html
    assert "Inserisci un indirizzo e-mail valido" in html
    assert 'value="non-una-mail"' in html and ">corto</textarea>" in html
    assert not InefficiencyReport.objects.exists()


def test_cross_site_report_is_refused(client, demo):
    response = client.post("/disservizi/invia/", {"category": "altro", "description": "Descrizione lunga abbastanza"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403

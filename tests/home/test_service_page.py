import datetime
import json

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

URL = "/servizi/educazione-e-formazione/iscrizione-oepac/"
REQUIRED_SECTIONS = [
    "A chi è rivolto", "Come fare", "Cosa serve", "Cosa si ottiene", "Tempi e scadenze",
    "Accedi al servizio", "Condizioni di servizio", "Contatti",
]


def _soup(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_page_index_lists_the_required_sections_in_order(client, demo):
    soup = _soup(client)
    labels = [a.get_text(strip=True) for a in soup.select('[data-element="page-index"] > li > a')]
    assert [l for l in labels if l in REQUIRED_SECTIONS] == REQUIRED_SECTIONS
    for a in soup.select('[data-element="page-index"] > li > a'):
        assert soup.find(id=a["href"][1:]) is not None, a["href"]


@pytest.mark.parametrize(
    "element",
    ["service-title", "service-status", "service-description", "service-addressed", "service-how-to",
     "service-needed", "service-achieved", "service-calendar-text", "service-calendar-list", "service-file",
     "service-area", "service-topic", "breadcrumb", "feedback", "metatag"],
)
def test_service_page_carries_the_model_markers(client, demo, element):
    soup = _soup(client)
    node = soup.find(attrs={"data-element": element})
    assert node is not None
    if element in ("service-addressed", "service-how-to", "service-needed", "service-achieved", "service-calendar-text"):
        assert len(node.get_text(strip=True)) >= 3


def test_breadcrumb_is_servizi_then_category(client, demo):
    soup = _soup(client)
    items = [li.get_text(" ", strip=True).rstrip("/ ").strip() for li in soup.select('[data-element="breadcrumb"] li')]
    assert items[:4] == ["Home", "Servizi", "Educazione e formazione", "Iscrizione al servizio OEPAC"]


def test_json_ld_government_service(client, demo):
    soup = _soup(client)
    data = json.loads(soup.find("script", attrs={"data-element": "metatag"}).string)
    assert data["@type"] == "GovernmentService"
    assert data["serviceOperator"]["name"] == "Comune di Valfiorita"
    location = data["availableChannel"]["serviceLocation"]
    assert location["name"] == "Municipio I - Centro"
    assert location["address"]["postalCode"] == "60010"
    assert data["availableChannel"]["name"] == "Servizio online"  # the access type's label, in Italian
    for key in ("name", "serviceType", "areaServed", "audience"):
        assert data[key]


def test_json_ld_cannot_close_the_script_element(oepac, rf):
    from home.models import EnteSettings

    oepac.summary = "</script><script>alert(1)</script>"
    text = oepac.json_ld(rf.get("/"), EnteSettings.load())
    assert "</script>" not in text and json.loads(text)["description"] == oepac.summary


def _set_window(service, opens, closes):
    service.online_opens_at, service.online_closes_at = opens, closes
    service.save_revision().publish()


def test_before_the_window_the_dates_replace_the_button(client, oepac):
    opens = datetime.datetime(2099, 2, 15, 9, 0, tzinfo=timezone.get_current_timezone())
    _set_window(oepac, opens, opens + datetime.timedelta(days=44))
    soup = _soup(client)
    assert soup.find(attrs={"data-element": "service-online-access"}) is None
    box = soup.find(attrs={"data-element": "service-generic-access"})
    assert "non è ancora aperto" in box.get_text()
    assert "15/02/2099" in box.get_text() and "31/03/2099" in box.get_text()


def test_inside_the_window_the_online_access_button_links_the_procedure(client, oepac):
    now = timezone.now()
    _set_window(oepac, now - datetime.timedelta(days=1), now + datetime.timedelta(days=1))
    soup = _soup(client)
    button = soup.find(attrs={"data-element": "service-online-access"})
    assert button["href"] == "/area-personale/pratiche/nuova/OEPAC/"  # the module's entry point, not typed by hand


def test_after_the_window_the_page_says_it_is_closed(client, oepac):
    now = timezone.now()
    _set_window(oepac, now - datetime.timedelta(days=10), now - datetime.timedelta(days=1))
    soup = _soup(client)
    assert soup.find(attrs={"data-element": "service-online-access"}) is None
    assert "è chiuso" in soup.find(attrs={"data-element": "service-generic-access"}).get_text()


def test_window_that_closes_before_it_opens_is_rejected_with_a_message_on_the_field(oepac):
    oepac.online_opens_at = timezone.now()
    oepac.online_closes_at = oepac.online_opens_at - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        oepac.full_clean()
    assert exc.value.message_dict["online_closes_at"] == ["La chiusura deve essere successiva all'apertura."]


def test_online_access_needs_a_module_that_exists(oepac):
    oepac.online_module = ""
    with pytest.raises(ValidationError) as exc:
        oepac.full_clean()
    assert exc.value.message_dict["online_module"] == ["Scegli il servizio online che i cittadini usano da questa pagina."]
    oepac.online_module = "PROCEDURA_INESISTENTE"
    with pytest.raises(ValidationError) as exc:
        oepac.full_clean()
    assert "online_module" in exc.value.message_dict


def test_booking_access_books_this_service_or_needs_an_address_without_the_booking_module(oepac, monkeypatch):
    from services.catalogue import modules

    oepac.access_type, oepac.access_url = "booking", ""
    oepac.full_clean()  # the booking module is installed: the page books this service
    assert oepac.access_href() == "/prenota-appuntamento/?servizio=iscrizione-oepac"
    monkeypatch.setitem(modules._modules, "appointments", None)
    monkeypatch.delitem(modules._modules, "appointments")
    with pytest.raises(ValidationError) as exc:
        oepac.full_clean()
    assert "access_url" in exc.value.message_dict


def test_inactive_service_shows_the_reason(client, oepac):
    oepac.is_active = False
    oepac.inactive_reason = "Servizio sospeso per manutenzione"
    oepac.save_revision().publish()
    status = _soup(client).find(attrs={"data-element": "service-status"}).get_text()
    assert "non attivo" in status and "manutenzione" in status


def test_service_page_shows_its_faq(client, demo):
    soup = _soup(client)
    questions = [s.get_text(strip=True) for s in soup.select("#domande-frequenti summary")]
    assert "Chi usa già l'OEPAC deve ripresentare la domanda?" in questions


def test_cost_section_only_when_the_service_has_a_cost(client, demo):
    paid = _soup(client, "/servizi/educazione-e-formazione/iscrizione-refezione-scolastica/")
    assert paid.find(id="quanto-costa") and "€ 1,50" in paid.find(id="quanto-costa").get_text()
    assert _soup(client).find(id="quanto-costa") is None

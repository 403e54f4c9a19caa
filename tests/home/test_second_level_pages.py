"""The national model's second-level pages: Amministrazione (Uffici, Documenti e dati), Novità (Notizie,
Comunicati, Avvisi) and Vivere il Comune (Luoghi, Eventi), each rule on the rendered page."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from home.models import EventIndexPage, EventPage, NewsPage, Office, PlaceIndexPage, PlacePage, ServicePage
from services.core.clock import SchoolYear
from tests.factories import EventPageFactory, OfficeFactory, PlacePageFactory

# The model's vocabulary for Amministrazione's second-level pages (reference/pa-standards.md §5).
MANAGEMENT_VOCABULARY = {
    "Aree amministrative", "Documenti e dati", "Enti e fondazioni", "Organi di governo", "Personale amministrativo",
    "Politici", "Uffici",
}


def _soup(client, url):
    response = client.get(url)
    return response, BeautifulSoup(response.content, "html.parser")


def _menu_target(client, element):
    _, home = _soup(client, "/")
    return home.find(attrs={"data-element": element})["href"]


def test_management_links_to_offices_and_documents_titled_from_the_vocabulary(client, demo):
    response, soup = _soup(client, _menu_target(client, "management"))
    assert response.status_code == 200
    links = {a.get_text(strip=True): a["href"] for a in soup.select('[data-element="management-category-link"]')}
    assert {"Uffici", "Documenti e dati"} <= set(links) <= MANAGEMENT_VOCABULARY
    for href in links.values():
        assert client.get(href).status_code == 200


def test_offices_page_lists_every_office_and_each_has_its_page(client, demo):
    response, soup = _soup(client, "/amministrazione/uffici/")
    assert response.status_code == 200
    links = {a.get_text(strip=True): a["href"] for a in soup.select("main h3 a")}
    assert set(links) == set(Office.objects.values_list("name", flat=True))

    office = Office.objects.get(slug="municipio-1")
    response, page = _soup(client, links[office.name])
    assert response.status_code == 200
    text = page.get_text(" ", strip=True)
    assert page.find("h1").get_text(strip=True) == office.name
    for value in (office.manager, office.phone, office.email, "Martedì e giovedì 9:00-12:00"):
        assert value in text
    services = {a.get_text(strip=True) for a in page.select('[data-element="service-link"]')}
    assert services == set(ServicePage.objects.live().filter(office=office).values_list("title", flat=True)) == {
        "Iscrizione al servizio OEPAC", "Variazione del servizio OEPAC"
    }
    crumbs = [li.get_text(strip=True).rstrip("/") for li in page.select('[data-element="breadcrumb"] li')]
    assert crumbs == ["Home", "Amministrazione", "Uffici", office.name]
    assert client.get("/amministrazione/uffici/ufficio-che-non-esiste/").status_code == 404


def test_an_unpublished_service_leaves_its_office_page(client, demo):
    service = ServicePage.objects.get(slug="variazione-oepac")
    service.unpublish()
    _, page = _soup(client, "/amministrazione/uffici/municipio-1/")
    assert [a.get_text(strip=True) for a in page.select('[data-element="service-link"]')] == ["Iscrizione al servizio OEPAC"]


def test_service_page_links_its_office_page(client, oepac):
    _, soup = _soup(client, oepac.url)
    link = soup.select_one('[data-element="service-area"] h3 a')
    assert link.get_text(strip=True) == oepac.office.name and link["href"] == "/amministrazione/uffici/municipio-1/"


def test_documents_page_groups_public_documents_and_names_the_pages_that_attach_them(client, demo):
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction

    response, soup = _soup(client, "/amministrazione/documenti-e-dati/")
    assert response.status_code == 200
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]
    assert headings == ["Condizioni e regolamenti", "Moduli", "Tariffe"]
    text = soup.get_text(" ", strip=True)
    for title in ("Condizioni dei servizi scolastici", "Modulo di richiesta di rimborso del credito del conto mensa",
                  "Tariffe della refezione scolastica", "Tariffe del trasporto scolastico"):
        assert title in text
    conditions = soup.find("a", string="Condizioni dei servizi scolastici")
    assert client.get(conditions["href"]).status_code == 200
    item = conditions.find_parent("li")
    assert "Iscrizione al servizio OEPAC" in item.get_text()

    # A collection with a privacy restriction (or below one) is never listed.
    moduli = Collection.objects.get(name="Moduli")
    inner = moduli.add_child(name="Interni")
    Document.objects.create(title="Verbale riservato", file="documents/verbale.pdf", collection=inner)
    CollectionViewRestriction.objects.create(collection=moduli, restriction_type="login")
    _, soup = _soup(client, "/amministrazione/documenti-e-dati/")
    text = soup.get_text(" ", strip=True)
    assert "Verbale riservato" not in text and "Modulo di richiesta di rimborso" not in text
    assert "Tariffe della refezione scolastica" in text


def test_news_links_its_three_categories_and_each_lists_only_its_type(client, demo):
    response, soup = _soup(client, _menu_target(client, "news"))
    links = [(a.get_text(strip=True), a["href"]) for a in soup.select('[data-element="news-category-link"]')]
    assert [title for title, _ in links] == ["Notizie", "Comunicati", "Avvisi"]
    for (title, href), news_type in zip(links, ("notizia", "comunicato", "avviso"), strict=True):
        response, page = _soup(client, href)
        assert response.status_code == 200 and page.find("h1").get_text(strip=True) == title
        shown = {a.get_text(strip=True) for a in page.select("main .card-title a")}
        assert shown == set(NewsPage.objects.live().filter(news_type=news_type).values_list("title", flat=True)) and shown
    assert client.get("/novita/categoria-inventata/").status_code == 404
    assert client.get("/novita/feed/").status_code == 200


def test_live_section_links_places_and_events(client, demo):
    response, soup = _soup(client, _menu_target(client, "live"))
    assert response.status_code == 200
    locations = soup.find(attrs={"data-element": "live-button-locations"})
    events = soup.find(attrs={"data-element": "live-button-events"})
    assert locations.get_text(strip=True) == "Luoghi" and events.get_text(strip=True) == "Eventi"
    _, places = _soup(client, locations["href"])
    groups = [h.get_text(strip=True) for h in places.select("main h2")]
    assert groups == ["Scuole", "Mense e centri cottura", "Sportelli al pubblico"]
    text = places.get_text(" ", strip=True)
    assert "Sportello URP in Piazza del Municipio" in text and "Centro cottura comunale" in text
    assert "Piazza del Municipio 1" in text


def test_place_page_has_address_hours_office_and_its_next_events(client, demo):
    place = PlacePage.objects.get(slug="urp-piazza-del-municipio")
    response, soup = _soup(client, place.url)
    assert response.status_code == 200
    text = soup.get_text(" ", strip=True)
    assert "Piazza del Municipio 1" in text and "8:30-13:00" in text
    assert soup.find("a", href="/amministrazione/uffici/urp/").get_text(strip=True) == "Ufficio Relazioni con il Pubblico"
    upcoming = EventPage.objects.live().filter(place=place, end_at__gte=timezone.now())
    for event in upcoming:
        assert event.title in text


def test_events_are_split_into_upcoming_and_past(client, demo):
    index = EventIndexPage.objects.get()
    now = timezone.now()
    place = PlacePage.objects.get(slug="centro-cottura-comunale")
    for slug, title, delta in (("ieri", "Evento di ieri", -1), ("domani", "Evento di domani", 1)):
        EventPageFactory(parent=index, slug=slug, title=title, place=place,
                         start_at=now + datetime.timedelta(days=delta), end_at=now + datetime.timedelta(days=delta, hours=1))
    _, soup = _soup(client, index.url)
    upcoming = soup.find(id="events-upcoming").find_parent("section").get_text(" ", strip=True)
    past = soup.find(id="events-past").find_parent("section").get_text(" ", strip=True)
    assert "Evento di domani" in upcoming and "Evento di domani" not in past
    assert "Evento di ieri" in past and "Evento di ieri" not in upcoming
    # the cached listing lasts no longer than the next event's end
    assert index.page_cache_timeout() <= 24 * 3600 + 3600
    response, page = _soup(client, EventPage.objects.get(slug="domani").url)
    assert "Centro cottura comunale" in page.get_text()


def test_demo_events_fall_in_the_current_school_year(demo):
    year = SchoolYear.current()
    for event in EventPage.objects.filter(slug__in=["primo-giorno-di-scuola", "festa-fine-anno-scolastico"]):
        assert year.start <= timezone.localtime(event.start_at).date() <= year.end


def test_an_event_cannot_end_before_it_starts(demo):
    now = timezone.now()
    event = EventPage(title="x", slug="x", summary="s", body="b", start_at=now, end_at=now - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert "end_at" in error.value.message_dict


def test_demo_topics_have_descriptions_shown_on_the_topics_page(client, demo):
    from home.models import Topic

    _, soup = _soup(client, "/argomenti/")
    text = soup.get_text(" ", strip=True)
    for topic in Topic.objects.all():
        assert topic.description and topic.description in text


@pytest.mark.parametrize("url", [
    "/amministrazione/", "/amministrazione/uffici/", "/amministrazione/uffici/municipio-1/",
    "/amministrazione/documenti-e-dati/", "/novita/avvisi/", "/vivere-il-comune/", "/vivere-il-comune/luoghi/",
    "/vivere-il-comune/luoghi/centro-cottura-comunale/", "/vivere-il-comune/eventi/",
])
def test_second_level_pages_stay_within_the_query_budget_as_content_grows(client, demo, settings, url):
    settings.PAGE_CACHE_ENABLED = False
    client.get(url)  # warm the per-process caches (routes, menu, footer, settings)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    places, events = PlaceIndexPage.objects.get(), EventIndexPage.objects.get()
    now = timezone.now()
    kitchen = PlacePage.objects.get(slug="centro-cottura-comunale")
    for i in range(8):
        PlacePageFactory(parent=places)
        EventPageFactory(parent=events, place=kitchen, start_at=now + datetime.timedelta(days=i + 1))
        OfficeFactory()
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries) <= 10, [q["sql"] for q in after.captured_queries]


def test_sitemap_lists_the_sub_pages_of_routable_pages(client, demo):
    text = client.get("/sitemap.xml").content.decode()
    for path in ("/amministrazione/uffici/municipio-1/", "/argomenti/istruzione/", "/novita/avvisi/",
                 "/vivere-il-comune/luoghi/centro-cottura-comunale/", "/vivere-il-comune/eventi/primo-giorno-di-scuola/"):
        assert path + "</loc>" in text, path

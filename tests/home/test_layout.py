"""Menu, footer, generic pages and the 404 page."""

from bs4 import BeautifulSoup


def _soup(client, url):
    response = client.get(url)
    return response, BeautifulSoup(response.content, "html.parser")


def test_primary_menu_has_the_model_items_in_order(client, demo):
    _, soup = _soup(client, "/")
    elements = [a["data-element"] for a in soup.select('[data-element="main-navigation"] a[data-element]')]
    assert elements == ["management", "news", "all-services", "live"]
    assert soup.find(attrs={"data-element": "personal-area-login"})["href"] == "/area-personale/"


def test_footer_links_carry_their_markers(client, demo):
    _, soup = _soup(client, "/")
    faq = soup.find(attrs={"data-element": "faq"})
    assert "faq" in faq.get_text().lower()
    assert soup.find(attrs={"data-element": "report-inefficiency"}).get_text(strip=True) == "Segnala disservizio"
    assert soup.find(attrs={"data-element": "accessibility-link"})["href"].startswith("https://form.agid.gov.it/")
    assert soup.find(attrs={"data-element": "privacy-policy-link"})["href"] == "/privacy/"
    assert soup.find(attrs={"data-element": "legal-notes"})["href"] == "/note-legali/"
    assert "piano di miglioramento del sito" in soup.find("footer").get_text().lower()


def test_legal_notes_have_the_cc_by_license_section(client, demo):
    _, soup = _soup(client, "/note-legali/")
    heading = soup.find(attrs={"data-element": "legal-notes-section"})
    assert heading.name == "h2" and heading.get_text(strip=True) == "Licenza dei contenuti"  # the heading alone
    bodies = soup.find_all(attrs={"data-element": "legal-notes-body"})
    text = " ".join(b.get_text(" ", strip=True) for b in bodies)
    assert text.startswith("In applicazione del principio open by default ai sensi dell’articolo 52")
    assert text.endswith("con il solo onere di attribuzione, senza apporre restrizioni aggiuntive.")


def test_services_index_links_categories_and_category_links_services(client, demo):
    _, soup = _soup(client, "/servizi/")
    categories = soup.select('[data-element="service-category-link"]')
    assert len(categories) == 3
    _, soup = _soup(client, categories[0]["href"])
    assert soup.select('[data-element="service-link"]')


def test_every_live_service_is_listed_on_the_services_page_itself(client, demo):
    """The model's checks collect the services from the page behind `all-services` alone."""
    from home.models import ServicePage

    home, soup = _soup(client, "/")
    all_services = soup.find(attrs={"data-element": "all-services"})["href"]
    _, soup = _soup(client, all_services)
    links = {a["href"]: a.get_text(strip=True) for a in soup.select('[data-element="service-link"]')}
    live = ServicePage.objects.live()
    assert len(links) == live.count() >= 12
    for service in live:
        assert links[service.url] == service.title
        assert client.get(service.url).status_code == 200
    # grouped under their category's heading, the categories kept as filters above
    assert len(soup.select('[data-element="service-category-link"]')) == 3
    oepac = soup.find("a", attrs={"data-element": "service-link"}, string="Iscrizione al servizio OEPAC")
    assert oepac.find_parent("section").find("h3").get_text(strip=True) == "Educazione e formazione"
    # an unpublished service leaves the list
    unpublished = live.get(slug="diete-speciali")
    unpublished.unpublish()
    _, soup = _soup(client, all_services)
    assert unpublished.title not in [a.get_text(strip=True) for a in soup.select('[data-element="service-link"]')]


def test_at_least_twelve_services_are_reachable_from_servizi(client, demo):
    _, soup = _soup(client, "/servizi/")
    services = set()
    for link in soup.select('[data-element="service-category-link"]'):
        _, category = _soup(client, link["href"])
        services |= {a["href"] for a in category.select('[data-element="service-link"]')}
    assert len(services) >= 12


def test_category_pages_services_with_load_more(client, demo, settings):
    from home.models import services as services_module

    settings.PAGE_CACHE_ENABLED = False
    services_module.SERVICES_PER_PAGE, old = 2, services_module.SERVICES_PER_PAGE
    try:
        _, soup = _soup(client, "/servizi/educazione-e-formazione/")
        more = soup.find(attrs={"data-element": "load-other-cards"})
        assert more is not None and more["href"] == "?page=2"
        _, page2 = _soup(client, "/servizi/educazione-e-formazione/?page=2")
        assert page2.select('[data-element="service-link"]')
    finally:
        services_module.SERVICES_PER_PAGE = old


def test_unknown_url_gets_a_styled_404_with_a_search_box(client, demo):
    response, soup = _soup(client, "/non-esiste/affatto/")
    assert response.status_code == 404
    assert soup.find("h1").get_text(strip=True) == "Pagina non trovata"
    assert soup.find("form", attrs={"role": "search"}).find("input", attrs={"name": "q"})
    assert soup.find(attrs={"data-element": "main-navigation"})


def test_home_shows_featured_services_and_latest_news(client, demo):
    _, soup = _soup(client, "/")
    assert len(soup.select('[data-element="service-link"]')) == 4
    assert "Ultime novità" in soup.get_text()


def test_no_third_party_resources(client, demo):
    _, soup = _soup(client, "/servizi/educazione-e-formazione/iscrizione-oepac/")
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
        for node in soup.find_all(tag):
            url = node.get(attr) or ""
            assert not url.startswith(("http://", "https://", "//")), url


def test_the_home_links_the_topics_page_and_each_topic_lists_what_carries_it(client, demo):
    from home.models import Faq, NewsPage, ServicePage, Topic

    _, home = _soup(client, "/")
    topics_url = home.find(attrs={"data-element": "all-topics"})["href"]
    response, soup = _soup(client, topics_url)
    assert response.status_code == 200
    elements = {a.get_text(strip=True): a["href"] for a in soup.select('[data-element="topic-element"]')}
    assert set(elements) == set(Topic.objects.values_list("name", flat=True)) and len(elements) >= 5
    # the model's controlled vocabulary: at least half of the topics come from it (C.SI.1.5)
    vocabulary = {"Istruzione", "Trasporto pubblico", "Comunicazione istituzionale", "Assistenza sociale", "Assistenza agli invalidi"}
    assert sum(name in vocabulary for name in elements) * 2 >= len(elements)
    istruzione = Topic.objects.get(slug="istruzione")
    response, page = _soup(client, elements["Istruzione"])
    assert response.status_code == 200 and page.find("h1").get_text(strip=True) == "Istruzione"
    services = {a.get_text(strip=True) for a in page.select('[data-element="service-link"]')}
    assert services == set(ServicePage.objects.live().filter(topics=istruzione).values_list("title", flat=True)) and services
    for news in NewsPage.objects.live().filter(topics=istruzione):
        assert news.title in page.get_text()
    for faq in Faq.objects.filter(topic=istruzione):
        assert faq.question in page.get_text()
    assert client.get(topics_url + "argomento-che-non-esiste/").status_code == 404

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

import pytest
from bs4 import BeautifulSoup

from home.models import GenericPage
from search.selectors import clean_query, site_search


def test_results_grouped_by_type_with_counts(demo):
    result = site_search("mensa", record_hit=False)
    counts = {g.key: g.count for g in result["groups"]}
    assert counts["servizi"] >= 3 and counts["faq"] >= 1 and counts["notizie"] >= 1
    assert result["total"] == sum(counts.values())


def test_search_page_shows_tabs_and_results(client, demo):
    soup = BeautifulSoup(client.get("/cerca/?q=ricarica").content, "html.parser")
    tabs = [a.get_text(" ", strip=True) for a in soup.select(".nav-tabs a")]
    assert any(t.startswith("Servizi") for t in tabs) and any(t.startswith("Domande frequenti") for t in tabs)
    assert "Ricarica del conto mensa" in soup.get_text()


def test_faq_tab(client, demo):
    soup = BeautifulSoup(client.get("/cerca/?q=disdire&tipo=faq").content, "html.parser")
    assert "Entro che ora posso disdire il pasto?" in soup.get_text()


def test_empty_query_shows_help(client, demo):
    response = client.get("/cerca/?q=")
    assert response.status_code == 200 and "Scrivi una o più parole" in response.content.decode()


def test_no_results_state(client, demo):
    html = client.get("/cerca/?q=zzzyyyxxx").content.decode()
    assert "Nessun risultato per «zzzyyyxxx»" in html and "Prova con parole più generali" in html


@pytest.mark.parametrize(
    "query",
    ['"', "'", "a'b", "*", "NEAR(", "a OR", "AND", "(((", "\x00", "\u202eabc", "日本語", "😀", "%", "x" * 5000, "-mensa", "mensa:", "^", "{}[]"],
)
def test_odd_queries_never_error(client, demo, query):
    assert client.get("/cerca/", {"q": query}).status_code == 200


def test_clean_query():
    assert clean_query("  dall'ufficio   scuola!! ") == "dall ufficio scuola"
    assert len(clean_query("a" * 1000)) == 200
    assert clean_query("\x00\x01") == ""


def test_promoted_results_are_shown_first(client, demo):
    privacy = GenericPage.objects.get(slug="privacy")
    SearchPromotion.objects.create(query=Query.get("cookie"), page=privacy, description="Quali cookie usiamo")
    soup = BeautifulSoup(client.get("/cerca/?q=cookie").content, "html.parser")
    promoted = soup.find(id="promoted-title").find_parent("section")
    assert "Informativa privacy" in promoted.get_text() and "Quali cookie usiamo" in promoted.get_text()


def test_pagination_of_a_group(client, demo, monkeypatch):
    from search import selectors

    monkeypatch.setattr(selectors, "PER_PAGE", 2)
    soup = BeautifulSoup(client.get("/cerca/?q=servizio&tipo=servizi&page=2").content, "html.parser")
    assert "Pagina 2 di" in soup.get_text()

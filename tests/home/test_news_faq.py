import json
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup

from home.models import NewsPage


def _soup(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_news_index_lists_newest_first(client, demo):
    soup = _soup(client, "/novita/")
    titles = [h.get_text(strip=True) for h in soup.select(".card-title")]
    newest = NewsPage.objects.live().order_by("-date").first()
    assert titles[0] == newest.title and len(titles) == NewsPage.objects.live().count()


def test_news_filters_by_type_and_topic(client, demo):
    soup = _soup(client, "/novita/?tipo=avviso")
    kinds = {c.get_text(strip=True) for c in soup.select(".category-top .category")}
    assert kinds == {"Avviso"}
    soup = _soup(client, "/novita/?argomento=disabilita")
    assert [h.get_text(strip=True) for h in soup.select(".card-title")] == ["La domanda OEPAC si presenta online"]


def test_news_filters_ignore_unknown_values(client, demo):
    soup = _soup(client, "/novita/?tipo=<script>&argomento=nessuno&page=abc")
    assert len(soup.select(".card-title")) == NewsPage.objects.live().count()


def test_news_pagination(client, demo, monkeypatch):
    from home.models import news

    monkeypatch.setattr(news, "NEWS_PER_PAGE", 3)
    soup = _soup(client, "/novita/?tipo=&page=2")
    assert len(soup.select(".card-title")) == 3
    assert "Pagina 2 di 3" in soup.get_text()


def test_rss_feed(client, demo):
    response = client.get("/novita/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    items = root.findall("./channel/item")
    assert len(items) == NewsPage.objects.live().count()
    assert items[0].find("link").text.startswith("http://testserver/novita/")


def test_news_page_attachments_and_related_services(client, demo):
    soup = _soup(client, "/novita/domanda-oepac-online/")
    related = [a.get_text(strip=True) for a in soup.select("section ul li a")]
    assert "Iscrizione al servizio OEPAC" in related


def test_faq_page_groups_questions_by_topic_with_json_ld(client, demo):
    soup = _soup(client, "/domande-frequenti/")
    groups = [h.get_text(strip=True) for h in soup.select("section > h2")]
    assert "Pagamenti" in groups and "Istruzione" in groups
    assert len(soup.select("details.faq-item")) >= 15
    data = json.loads(soup.find("script", attrs={"data-element": "metatag"}).string)
    assert data["@type"] == "FAQPage" and len(data["mainEntity"]) >= 15
    assert data["mainEntity"][0]["acceptedAnswer"]["text"]

import re

import pytest
from playwright.sync_api import expect

from home.models import PageFeedback
from tests.browser.helpers import axe_serious

pytestmark = pytest.mark.browser


def test_home_to_service_page_through_the_menu(site, page):
    page.goto(site + "/")
    page.click('[data-element="all-services"]')
    page.wait_for_url(re.compile(r"/servizi/$"))
    page.click('[data-element="service-category-link"] >> text=Educazione e formazione')
    page.click('[data-element="service-link"] >> text=Iscrizione al servizio OEPAC')
    page.wait_for_url(re.compile(r"/iscrizione-oepac/$"))
    assert page.text_content('[data-element="service-title"]') == "Iscrizione al servizio OEPAC"
    page.click('[data-element="page-index"] >> text=Contatti')
    assert page.url.endswith("#contatti")
    assert page.is_visible('[data-element="service-area"]')


def test_rating_widget_with_javascript(site, page):
    page.goto(site + "/servizi/educazione-e-formazione/iscrizione-oepac/")
    assert not page.is_visible('[data-element="feedback-rating-positive"]')
    page.click('[data-element="feedback-rate-5"]')
    assert page.is_visible('[data-element="feedback-rating-positive"]')
    assert not page.is_visible('[data-element="feedback-rating-negative"]')
    page.click('[data-element="feedback-rate-2"]')
    assert page.is_visible('[data-element="feedback-rating-negative"]')
    page.click('[data-element="feedback-rating-negative"] label >> nth=1')
    page.fill('[data-element="feedback-input-text"]', "Mancano gli orari")
    page.click(".feedback-form button[type=submit]")
    page.wait_for_selector(".cmp-rating__card-thanks", state="visible")
    feedback = PageFeedback.objects.get()
    assert (feedback.rating, feedback.answer, feedback.comment) == (2, "incomplete", "Mancano gli orari")


def test_rating_widget_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/servizi/educazione-e-formazione/iscrizione-oepac/")
    # Without JavaScript both answer groups are visible, each saying when it applies.
    assert page.is_visible('[data-element="feedback-rating-positive"]')
    assert page.is_visible('[data-element="feedback-rating-negative"]')
    page.click('[data-element="feedback-rate-4"]')
    page.click('label[for="answer-chiare"]')
    page.click(".feedback-form button[type=submit]")
    assert "Grazie per la valutazione" in page.text_content("h1")
    assert PageFeedback.objects.get().rating == 4
    context.close()


def test_search(site, page):
    page.goto(site + "/")
    page.fill("#home-search", "mensa")
    page.press("#home-search", "Enter")
    page.wait_for_url(re.compile(r"/cerca/\?q=mensa"))
    assert "risultati per «mensa»" in page.text_content("[role=status]")
    page.click(".nav-tabs >> text=Domande frequenti")
    # The tab is a link: wait for the new page before counting its results (counting at once raced the navigation).
    page.wait_for_url(re.compile(r"tipo=faq"))
    page.wait_for_load_state()
    expect(page.locator(".nav-tabs [aria-current=page]")).to_contain_text("Domande frequenti")
    assert page.locator("h3").count() >= 1


@pytest.mark.parametrize(
    "path",
    ["/", "/servizi/", "/servizi/educazione-e-formazione/iscrizione-oepac/", "/novita/",
     "/novita/domanda-oepac-online/", "/domande-frequenti/", "/cerca/?q=mensa", "/segnala-disservizio/", "/non-esiste/",
     "/argomenti/", "/argomenti/istruzione/", "/note-legali/", "/amministrazione/", "/amministrazione/uffici/",
     "/amministrazione/uffici/municipio-1/", "/amministrazione/documenti-e-dati/", "/novita/avvisi/", "/vivere-il-comune/",
     "/vivere-il-comune/luoghi/", "/vivere-il-comune/luoghi/centro-cottura-comunale/", "/vivere-il-comune/eventi/",
     "/vivere-il-comune/eventi/incontro-oepac-famiglie/"],
)
def test_no_serious_accessibility_violations(site, page, path):
    page.goto(site + path)
    assert axe_serious(page) == []

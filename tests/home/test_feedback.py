
from django.test import Client

import pytest
from bs4 import BeautifulSoup

from home.models import PageFeedback, ServicePage
from tests.conftest import SAME_ORIGIN


@pytest.fixture
def page(demo):
    return ServicePage.objects.get(slug="iscrizione-oepac")


def test_widget_markup_has_the_model_markers(client, page):
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    widget = soup.find(attrs={"data-element": "feedback"})
    assert widget.find(attrs={"data-element": "feedback-title"}).get_text(strip=True) == "Quanto sono chiare le informazioni su questa pagina?"
    for n in range(1, 6):
        assert widget.find(attrs={"data-element": f"feedback-rate-{n}"})
    for block in ("feedback-rating-positive", "feedback-rating-negative"):
        node = widget.find(attrs={"data-element": block})
        assert node.find(attrs={"data-element": "feedback-rating-question"})
        assert len(node.find_all(attrs={"data-element": "feedback-rating-answer"})) == 5
    assert widget.find(attrs={"data-element": "feedback-input-text"})
    assert not widget.find("input", attrs={"name": "csrfmiddlewaretoken"})


def test_valid_rating_is_stored(client, page):
    response = client.post("/valutazione/", {"page": page.id, "rating": "5", "answer": "chiare", "comment": " ottimo "}, **SAME_ORIGIN)
    assert response.status_code == 200
    feedback = PageFeedback.objects.get()
    assert (feedback.page_id, feedback.rating, feedback.answer, feedback.comment) == (page.id, 5, "chiare", "ottimo")


def test_json_submission_for_the_script(client, page):
    response = client.post("/valutazione/", {"page": page.id, "rating": "2", "answer": "incomplete"},
                           HTTP_ACCEPT="application/json", **SAME_ORIGIN)
    assert response.json() == {"ok": True}


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"rating": "6", "answer": "chiare"}, "rating", "La valutazione deve essere un numero di stelle da 1 a 5."),
        ({"rating": "0", "answer": "chiare"}, "rating", "La valutazione deve essere un numero di stelle da 1 a 5."),
        ({"rating": "abc", "answer": "chiare"}, "rating", "La valutazione deve essere un numero di stelle da 1 a 5."),
        ({"answer": "chiare"}, "rating", "Scegli da 1 a 5 stelle."),
        ({"rating": "5", "answer": "hacked"}, "answer", "La risposta scelta non è tra quelle proposte."),
        ({"rating": "5", "answer": "non-chiare"}, "answer", "Con 5 stelle scegli una risposta tra gli aspetti che hai preferito."),
        ({"rating": "2", "answer": "chiare"}, "answer", "Con 2 stelle scegli una risposta tra le difficoltà incontrate."),
        ({"rating": "4", "answer": "chiare", "comment": "x" * 201}, "comment", "Il commento può avere al massimo 200 caratteri (ne hai scritti 201)."),
    ],
)
def test_bad_ratings_are_rejected_with_a_message(client, page, data, field, message):
    response = client.post("/valutazione/", {"page": page.id, **data}, HTTP_ACCEPT="application/json", **SAME_ORIGIN)
    assert response.status_code == 400
    assert response.json()["errors"][field][0]["message"] == message
    assert not PageFeedback.objects.exists()


def test_without_javascript_errors_come_back_with_the_input_kept(client, page):
    response = client.post("/valutazione/", {"page": page.id, "rating": "5", "answer": "non-chiare", "comment": "il mio testo"}, **SAME_ORIGIN)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Con 5 stelle scegli una risposta" in html and "il mio testo" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("input", attrs={"name": "rating", "value": "5"}).has_attr("checked")


def test_forged_page_id_is_rejected(client, demo):
    response = client.post("/valutazione/", {"page": 999999, "rating": "5", "answer": "chiare"}, HTTP_ACCEPT="application/json", **SAME_ORIGIN)
    assert response.status_code == 400
    assert response.json()["errors"]["page"][0]["message"] == "La pagina da valutare non esiste."


def test_cross_site_post_is_refused(client, page):
    response = client.post("/valutazione/", {"page": page.id, "rating": "5", "answer": "chiare"}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    response = client.post("/valutazione/", {"page": page.id, "rating": "5", "answer": "chiare"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert not PageFeedback.objects.exists()


def test_post_of_unknown_origin_needs_a_confirmation_with_a_token(page):
    client = Client(enforce_csrf_checks=True)
    data = {"page": page.id, "rating": "4", "answer": "complete", "comment": "conservato"}
    response = client.post("/valutazione/", data)
    assert response.status_code == 200 and not PageFeedback.objects.exists()
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", attrs={"action": "/valutazione/"})
    fields = {i["name"]: i["value"] for i in form.find_all("input")}
    assert fields["comment"] == "conservato" and fields["csrfmiddlewaretoken"]
    assert "no-store" in response["Cache-Control"]
    response = client.post("/valutazione/", fields)
    assert response.status_code == 200
    assert PageFeedback.objects.get().comment == "conservato"


def test_get_is_not_allowed(client, demo):
    assert client.get("/valutazione/").status_code == 405


def test_editors_see_ratings_per_page(client, page, superuser):
    for rating in (5, 3):
        client.post("/valutazione/", {"page": page.id, "rating": str(rating), "answer": "chiare" if rating > 3 else "incomplete"}, **SAME_ORIGIN)
    client.force_login(superuser)
    html = client.get("/admin/valutazioni-riepilogo/").content.decode()
    assert page.title in html and "4,0" in html
    assert client.get("/admin/valutazioni/").status_code == 200


def test_ratings_summary_is_for_staff_only(client, page, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nessuno", password="x", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/valutazioni-riepilogo/").status_code in (302, 403)


MODEL_QUESTIONS = {"feedback-rating-positive": "Quali sono stati gli aspetti che hai preferito?",
                   "feedback-rating-negative": "Dove hai incontrato le maggiori difficoltà?"}
MODEL_ANSWERS = {
    "feedback-rating-positive": ["Le indicazioni erano chiare", "Le indicazioni erano complete",
                                 "Capivo sempre che stavo procedendo correttamente", "Non ho avuto problemi tecnici", "Altro"],
    "feedback-rating-negative": ["A volte le indicazioni non erano chiare", "A volte le indicazioni non erano complete",
                                 "A volte non capivo se stavo procedendo correttamente", "Ho avuto problemi tecnici", "Altro"],
}


def _follow_ups(html):
    widget = BeautifulSoup(html, "html.parser")
    found = {}
    for block in MODEL_QUESTIONS:
        node = widget.find(attrs={"data-element": block})
        found[block] = (node.find(attrs={"data-element": "feedback-rating-question"}).get_text(strip=True),
                        [a.get_text(strip=True) for a in node.find_all(attrs={"data-element": "feedback-rating-answer"})])
    return found


def test_the_follow_up_questions_and_answers_are_the_models_word_for_word(client, page):
    found = _follow_ups(client.get(page.url).content)
    for block, question in MODEL_QUESTIONS.items():
        assert found[block] == (question, MODEL_ANSWERS[block]), block


def test_the_service_rating_after_sending_asks_the_same(client_maria, maria):
    from services.istanze.states import Status
    from tests.factories import IstanzaFactory

    istanza = IstanzaFactory(owner=maria, procedure_code="SERV06_UTENTI", status=Status.INVIATA, number="SERV06_UTENTI_2026.0000001")
    found = _follow_ups(client_maria.get(f"/area-personale/pratiche/{istanza.public_id}/inviata/").content)
    for block, question in MODEL_QUESTIONS.items():
        assert found[block] == (question, MODEL_ANSWERS[block]), block


def test_old_answers_keep_their_meaning(page, db):
    import importlib

    migration = importlib.import_module("home.migrations.0005_rating_answers_of_the_model")
    kept = PageFeedback.objects.create(page=page, rating=5, answer="chiare", comment="Bene")
    retired = PageFeedback.objects.create(page=page, rating=4, answer="aggiornate", comment="Orari giusti")
    negative = PageFeedback.objects.create(page=page, rating=2, answer="non-trovato")
    migration.remap(PageFeedback)
    for row in (kept, retired, negative):
        row.refresh_from_db()
    assert (kept.answer, kept.comment) == ("chiare", "Bene")
    assert (retired.answer, retired.comment) == ("altro-positivo", "Le informazioni erano aggiornate. Orari giusti")
    assert (negative.answer, negative.comment) == ("altro-negativo", "Non ho capito dove trovare le informazioni.")

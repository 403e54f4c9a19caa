"""The service page as the place of the transaction: a signed-in citizen sees their own state for the page's online
module in *Accedi al servizio*, with the next action there; an anonymous visitor gets the cached page."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from services.istanze.models import Istanza
from services.istanze.states import Status
from services.meals.actions import ledger_post, wallet_get_or_create
from services.meals.models import Child, FeeBand, MealChange
from services.payments.models import PaymentPosition
from services.schools.models import School
from tests.factories import IstanzaFactory
from tests.istanze.helpers import make_citizen, spid_login

OEPAC_URL = "/servizi/educazione-e-formazione/iscrizione-oepac/"
TOPUP_URL = "/servizi/tributi-finanze-e-contravvenzioni/ricarica-conto-mensa/"
CHANGES_URL = "/servizi/educazione-e-formazione/disdetta-pasto/"


def _panel(response, name):
    return BeautifulSoup(response.content, "html.parser").find(attrs={"data-panel": name})


@pytest.fixture
def maria_client(client, demo):
    return spid_login(client, make_citizen("maria"))


def test_anonymous_page_has_no_panel_and_stays_shareable(client, demo):
    response = client.get(OEPAC_URL)
    assert _panel(response, "procedure") is None and "Set-Cookie" not in response
    assert "public" in response["Cache-Control"] and "Cookie" not in response.get("Vary", "")
    assert client.get(OEPAC_URL).get("X-Page-Cache", "hit").lower() == "hit"


def test_a_draft_is_offered_to_resume_or_restart_and_the_page_is_private(maria_client):
    maria = make_citizen("maria")
    draft = IstanzaFactory(owner=maria, procedure_code="OEPAC", status=Status.BOZZA)
    response = maria_client.get(OEPAC_URL)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    panel = _panel(response, "procedure")
    assert f"Hai una bozza salvata il {timezone.localtime(draft.updated_at):%d/%m/%Y}" in panel.get_text()
    form = panel.find("form")
    assert form["action"] == "/area-personale/pratiche/nuova/OEPAC/"
    assert {b["value"] for b in form.find_all("button")} == {"riprendi", "ricomincia"}
    # Riprendi from the page goes on with the same draft
    response = maria_client.post(form["action"], {"scelta": "riprendi"})
    assert response.status_code == 302 and str(draft.public_id) in response["Location"]


def test_applications_in_the_offices_hands_and_an_integration_to_send(maria_client):
    maria = make_citizen("maria")
    taken = IstanzaFactory(owner=maria, procedure_code="OEPAC", status=Status.PRESA_IN_CARICO, number="OEPAC_2026.0000004",
                           submitted_at=timezone.now(), taken_in_charge_at=timezone.now(), due_date=date(2027, 1, 15))
    fix = IstanzaFactory(owner=maria, procedure_code="OEPAC", status=Status.IN_ATTESA_DI_INTEGRAZIONE, number="OEPAC_2026.0000005",
                         submitted_at=timezone.now())
    text = _panel(maria_client.get(OEPAC_URL), "procedure")
    words = " ".join(text.get_text(" ", strip=True).split())
    assert (f"La tua domanda OEPAC_2026.0000004 è in lavorazione, presa in carico il {timezone.localdate():%d/%m/%Y}, "
            "conclusione entro il 15/01/2027") in words
    assert "Il Comune ti chiede di integrare la domanda OEPAC_2026.0000005" in words
    link = text.find("a", string="Correggi e invia")
    assert link["href"] == f"/area-personale/pratiche/{fix.public_id}/"
    assert text.find("a", string="Presenta una nuova domanda")
    assert f"/area-personale/pratiche/{taken.public_id}/" in str(text)


def test_another_familys_applications_are_never_shown(maria_client):
    luca = make_citizen("luca")
    IstanzaFactory(owner=luca, procedure_code="OEPAC", status=Status.PRESA_IN_CARICO, number="OEPAC_2026.0000099")
    IstanzaFactory(owner=luca, procedure_code="OEPAC", status=Status.BOZZA)
    text = _panel(maria_client.get(OEPAC_URL), "procedure").get_text()
    assert "OEPAC_2026.0000099" not in text and "bozza" not in text.lower().replace("ricominciando, la bozza", "")
    assert "Inizia la domanda" in text


def test_a_closed_window_says_why_no_new_application(maria_client, oepac, settings):
    settings.PROCEDURE_WINDOWS = {"OEPAC": ["2020-01-01T09:00:00+01:00", "2020-02-01T12:00:00+01:00"]}
    panel = _panel(maria_client.get(OEPAC_URL), "procedure")
    assert "è scaduto il 01/02/2020" in panel.get_text() and panel.find("a", string="Inizia la domanda") is None


@pytest.fixture
def wallet(demo):
    maria = make_citizen("maria")
    wallet = wallet_get_or_create(holder=maria)
    ledger_post(wallet_id=wallet.pk, kind="opening", amount=Decimal("12.40"), reference="opening:test", description="Saldo iniziale")
    return wallet


def test_topup_panel_shows_balance_and_pending_and_tops_up_from_the_page(maria_client, wallet):
    response = maria_client.get(TOPUP_URL)
    panel = _panel(response, "meals-topup")
    assert panel.find(id="panel-balance").get_text(strip=True) == "€ 12,40"
    form = panel.find("form")
    assert form["action"] == "/area-personale/conto-mensa/ricarica/"
    assert form.find("input", attrs={"name": "ritorno"})["value"] == TOPUP_URL
    response = maria_client.post(form["action"], {"amount": "15", "how": "avviso", "ritorno": TOPUP_URL})
    assert response.status_code == 302
    position = PaymentPosition.objects.get(owner=wallet.holder, purpose="wallet-topup")
    assert position.amount == Decimal("15.00")
    panel = _panel(maria_client.get(TOPUP_URL), "meals-topup")
    assert position.nav in panel.get_text()


def test_a_refused_amount_comes_back_to_the_page_with_the_message_and_the_value(maria_client, wallet):
    response = maria_client.post("/area-personale/conto-mensa/ricarica/", {"amount": "abc", "how": "online", "ritorno": TOPUP_URL})
    assert response.status_code == 302 and response["Location"] == TOPUP_URL + "#accedi-al-servizio"
    panel = _panel(maria_client.get(TOPUP_URL), "meals-topup")
    field = panel.find("input", attrs={"name": "amount"})
    assert field["value"] == "abc" and field["aria-invalid"] == "true"
    assert panel.find(id="amount-error").get_text(strip=True)
    assert panel.find("input", attrs={"name": "how", "value": "online"}).has_attr("checked")
    assert not PaymentPosition.objects.filter(owner=wallet.holder).exists()
    # shown once: the next visit starts clean
    assert _panel(maria_client.get(TOPUP_URL), "meals-topup").find(id="amount-error") is None


def test_a_return_address_off_the_site_is_never_followed(maria_client, wallet):
    response = maria_client.post("/area-personale/conto-mensa/ricarica/", {"amount": "", "how": "online", "ritorno": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"].startswith("/area-personale/")


def test_payments_suspended_show_on_the_page_for_everybody_and_in_the_panel(client, maria_client, wallet):
    from services.payments.suspension import PaymentSettings

    conf = PaymentSettings.load()
    conf.suspended_from, conf.message = timezone.now() - timedelta(hours=1), "Pagamenti sospesi per il passaggio al nuovo sistema."
    conf.save()
    panel_page = BeautifulSoup(maria_client.get(TOPUP_URL).content, "html.parser")
    assert "Pagamenti sospesi per il passaggio" in panel_page.select_one("[data-module-notice]").get_text()
    assert panel_page.find(attrs={"data-panel": "meals-topup"}).find("form") is None
    client.logout()
    anonymous = BeautifulSoup(client.get(TOPUP_URL).content, "html.parser")
    assert "Pagamenti sospesi per il passaggio" in anonymous.select_one("[data-module-notice]").get_text()
    assert anonymous.find(attrs={"data-element": "service-online-access"}) is None


@pytest.fixture
def child(wallet):
    band = FeeBand.objects.first()
    return Child.objects.create(wallet=wallet, first_name="Giulia", last_name="Rossi", fiscal_code="RSSGLI16A41H501X",
                                school=School.objects.get(code="ANEE81001D"), fee_band=band, service_from=date(2020, 9, 1))


def _next_changeable_school_day(child):
    from services.meals.days import can_change, is_school_day

    day = timezone.localdate()
    while not (is_school_day(day, child.school_id) and can_change(day)):
        day += timedelta(days=1)
    return day


def test_meal_changes_panel_cancels_a_meal_from_the_page(maria_client, child):
    day = _next_changeable_school_day(child)
    panel = _panel(maria_client.get(CHANGES_URL), "meals-changes")
    rows = panel.find_all("tr")[1:]
    assert rows and all(
        date.fromisoformat(r.find("form")["action"].rstrip("/").split("/")[-1]).isocalendar()[:2] == day.isocalendar()[:2]
        for r in rows if r.find("form"))
    form = panel.find("form", action=f"/area-personale/conto-mensa/pasti/{child.pk}/{day.isoformat()}/")
    response = maria_client.post(form["action"], {"azione": "disdici", "ritorno": CHANGES_URL})
    assert response["Location"] == CHANGES_URL + "#accedi-al-servizio"
    assert MealChange.objects.get(child=child, day=day).kind == "cancelled"
    page = maria_client.get(CHANGES_URL).content.decode()
    assert f"Pasto del {day:%d/%m/%Y} disdetto per Giulia." in page


def test_another_familys_child_cannot_be_changed_from_a_panel_form(client, child, demo):
    spid_login(client, make_citizen("luca"))
    day = _next_changeable_school_day(child)
    response = client.post(f"/area-personale/conto-mensa/pasti/{child.pk}/{day.isoformat()}/", {"azione": "disdici", "ritorno": CHANGES_URL})
    assert response.status_code == 404 and not MealChange.objects.filter(child=child).exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("url", [OEPAC_URL, TOPUP_URL, CHANGES_URL])
def test_the_panel_costs_a_constant_number_of_queries_whatever_the_history(maria_client, child, url):
    maria = child.wallet.holder
    maria_client.get(url)
    maria_client.get(url)  # the first read of the payment settings creates their row, which renews the page caches
    before, _ = _queries(maria_client, url)
    for i in range(15):
        IstanzaFactory(owner=maria, procedure_code="OEPAC", status=Status.PRESA_IN_CARICO, number=f"OEPAC_2026.{i:07d}")
        ledger_post(wallet_id=child.wallet_id, kind="topup", amount=Decimal("5"), reference=f"t{i}", description="Ricarica")
        MealChange.objects.create(child=child, day=timezone.localdate() - timedelta(days=i + 1), kind="cancelled")
    after, sql = _queries(maria_client, url)
    assert after == before, sql
    assert after <= 25, sql
    assert Istanza.objects.filter(owner=maria).count() == 15


# Ulteriori informazioni: the editors' blocks ---------------------------------------------------------------------


def test_more_info_blocks_render_in_their_section_after_the_fixed_ones(client, demo):
    from home.models import Faq

    response = client.get(TOPUP_URL)
    soup = BeautifulSoup(response.content, "html.parser")
    section = soup.find(id="ulteriori-informazioni")
    text = section.get_text(" ", strip=True)
    assert "Tariffe della refezione scolastica (PDF)" in text
    for question in ("Il saldo del vecchio conto si perde?", "Riceverò un avviso quando il saldo è basso?"):
        assert question in text
        assert section.find(id=f"info-faq-{Faq.objects.get(question=question).pk}")
    order = [s["id"] for s in soup.select("section.it-page-section[id]")]
    assert order.index("contatti") < order.index("ulteriori-informazioni")
    index = [a.get_text(strip=True) for a in soup.select('[data-element="page-index"] a, nav .nav-link')]
    assert "Ulteriori informazioni" in index


def test_a_faq_block_of_a_topic_lists_its_questions_and_an_empty_one_is_refused(demo):
    from django.core.exceptions import ValidationError

    from home.models import Faq, Topic
    from home.models.service_blocks import FaqBlock

    block = FaqBlock()
    topic = Topic.objects.get(slug="pagamenti")
    html = block.render(block.to_python({"title": "Pagamenti", "entries": [], "topic": topic.pk}))
    for faq in Faq.objects.filter(topic=topic):
        assert faq.question.replace("'", "&#x27;") in html
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"title": "", "entries": [], "topic": None}))

"""The service page as the place of the transaction, in a real browser: a parent resumes a draft, tops up the meal
account and cancels a meal from the service pages themselves; the anonymous page stays cached without cookies."""

import datetime
import re
import urllib.request

from django.utils import timezone

import pytest

from tests.browser.helpers import accessible, sign_in

pytestmark = pytest.mark.browser

OEPAC = "/servizi/educazione-e-formazione/iscrizione-oepac/"
TOPUP = "/servizi/tributi-finanze-e-contravvenzioni/ricarica-conto-mensa/"
CHANGES = "/servizi/educazione-e-formazione/disdetta-pasto/"




def test_anonymous_service_page_is_cached_without_cookies(site, page):
    first = urllib.request.urlopen(site + OEPAC)  # noqa: S310 - the live test server
    second = urllib.request.urlopen(site + OEPAC)  # noqa: S310
    assert first.headers.get("Set-Cookie") is None and second.headers.get("Set-Cookie") is None
    assert second.headers.get("X-Page-Cache") == "hit"
    page.goto(site + OEPAC)
    assert page.locator("[data-panel]").count() == 0
    accessible(page)


def test_a_parent_resumes_a_draft_from_the_service_page(spid_site, page):
    from services.istanze.models import Istanza

    sign_in(page, spid_site, OEPAC)
    page.click("[data-panel='procedure'] >> text=Inizia la domanda")
    page.click("button[value=nuova]")
    page.wait_for_url(re.compile(r"/compila/"))
    draft = Istanza.objects.get(procedure_code="OEPAC", status="bozza")
    page.goto(spid_site + OEPAC)
    panel = page.locator("[data-panel='procedure']")
    assert "Hai una bozza salvata il" in panel.text_content()
    accessible(page)
    panel.locator("button[value=riprendi]").click()
    page.wait_for_url(re.compile(rf"/pratiche/{draft.public_id}/compila/"))
    assert Istanza.objects.filter(procedure_code="OEPAC").count() == 1


def test_a_parent_tops_up_15_euro_from_the_ricarica_page_and_sees_the_credit_there(pagopa_site, page):
    from services.meals.actions import wallet_get_or_create
    from tests.istanze.helpers import make_citizen

    wallet_get_or_create(holder=make_citizen("maria"))
    sign_in(page, pagopa_site, TOPUP)
    panel = page.locator("[data-panel='meals-topup']")
    assert panel.locator("#panel-balance").text_content().strip() == "€ 0,00"
    accessible(page)
    panel.locator("#id_amount").fill("3")
    panel.locator("label[for=id_how_0]").click()
    panel.locator("button:has-text('Ricarica')").click()
    page.wait_for_url(re.compile(re.escape(TOPUP) + "#accedi-al-servizio$"))
    assert "L'importo minimo è € 5,00." in page.text_content("#amount-error") and page.input_value("#id_amount") == "3"
    accessible(page)
    page.fill("#id_amount", "15")
    page.click("[data-panel='meals-topup'] button:has-text('Ricarica')")
    page.wait_for_url(re.compile(r"/pagopa-sandbox/checkout/"))
    page.click("button[value=paga]")
    page.wait_for_url(re.compile(r"/esito/\?esito=ok"))
    page.goto(pagopa_site + TOPUP)
    assert page.text_content("#panel-balance").strip() == "€ 15,00"


def test_a_parent_cancels_tomorrows_meal_from_the_disdetta_page(spid_site, page):
    from services.meals.actions import wallet_get_or_create
    from services.meals.days import is_school_day
    from services.meals.models import Child, FeeBand, MealChange
    from services.schools.models import School
    from tests.istanze.helpers import make_citizen

    wallet = wallet_get_or_create(holder=make_citizen("maria"))
    child = Child.objects.create(wallet=wallet, first_name="Giulia", last_name="Rossi", fiscal_code="RSSGLI16A41H501X",
                                 school=School.objects.get(code="ANEE81001D"), fee_band=FeeBand.objects.first(),
                                 service_from=datetime.date(2020, 9, 1))
    day = timezone.localdate() + datetime.timedelta(days=1)
    while not is_school_day(day, child.school_id):
        day += datetime.timedelta(days=1)
    sign_in(page, spid_site, CHANGES)
    accessible(page)
    page.click(f"[data-panel='meals-changes'] form[action$='/{day.isoformat()}/'] button[value=disdici]")
    page.wait_for_url(re.compile(re.escape(CHANGES) + "#accedi-al-servizio$"))
    assert f"Pasto del {day:%d/%m/%Y} disdetto per Giulia." in page.content()
    assert MealChange.objects.get(child=child, day=day).kind == "cancelled"
    accessible(page)

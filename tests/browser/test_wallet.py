"""SPID demo login → Ricarica → the pagoPA sandbox pays → the balance shows the credit."""

import re

import pytest

from tests.browser.helpers import axe_serious

pytestmark = pytest.mark.browser


@pytest.fixture
def spid_site(site, settings):
    settings.SPID_BASE_URL = site
    settings.SPID_CIE_ENTITY_ID = f"{site}/demo-idp/metadata/"
    base = f"{site}/pagopa-sandbox"
    settings.PAGOPA_SANDBOX_BASE, settings.PAGOPA_GPD_URL = base, f"{base}/gpd"
    settings.PAGOPA_CHECKOUT_URL, settings.PAGOPA_RECEIPTS_URL = f"{base}/checkout/ec/v1", f"{base}/receipts"
    settings.PAGOPA_RECEIPT_PUSH_URL = f"{site}/pagopa/ricevute/"
    settings.ALLOWED_HOSTS = ["*"]
    from services.payments import sandbox

    sandbox.reset()
    return site


def test_topup_from_login_to_credited_balance(spid_site, page):
    page.goto(f"{spid_site}/accedi/?next=/area-personale/conto-mensa/ricarica/")
    page.click("summary[data-element='spid-access-button']")
    page.click("text=Sportello demo IdP")
    page.wait_for_url(re.compile(r"/demo-idp/sso/"))
    page.click('label[for="id-maria.rossi"]')
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/conto-mensa/ricarica/$"))
    assert axe_serious(page) == []
    page.fill("#id_amount", "3")
    page.click("label[for=id_how_0]")
    page.click("button:has-text('Prosegui')")
    assert "La ricarica minima è € 5,00." in page.content() and page.input_value("#id_amount") == "3"
    page.fill("#id_amount", "30,00")
    page.click("button:has-text('Prosegui')")
    page.wait_for_url(re.compile(r"/pagopa-sandbox/checkout/"))
    page.click("button[value=paga]")
    page.wait_for_url(re.compile(r"/esito/\?esito=ok"))
    assert "Pagamento di € 30,00 ricevuto" in page.content()
    assert axe_serious(page) == []
    page.goto(f"{spid_site}/area-personale/conto-mensa/")
    assert page.text_content("#wallet-balance").strip() == "€ 30,00"
    assert axe_serious(page) == []

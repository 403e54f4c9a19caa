"""SPID demo login → Ricarica → the pagoPA sandbox pays → the balance shows the credit."""

import re

import pytest

from tests.browser.helpers import axe_serious

pytestmark = pytest.mark.browser


def test_topup_from_login_to_credited_balance(pagopa_site, page):
    page.goto(f"{pagopa_site}/accedi/?next=/area-personale/conto-mensa/ricarica/")
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
    assert "L'importo minimo è € 5,00." in page.content() and page.input_value("#id_amount") == "3"
    page.fill("#id_amount", "30,00")
    page.click("button:has-text('Prosegui')")
    page.wait_for_url(re.compile(r"/pagopa-sandbox/checkout/"))
    page.click("button[value=paga]")
    page.wait_for_url(re.compile(r"/esito/\?esito=ok"))
    assert "Pagamento di € 30,00 ricevuto" in page.content()
    assert axe_serious(page) == []
    page.goto(f"{pagopa_site}/area-personale/conto-mensa/")
    assert page.text_content("#wallet-balance").strip() == "€ 30,00"
    assert axe_serious(page) == []

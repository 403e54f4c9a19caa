import re

import pytest

from services.accounts.models import User
from tests.browser.helpers import axe_serious

pytestmark = pytest.mark.browser


@pytest.fixture
def spid_site(site, settings):
    settings.SPID_BASE_URL = site
    settings.SPID_CIE_ENTITY_ID = f"{site}/demo-idp/metadata/"
    settings.SPID_EIDAS_ENTITY_ID = f"{site}/demo-idp/metadata/"
    return site


def _login_with_demo_idp(page, site, next_path="/area-personale/"):
    page.goto(f"{site}/accedi/?next={next_path}")
    page.click("summary[data-element='spid-access-button']")
    page.click("text=Sportello demo IdP")
    page.wait_for_url(re.compile(r"/demo-idp/sso/"))
    assert "Identity provider dimostrativo" in page.text_content("h1")
    page.click("label[for=\"id-luca.bianchi\"]")
    page.click("button[type=submit]")


def test_spid_round_trip_from_a_service_page_lands_back_in_it(spid_site, page):
    service = "/servizi/educazione-e-formazione/iscrizione-oepac/"
    _login_with_demo_idp(page, spid_site, service)
    page.wait_for_url(re.compile(re.escape(service) + "$"))
    assert User.objects.filter(fiscal_code="BNCLCU82S02A271A").exists()
    page.goto(spid_site + "/area-personale/")
    assert "Ciao, Luca" in page.text_content("h1")


@pytest.mark.parametrize("path", ["/accedi/", "/account/login/", "/account/signup/"])
def test_login_pages_have_no_serious_accessibility_violations(spid_site, page, path):
    page.goto(spid_site + path)
    assert axe_serious(page) == []


@pytest.mark.parametrize("path", ["/area-personale/", "/area-personale/impostazioni/", "/area-personale/pratiche/",
                                  "/area-personale/pratiche/nuova/", "/area-personale/pagamenti/", "/area-personale/conto-mensa/",
                                  "/area-personale/conto-mensa/ricarica/", "/area-personale/conto-mensa/pasti/",
                                  "/area-personale/messaggi/", "/area-personale/documenti/", "/area-personale/impostazioni/messaggi/"])
def test_personal_area_has_no_serious_accessibility_violations(spid_site, page, path):
    _login_with_demo_idp(page, spid_site)
    page.wait_for_url(re.compile(r"/area-personale/$"))
    page.goto(spid_site + path)
    assert axe_serious(page) == []


def test_idle_warning_then_keep_alive(spid_site, page, settings):
    settings.CITIZEN_IDLE_TIMEOUT, settings.CITIZEN_IDLE_WARNING = 4, 3
    _login_with_demo_idp(page, spid_site)
    page.wait_for_url(re.compile(r"/area-personale/$"))
    page.wait_for_selector(".idle-warning", state="visible", timeout=5000)
    page.click("[data-keepalive]")
    page.wait_for_selector(".idle-warning", state="hidden", timeout=3000)
    page.wait_for_url(re.compile(r"/accedi/\?sessione=scaduta"), timeout=10000)
    assert "La sessione è scaduta" in page.content()


def test_local_signup_errors_on_the_sites_design(spid_site, page):
    page.goto(spid_site + "/account/signup/")
    page.fill("#id_first_name", "Giorgio")
    page.fill("#id_last_name", "Verdi")
    page.fill("#id_fiscal_code", "VRDGRG84P28H501R")
    page.fill("#id_email", "giorgio.verdi@example.it")
    page.fill("#id_password1", "corta")
    page.fill("#id_password2", "corta")
    page.click("form button[type=submit]")
    error = page.locator("#id_password1_error")
    assert "La password è troppo corta" in error.inner_text()
    assert page.locator("#id_password1").get_attribute("class").startswith("form-control")
    assert page.input_value("#id_email") == "giorgio.verdi@example.it"
    page.screenshot(path="/tmp/signup.png", full_page=True)
    assert axe_serious(page) == []


def test_cie_over_openid_connect_federation_round_trip(spid_site, page, settings):
    """Entra con CIE in Chromium: the demo federation answers over HTTP from the live server (trust chain, request
    object, token, encrypted userinfo); the provider's page and the personal area pass axe."""
    from django.core.cache import cache

    settings.CIE_OIDC_TRANSPORT = ""  # over the network to the live server, as production reaches the federation
    settings.ALLOWED_HOSTS = ["*"]
    cache.clear()
    service = "/servizi/educazione-e-formazione/iscrizione-oepac/"
    page.goto(f"{spid_site}/accedi/?next={service}")
    page.click("[data-element='cie-access-button']")
    page.wait_for_url(re.compile(r"/cie-oidc-demo/op/authorization/"))
    assert "provider dimostrativo" in page.text_content("h1")
    assert axe_serious(page) == []
    page.click("label[for=\"cie-luca.bianchi\"]")
    page.click("text=Acconsento ed entro")
    page.wait_for_url(re.compile(re.escape(service) + "$"))
    luca = User.objects.get(fiscal_code="BNCLCU82S02A271A")
    assert luca.fiscal_code_source == "cie" and luca.assurance_level == 2
    page.goto(spid_site + "/area-personale/")
    assert "Carta d'identità elettronica (CIE), livello 2" in page.text_content("main")
    assert axe_serious(page) == []


def test_eidas_login_then_a_service_that_needs_a_codice_fiscale_explains_why(spid_site, page):
    """Login with eIDAS in Chromium: the demo IdP, standing in for Italy's node, presents EU citizens; the account has
    no codice fiscale, the personal area says eIDAS, and a procedure that needs one says so, with axe on each page."""
    page.goto(f"{spid_site}/accedi/?next=/area-personale/")
    page.click("[data-element='eidas-access-button']")
    page.wait_for_url(re.compile(r"/demo-idp/sso/"))
    assert "nodo eIDAS" in page.text_content("main")
    page.click("label[for=\"id-pierre.martin\"]")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/area-personale/$"))
    pierre = User.objects.get(eidas_identifier="FR/IT/0f5d3c2b1a998877e6d4")
    assert pierre.fiscal_code is None
    assert "identità digitale europea (eIDAS)" in page.text_content("main")
    assert axe_serious(page) == []
    page.goto(spid_site + "/area-personale/pratiche/nuova/OEPAC/")
    assert "richiede un codice fiscale italiano" in page.text_content("main")
    assert axe_serious(page) == []

import datetime
import io
import os

from django.core.management import call_command
from django.utils import timezone

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make meanwhile are ordinary blocking calls, so Django may allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def site(live_server, transactional_db):
    from home.models import HomePage

    if not HomePage.objects.exists():
        call_command("load_demo_content", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def spid_site(site, settings):
    from home.models import ServicePage

    settings.SPID_BASE_URL = site
    settings.SPID_CIE_ENTITY_ID = f"{site}/demo-idp/metadata/"
    settings.SPID_EIDAS_ENTITY_ID = f"{site}/demo-idp/metadata/"
    now = timezone.now()
    for page in ServicePage.objects.filter(slug__in=["iscrizione-oepac", "registrazione-utenti-servizi-0-6"]):
        page.online_opens_at, page.online_closes_at = now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)
        page.save_revision().publish()
    return site


@pytest.fixture
def pagopa_site(spid_site, settings):
    """The signed-in site with the pagoPA sandbox served by the live server (Checkout, GPD, receipts)."""
    base = f"{spid_site}/pagopa-sandbox"
    settings.PAGOPA_SANDBOX_BASE, settings.PAGOPA_GPD_URL = base, f"{base}/gpd"
    settings.PAGOPA_CHECKOUT_URL, settings.PAGOPA_RECEIPTS_URL = f"{base}/checkout/ec/v1", f"{base}/receipts"
    settings.PAGOPA_RECEIPT_PUSH_URL = f"{spid_site}/pagopa/ricevute/"
    settings.ALLOWED_HOSTS = ["*"]
    from services.payments import sandbox

    sandbox.reset()
    return spid_site

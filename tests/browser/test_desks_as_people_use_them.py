"""What people saw on the desks (issue 25), seen again in Chromium: the administrator's admin search, the school's
Mensa e presenze on a day without school, and a signed-in parent without an e-mail on file booking an appointment."""

import re
from datetime import date

from django.core import mail

import pytest

from tests.browser.helpers import accessible, sign_in

pytestmark = pytest.mark.browser


def test_the_administrator_searches_the_admin(site, browser):
    """Issue 25 (1): every admin search answered 500 for an administrator."""
    from django.conf import settings as django_settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    admin = get_user_model().objects.create_superuser("capo-ricerca", password="x" * 14)
    client = Client()
    client.force_login(admin)
    context = browser.new_context(locale="it-IT")
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                          "url": site}])
    page = context.new_page()
    response = page.goto(f"{site}/admin/pages/search/?q=" + 'Ho letto "l\'avviso" sulla mensa')
    assert response.status == 200 and "Pratiche" in page.content()
    for path in ("/admin/images/?q=mensa", "/admin/documents/?q=mensa", "/admin/users/?q=rossi"):
        assert page.goto(site + path).status == 200, path
    context.close()


def test_a_day_without_school_in_area_scuola(site, page, settings, monkeypatch):
    """Issue 25 (8): "Oggi non è un giorno di scuola" and then pupils Presente and Pasti di oggi."""
    from services.meals import school_views
    from services.meals.actions import wallet_get_or_create
    from services.meals.models import Child, FeeBand
    from services.schools.models import School
    from tests.factories import UserFactory

    settings.SPID_BASE_URL = site
    settings.SPID_CIE_ENTITY_ID = f"{site}/demo-idp/metadata/"
    monkeypatch.setattr(school_views, "is_school_day", lambda day, school_id=None: False)
    school = School.objects.get(code="ANEE81001D")
    Child.objects.create(wallet=wallet_get_or_create(holder=UserFactory()), first_name="Ada", last_name="Bianchi",
                         fiscal_code="BNCDAA16A41H501X", school=school, school_class="1A", fee_band=FeeBand.objects.order_by("pk").first(),
                         service_from=date(2020, 9, 1))
    from services.schools import actions as schools

    if not school.roles.filter(kind="master", state="active").exists():
        schools.master_activate(school=school, fiscal_code="SPSGLI75L65F839U")  # the demo's Master, bound at her login
    sign_in(page, site, "/area-personale/scuola/", "giulia.esposito")
    response = page.goto(f"{site}/area-personale/scuola/ANEE81001D/mensa/")
    text = page.content()
    assert response.status == 200, text[-3000:]
    assert "Oggi non è un giorno di scuola" in text and "Pasti di oggi" not in text and "Bianchi Ada" not in text
    assert page.locator("text=Salva le presenze").count() == 0
    accessible(page)


def test_a_parent_without_an_email_on_file_gets_the_booking_confirmation(site, page, settings):
    """Issue 25 (3): the confirmation went to the profile's channels (none) instead of the address she proved."""
    settings.SPID_BASE_URL = site
    settings.SPID_CIE_ENTITY_ID = f"{site}/demo-idp/metadata/"
    settings.WAGTAILADMIN_BASE_URL = site
    sign_in(page, site, "/area-personale/", "sara.russo")
    page.goto(f"{site}/prenota-appuntamento/?servizio=rimborso-credito-mensa")
    page.wait_for_url(re.compile(r"/prenota-appuntamento/luogo/$"))
    page.click("button:has-text('Avanti')")
    page.click("button:has-text('Avanti')")
    page.fill("#id_reason", "Rimborso del credito")
    page.click("button:has-text('Avanti')")
    page.wait_for_url(re.compile(r"/richiedente/$"))
    assert page.input_value("#id_first_name") == "Sara"
    page.fill("#id_email", "sara.russo@example.net")
    page.click("button:has-text('Avanti')")
    page.click("button:has-text('Conferma la prenotazione')")
    page.wait_for_url(re.compile(r"/prenota-appuntamento/[0-9a-f-]{36}/$"))
    link = re.search(r"(/conferma-indirizzo/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(site + link)
    page.click("button:has-text('Confermo il mio indirizzo')")
    page.wait_for_url(re.compile(r"/prenota-appuntamento/[0-9a-f-]{36}/$"))
    assert "Appuntamento confermato" in page.content()
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["sara.russo@example.net"] and any(n.endswith(".ics") for n, _c, _m in confirmation.attachments)
    accessible(page)

"""What the browser tests share: axe-core's serious violations, the SPID demo login from a service page,
the wizard's buttons, and an operator's signed-in browser."""

import re

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from axe_playwright_python.sync_playwright import Axe

from services.accounts.models import Office


def axe_serious(page):
    """The serious and critical axe-core violations of the page: (rule, impact, first targets)."""
    results = Axe().run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3], [n.get("any", [{}])[0].get("message", "") for n in v["nodes"]][:1])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def accessible(page):
    found = axe_serious(page)
    assert found == [], (page.url, found)


def login_from_service_page(page, site, service_path, identity="maria.rossi"):
    page.goto(site + service_path)
    page.click("[data-element='service-online-access']")
    page.wait_for_url(re.compile(r"/accedi/"))
    page.click("summary[data-element='spid-access-button']")
    page.click("text=Sportello demo IdP")
    page.wait_for_url(re.compile(r"/demo-idp/sso/"))
    page.click(f"label[for=\"id-{identity}\"]")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/area-personale/pratiche/nuova/"))
    accessible(page)


def confirm(page, button_text):
    page.click(f'button:has-text("{button_text}")')
    page.wait_for_selector("dialog.confirm-dialog[open]")
    page.click("dialog.confirm-dialog .confirm-dialog-ok")


def next_step(page):
    page.click("button[value=avanti]")
    page.wait_for_load_state()
    accessible(page)


def office_page(browser, site, office_slug):
    """An operator's browser, signed in by a session made on the server (the admin login is tested elsewhere)."""
    User = get_user_model()
    operator, _ = User.objects.get_or_create(username=f"op-{office_slug}", defaults={"is_staff": True, "first_name": "Olga", "last_name": "Operatrice"})
    group, created = Group.objects.get_or_create(name="Office operators")
    if created:  # a transactional test emptied the tables the data migration filled
        from django.contrib.auth.models import Permission

        group.permissions.set(Permission.objects.filter(codename__in=["view_istanza", "change_istanza", "access_admin"]))
    operator.groups.add(group)
    operator.offices.add(Office.objects.get(slug=office_slug))
    client = Client()
    client.force_login(operator)
    context = browser.new_context(locale="it-IT")
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": site}])
    return context.new_page()


def office_action(office, site, istanza, action, fields=None):
    office.goto(f"{site}/admin/istanze/istanza/inspect/{istanza.pk}/")
    form = office.locator(f"form[action$='/azione/{action}/']")
    for name, value in (fields or {}).items():
        control = form.locator(f"[name='{action}-{name}']")
        if name in ("organismo", "user"):  # the selects of the office's forms
            control.select_option(str(value))
        else:
            control.fill(value)
    form.locator("button[type=submit]").click()
    office.wait_for_load_state()
    assert re.search(r"Pratica [A-Z0-9_]+_[0-9]{4}\.[0-9]{7}: ", office.content())  # the desk says the new state


def sign_in(page, site, next_path, identity="maria.rossi"):
    """Sign in with the demo IdP from the login page, and land on `next_path`."""
    page.goto(f"{site}/accedi/?next={next_path}")
    page.click("summary[data-element='spid-access-button']")
    page.click("text=Sportello demo IdP")
    page.wait_for_url(re.compile(r"/demo-idp/sso/"))
    page.click(f'label[for="id-{identity}"]')
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))

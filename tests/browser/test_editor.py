"""The Wagtail editor works under the admin's Content-Security-Policy: an editor edits, previews
and publishes a news item, and the browser refuses nothing."""

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client

import pytest

from home.models import NewsPage

pytestmark = pytest.mark.browser


def test_an_editor_publishes_under_the_admin_policy(browser, site):
    editor = get_user_model().objects.create_superuser("capo-redattrice", password="x", first_name="Carla")
    client = Client()
    client.force_login(editor)
    context = browser.new_context(locale="it-IT")
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value, "url": site}])
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    news = NewsPage.objects.get(slug="sciopero-mensa")

    response = page.goto(f"{site}/admin/pages/{news.pk}/edit/")
    assert "script-src 'self' 'unsafe-inline'" in response.headers["content-security-policy"]
    page.fill("#id_title", "Sciopero delle mense: aggiornamento")
    page.click("button.w-dropdown__toggle.button:has-text('Altre azioni')")
    page.click("button[name='action-publish']")
    page.wait_for_url(f"{site}/admin/pages/{news.get_parent().pk}/")
    assert NewsPage.objects.get(pk=news.pk).title == "Sciopero delle mense: aggiornamento"
    # the side panel's live preview loads in its frame of the same origin
    page.goto(f"{site}/admin/pages/{news.pk}/edit/")
    page.click("[data-side-panel-toggle='preview']")
    frame = page.frame_locator("iframe#w-preview-iframe")
    frame.locator("h1").first.wait_for()
    assert "Sciopero delle mense: aggiornamento" in frame.locator("h1").first.inner_text()
    assert refused == []
    context.close()

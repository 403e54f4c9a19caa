import datetime

from django.utils import timezone

import pytest

URL = "/servizi/educazione-e-formazione/iscrizione-oepac/"


def test_anonymous_page_is_cached_without_cookies(client, demo):
    first = client.get(URL)
    second = client.get(URL)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    for response in (first, second):
        assert not response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        assert "Set-Cookie" not in response
    assert second.content == first.content


def test_publishing_invalidates_the_cache(client, oepac):
    client.get(URL)
    oepac.summary = "Testo aggiornato dalla redazione."
    oepac.save_revision().publish()
    response = client.get(URL)
    assert response["X-Page-Cache"] == "miss"
    assert "Testo aggiornato dalla redazione." in response.content.decode()


def test_logged_in_user_never_gets_the_cached_page(client, demo, editor):
    client.get(URL)  # cache the anonymous version
    client.force_login(editor)
    response = client.get(URL)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Accedi all'area personale" not in page and ">Area personale<" in page  # the personal header, not the anonymous one


def test_page_rendered_for_a_user_is_not_stored_for_others(client, demo, editor):
    client.force_login(editor)
    client.get(URL)
    client.logout()
    anon = client.__class__()
    response = anon.get(URL)
    assert response["X-Page-Cache"] == "miss"
    assert "Accedi all'area personale" in response.content.decode()  # the anonymous header


def test_forms_with_a_token_are_not_cached(client, demo):
    response = client.get("/disservizi/invia/")
    assert "X-Page-Cache" not in response


def test_cache_entry_expires_at_the_window_boundary(oepac):
    oepac.online_opens_at = timezone.now() + datetime.timedelta(seconds=90)
    assert 1 <= oepac.page_cache_timeout() <= 90


def test_admin_and_personal_area_are_private(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_view_restriction_applies_even_with_warm_caches(client, oepac):
    from wagtail.models import PageViewRestriction

    assert client.get(URL).status_code == 200  # warm route, restriction and page caches
    PageViewRestriction.objects.create(page=oepac, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accedi/?next=")


@pytest.mark.parametrize("level", ["category", "home"])
def test_a_restriction_on_an_ancestor_applies_to_the_page(client, oepac, level):
    from wagtail.models import PageViewRestriction

    assert client.get(URL).status_code == 200
    ancestor = oepac.get_parent() if level == "category" else oepac.get_site().root_page
    PageViewRestriction.objects.create(page=ancestor, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accedi/?next=")


def test_a_restriction_on_the_home_applies_to_the_home_with_warm_caches(client, demo, settings):
    from wagtail.models import PageViewRestriction

    settings.PAGE_CACHE_ENABLED = False  # the home's own restriction check, kept per process and generation
    assert client.get("/").status_code == 200 and client.get("/").status_code == 200
    PageViewRestriction.objects.create(page=demo, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accedi/?next=")


def test_unpublishing_a_category_hides_its_services_even_with_warm_caches(client, oepac):
    assert client.get(URL).status_code == 200
    oepac.get_parent().specific.unpublish(set_expired=False)
    assert client.get(URL).status_code == 404


def test_shared_caches_may_keep_anonymous_pages_briefly(client, demo, settings):
    settings.SHARED_CACHE_MAX_AGE = 45
    for response in (client.get(URL), client.get(URL)):  # stored, then served from Django's cache
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=45, must-revalidate"


def test_shared_cache_time_never_outlasts_the_window_boundary(client, oepac, settings):
    oepac.online_opens_at = timezone.now() + datetime.timedelta(seconds=20)
    oepac.save_revision().publish()
    max_age = int(client.get(URL)["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 1 <= max_age <= 20


def test_anonymous_search_is_shareable_and_personal_search_is_not(client, demo, editor):
    response = client.get("/cerca/", {"q": "mensa"})
    assert response.status_code == 200 and "cookie" not in response.get("Vary", "").lower()
    assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    client.force_login(editor)
    response = client.get("/cerca/", {"q": "mensa"})
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_every_response_carries_a_policy(client, superuser):
    for path in ("/", "/pagina-che-non-esiste/", "/cerca/?q=mensa"):
        response = client.get(path)
        assert "default-src 'self'" in response["Content-Security-Policy"], path
        assert "camera=()" in response["Permissions-Policy"], path
        assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    client.force_login(superuser)
    admin = client.get("/admin/")
    assert "script-src 'self' 'unsafe-inline'" in admin["Content-Security-Policy"] and "camera=()" in admin["Permissions-Policy"]


def test_a_path_no_page_answers_costs_the_cache_nothing(client, demo, monkeypatch):
    """Only Wagtail's pages can be in the full-page cache: a health probe or a partner's callback asks Redis nothing,
    and needs neither the site nor the settings (both lazy), so it reads no generation either."""
    from django.core.cache import cache

    from home import cache as page_cache

    calls = []
    for name in ("get", "get_many", "add"):
        original = getattr(cache, name)
        monkeypatch.setattr(cache, name, lambda *a, _o=original, _n=name, **k: calls.append((_n, a)) or _o(*a, **k))
    assert client.get("/salute/vivo/").status_code == 200
    assert calls == []
    assert page_cache._served_by_wagtail(URL) and not page_cache._served_by_wagtail("/salute/vivo/")
    assert client.get(URL).status_code == 200 and calls  # a page does look


def test_the_policy_kept_between_responses_is_the_one_django_csp_builds(client, superuser, settings):
    from csp.utils import build_policy

    from services.core.middleware import SecurityHeadersMiddleware

    def directives(header):
        return sorted(header.split("; "))

    first, second = client.get("/salute/vivo/"), client.get("/salute/vivo/")
    expected = directives(build_policy())
    assert directives(first["Content-Security-Policy"]) == directives(second["Content-Security-Policy"]) == expected
    from django.http import HttpResponse
    from django.test import RequestFactory

    from csp.exceptions import CSPNonceError

    def with_nonce(request):
        str(request.csp_nonce)  # a template that used the nonce: django-csp builds the header itself
        return HttpResponse("ok")

    middleware = SecurityHeadersMiddleware(with_nonce)
    assert directives(middleware(RequestFactory().get("/x/"))["Content-Security-Policy"]) == expected
    plain = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))
    for _ in range(2):  # built once, then kept: either way the nonce cannot be taken after the header is written
        request = RequestFactory().get("/x/")
        assert directives(plain(request)["Content-Security-Policy"]) == expected
        with pytest.raises(CSPNonceError):
            str(request.csp_nonce)
    client.force_login(superuser)
    assert "script-src 'self' 'unsafe-inline'" in client.get("/admin/")["Content-Security-Policy"]
    assert directives(client.get("/salute/vivo/")["Content-Security-Policy"]) == expected  # the admin's stays the admin's


def _counting_get_many(monkeypatch):
    from home import cache as page_cache

    calls = []
    real = page_cache.cache.get_many
    monkeypatch.setattr(page_cache.cache, "get_many", lambda keys, *a, **k: calls.append(keys) or real(keys, *a, **k))
    return calls


def test_a_hit_this_process_served_lately_costs_no_redis_round_trip(client, demo, monkeypatch):
    from home import cache as page_cache

    monkeypatch.setattr(page_cache.time, "monotonic", lambda: 1000.0)  # the generation stays believed
    calls = _counting_get_many(monkeypatch)
    first, second, third = client.get(URL), client.get(URL), client.get(URL)
    assert [first["X-Page-Cache"], second["X-Page-Cache"], third["X-Page-Cache"]] == ["miss", "hit", "hit"]
    assert len(calls) == 1 and second.content == third.content == first.content
    assert second["Cache-Control"] == first["Cache-Control"] and second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_another_nodes_publish_is_seen_within_the_believed_second(client, oepac, monkeypatch):
    from django.core.cache import cache

    from home import cache as page_cache

    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    client.get(URL)
    assert client.get(URL)["X-Page-Cache"] == "hit"
    cache.incr(page_cache.GENERATION_KEY)  # another node published: its signal bumped the generation in Redis
    clock[0] += 0.5
    assert client.get(URL)["X-Page-Cache"] == "hit"  # still within PAGE_CACHE_GENERATION_TTL
    clock[0] += 0.6
    assert client.get(URL)["X-Page-Cache"] == "miss"  # the second passed: Redis's generation, a fresh render


def test_without_a_believed_generation_every_hit_asks_redis(client, demo, monkeypatch, settings):
    settings.PAGE_CACHE_GENERATION_TTL = 0
    calls = _counting_get_many(monkeypatch)
    assert [client.get(URL)["X-Page-Cache"] for _ in range(3)] == ["miss", "hit", "hit"]
    assert len(calls) == 3


def test_a_kept_page_is_not_served_after_its_entry_expires(client, oepac, monkeypatch):
    from home import cache as page_cache

    monkeypatch.setattr(page_cache.time, "monotonic", lambda: 1000.0)
    oepac.online_opens_at = timezone.now() + datetime.timedelta(seconds=90)  # the page changes when the window opens
    oepac.save_revision().publish()
    assert client.get(URL)["X-Page-Cache"] == "miss"
    assert client.get(URL)["X-Page-Cache"] == "hit"
    later = page_cache.time.time() + 120
    monkeypatch.setattr(page_cache.time, "time", lambda: later)
    assert client.get(URL)["X-Page-Cache"] == "miss"  # neither this process's copy nor Redis's entry outlives it

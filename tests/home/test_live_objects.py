"""What one process keeps between requests (home/cache.py): the publish generation for a second, and the site and
the routed pages as objects, each request working on its own copy."""

from django.core.cache import cache
from django.test import override_settings

from home import cache as page_cache
from home.cache import GENERATION_KEY, LiveObjects, generation, invalidate_all

URL = "/servizi/educazione-e-formazione/iscrizione-oepac/"


def test_kept_objects_are_bounded_and_belong_to_one_generation():
    kept = LiveObjects(size=2)
    kept.set(1, "a", "A")
    kept.set(1, "b", "B")
    assert kept.get(1, "a") == "A"  # now the most recently used
    kept.set(1, "c", "C")
    assert kept.get(1, "b") is None and kept.get(1, "a") == "A" and kept.get(1, "c") == "C"
    assert kept.get(2, "a") is None  # another generation never sees them
    kept.set(2, "d", "D")
    assert kept.get(1, "a") is None and kept.get(2, "a") is None and kept.get(2, "d") == "D"


def test_generation_is_read_once_a_second_and_at_once_after_a_publish_here(db, monkeypatch):
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: 1000.0)  # a slow machine never lets the second pass
    first = generation()
    cache.set(GENERATION_KEY, first + 40, timeout=None)  # another process published
    assert generation() == first  # believed for PAGE_CACHE_GENERATION_TTL
    invalidate_all()  # a publish in this process
    assert generation() == first + 41
    with override_settings(PAGE_CACHE_GENERATION_TTL=0):
        page_cache.forget_generation()
        generation()
        cache.set(GENERATION_KEY, 7, timeout=None)
        assert generation() == 7


def test_generation_still_read_each_second(db, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    first = generation()
    cache.set(GENERATION_KEY, first + 1, timeout=None)
    clock[0] += 0.5
    assert generation() == first
    clock[0] += 0.6
    assert generation() == first + 1


def test_a_cache_down_generation_is_not_kept(db, monkeypatch):
    monkeypatch.setattr(page_cache.cache, "get", lambda *a, **k: None)
    monkeypatch.setattr(page_cache.cache, "add", lambda *a, **k: False)
    assert str(generation()).startswith("down-")
    assert page_cache._remembered[0] is None


@override_settings(PAGE_CACHE_ENABLED=False)
def test_each_request_routes_its_own_copy_of_the_page(client, demo, django_assert_num_queries, monkeypatch):
    from home.models import pages

    routed = []
    original = pages.route_from

    def spy(root, request, path_components):
        result = original(root, request, path_components)
        routed.append((result[0], root))
        return result

    monkeypatch.setattr(pages, "route_from", spy)
    assert client.get(URL).status_code == 200
    with django_assert_num_queries(0):  # warm: the route and the site come from this process
        second = client.get(URL)
    assert second.status_code == 200 and "Iscrizione" in second.content.decode()
    (page_a, root_a), (page_b, root_b) = routed[-2:]
    assert page_a is not page_b and page_a.pk == page_b.pk
    assert page_a._state is not page_b._state
    page_a.title = "Cambiato da una richiesta"
    assert page_b.title != page_a.title
    assert root_a is not root_b and root_a.pk == root_b.pk  # the site's root page too (Wagtail serves the home from it)


@override_settings(PAGE_CACHE_ENABLED=False)
def test_publishing_shows_on_the_next_uncached_request(client, oepac):
    client.get(URL)
    oepac.summary = "Un riassunto appena pubblicato."
    oepac.save_revision().publish()
    assert "Un riassunto appena pubblicato." in client.get(URL).content.decode()

"""Page paths answered first (home/routing.py `page_url_patterns`): a path Wagtail's catch-all matched once skips the
project's other URL patterns; nothing else changes how a path resolves."""

from django.urls import get_resolver, resolve, reverse

from config import urls
from home.routing import _PagePaths

SERVICE_URL = "/servizi/educazione-e-formazione/iscrizione-oepac/"


def test_a_page_path_served_once_is_answered_first(client, demo):
    first = resolve(SERVICE_URL)
    assert first.url_name == "wagtail_serve"
    assert SERVICE_URL[1:] in urls.known_pages.paths  # learnt by the catch-all in its own place
    match = urls.known_pages.resolve(SERVICE_URL[1:])
    assert match.func is first.func and match.args == first.args and match.url_name == "wagtail_serve"
    assert client.get(SERVICE_URL).status_code == 200


def test_a_path_of_another_pattern_is_never_learnt(client, demo):
    for path in ("/cerca/", "/area-personale/", "/salute/vivo/"):
        client.get(path)
        assert path[1:] not in urls.known_pages.paths
        assert resolve(path).url_name != "wagtail_serve"
    assert urls.known_pages.resolve("cerca/") is None


def test_reversing_a_page_url_is_unchanged():
    assert reverse("wagtail_serve", args=("servizi/",)) == "/servizi/"
    assert reverse("wagtail_serve", args=("",)) == "/"
    assert get_resolver().resolve("/servizi/").url_name == "wagtail_serve"


def test_the_paths_kept_are_bounded():
    paths = _PagePaths(size=3)
    for i in range(10):
        paths.add(f"pagina-{i}/")
    paths.add("x" * 201 + "/")
    assert "pagina-9/" in paths and "pagina-0/" not in paths and ("x" * 201 + "/") not in paths
    assert len(paths._paths) <= 3

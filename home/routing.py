"""Routing from the site root with at most two queries, and none when warm.

Wagtail's default routing walks the tree with one query per URL segment and a
second for the specific page. Here the whole chain (root → page) is read in one
query, liveness of every ancestor is checked, and the specific page is loaded in a
second query with the related rows its template needs. The result is kept in this
process as an object (home.cache.live_objects; each request routes its own copy)
under the publish generation (any publish, move or delete makes a new generation),
so a warm route costs no query at all. The chain is kept on the
page so breadcrumbs cost nothing. Paths that are not pages (routable sub-paths such
as a news feed) fall back to Wagtail's own routing.

Before any of this, Django's URL resolver tries every pattern of the project before Wagtail's catch-all: a path the
catch-all has matched once is answered first (`page_url_patterns`, used by config/urls.py).
"""

import copy

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import URLPattern

from wagtail.models import Page

from .cache import live_objects, request_generation

_NOT_A_PAGE = "not-a-page"
_NOT_LIVE = "not-live"


class _Crumb:
    """An ancestor as the breadcrumbs need it, built from the routing query."""

    def __init__(self, title, url_path, page_id=None, alias_of_id=None):
        self.title = title
        self.url_path = url_path
        self.id = page_id
        self.alias_of_id = alias_of_id


def route_from(root, request, path_components):
    if not path_components:
        return None
    gen = request_generation(request)
    key = ("route", root.id, "/".join(path_components))
    page = live_objects.get(gen, key)
    if page is None:
        page = _resolve(root, path_components)
        live_objects.set(gen, key, page)
    if page == _NOT_A_PAGE:
        return None  # let Wagtail route (sub-routes, 404)
    if page == _NOT_LIVE:
        raise Http404
    page = copy.copy(page)  # this request's own instance over the kept field values
    page._sportello_generation = gen
    return page.route(request, [])


def _resolve(root, path_components):
    prefixes = []
    current = root.url_path
    for component in path_components:
        current = f"{current}{component}/"
        prefixes.append(current)
    chain = list(
        Page.objects.filter(url_path__in=prefixes)
        .order_by("depth")
        .values("id", "title", "url_path", "live", "content_type_id", "alias_of_id")
    )
    if len(chain) != len(prefixes) or chain[-1]["url_path"] != prefixes[-1]:
        return _NOT_A_PAGE
    if not all(item["live"] for item in chain):
        return _NOT_LIVE
    target = chain[-1]
    model = ContentType.objects.get_for_id(target["content_type_id"]).model_class()
    if model is None:
        return _NOT_A_PAGE
    related = getattr(model, "route_select_related", ())
    page = model._default_manager.select_related(*related).get(id=target["id"])
    page._sportello_chain = [_Crumb(root.title, root.url_path, root.id, root.alias_of_id)] + [
        _Crumb(i["title"], i["url_path"], i["id"], i["alias_of_id"]) for i in chain[:-1]
    ]
    return page


class _PagePaths:
    """The paths Wagtail's catch-all URL pattern has matched in this process. URL patterns do not change while it runs,
    so a path the catch-all matched once would reach it again after every other pattern had been tried (about seventy
    of them, a sixth of a warm page's time). Bounded: a visitor making up paths fills no memory."""

    def __init__(self, size=4096):
        self._paths = set()
        self._size = size

    def add(self, path):
        if len(path) <= 200:
            if len(self._paths) >= self._size:
                self._paths = set()
            self._paths.add(path)

    def __contains__(self, path):
        return path in self._paths


class _KnownPagePattern(URLPattern):
    """Wagtail's catch-all, tried first, for the paths it has matched before."""

    def __init__(self, catch_all, paths):
        super().__init__(catch_all.pattern, catch_all.callback, catch_all.default_args, catch_all.name)
        self.paths = paths

    def resolve(self, path):
        return super().resolve(path) if path in self.paths else None


class _LearningPattern(URLPattern):
    """Wagtail's catch-all in its own place, last: remembers each path it matches."""

    def __init__(self, catch_all, paths):
        super().__init__(catch_all.pattern, catch_all.callback, catch_all.default_args, catch_all.name)
        self.paths = paths

    def resolve(self, path):
        match = super().resolve(path)
        if match is not None:
            self.paths.add(path)
        return match


def page_url_patterns(wagtail_patterns):
    """(a pattern to put first in ROOT_URLCONF, Wagtail's own patterns to put last): the same routing, with the paths
    of pages already served answered without trying every other pattern first. Both stand at the root, with no
    prefix."""
    paths = _PagePaths()
    patterns = list(wagtail_patterns)
    (index,) = [i for i, p in enumerate(patterns) if getattr(p, "name", None) == "wagtail_serve"]
    catch_all = patterns[index]
    patterns[index] = _LearningPattern(catch_all, paths)
    return _KnownPagePattern(catch_all, paths), patterns

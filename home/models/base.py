"""Behaviour shared by every public page."""

import json

from django.conf import settings
from django.utils.safestring import mark_safe

from home.shell import ShellResponse


class SportelloPage:
    """Mixin for public content pages: page cache opt-in, rating widget, breadcrumbs."""

    show_feedback = True
    # Related rows loaded with the page in the routing query (home/routing.py).
    route_select_related = ()

    def page_cache_timeout(self):
        """Seconds this page may be served from the full-page cache."""
        return settings.PAGE_CACHE_TIMEOUT

    # The page's HTML is kept per process as a shell with holes for each request's parts (home/shell.py). A page
    # type opts in once its template keeps everything personal inside holes.
    shell_cache = False

    def serve(self, request, *args, **kwargs):
        request.page_cache_timeout = self.page_cache_timeout()
        if not (self.shell_cache and settings.PAGE_SHELL_ENABLED):
            return super().serve(request, *args, **kwargs)
        request.is_preview = False
        key = ("shell", request.get_host(), request.scheme, self.pk, self.latest_revision_id)
        return ShellResponse(request, self.get_template(request, *args, **kwargs), self.get_context(request, *args, **kwargs), key)

    def get_view_restrictions(self):
        """Wagtail's view restrictions, cached per process for the generation the page was routed in.

        Saving or deleting a restriction bumps the generation (home/signals.py).
        """
        gen = getattr(self, "_sportello_generation", None)
        if gen is None:
            return super().get_view_restrictions()
        from home.cache import local_cache

        key = f"restrictions:{gen}:{self.id}"
        restrictions = local_cache().get(key)
        if restrictions is None:
            restrictions = list(self._chain_restrictions())
            local_cache().set(key, restrictions)
        return restrictions

    def _chain_restrictions(self):
        """Wagtail's rule (restrictions on the page or an ancestor below the tree root) read with the ids the routing
        query already has: one query instead of two. An alias in the chain takes Wagtail's own way."""
        chain = getattr(self, "_sportello_chain", None)
        if chain is None or self.alias_of_id or any(c.id is None or c.alias_of_id for c in chain):
            return super().get_view_restrictions()
        from wagtail.models import PageViewRestriction

        return PageViewRestriction.objects.filter(page_id__in=[c.id for c in chain] + [self.id])

    def breadcrumb_pages(self):
        """Ancestors below the tree root, from the routing query when there was one."""
        chain = getattr(self, "_sportello_chain", None)
        if chain is None:
            chain = list(self.get_ancestors().filter(depth__gt=1).only("id", "title", "url_path"))
        return chain


def safe_json(data):
    """JSON for a <script type="application/ld+json"> element, safe against '</script>'."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308 - JSON with <, > and & escaped, for a script element

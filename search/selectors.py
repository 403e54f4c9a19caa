"""Site search: results grouped by type, with counts, and editors' promoted results."""

import hashlib
import re
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from home.cache import current_generation, local_cache

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
_NOT_WORD = re.compile(r"[^\w]+|_")


@dataclass
class Group:
    key: str
    label: str
    results: object  # a lazy search result set
    count: int = 0


def _groups(query):
    from home.models import Faq, GenericPage, NewsPage, SectionPage, ServicePage

    other_pages = Page.objects.live().type(GenericPage, SectionPage)
    return [
        Group("servizi", _("Servizi"), ServicePage.objects.live().search(query)),
        Group("notizie", _("Novità"), NewsPage.objects.live().search(query)),
        Group("faq", _("Domande frequenti"), get_search_backend().search(query, Faq.objects.select_related("topic", "service"))),
        Group("pagine", _("Pagine"), other_pages.search(query)),
    ]


def clean_query(raw: str) -> str:
    """Words only (letters and digits), spaces collapsed, at most MAX_QUERY_LENGTH characters.

    Punctuation would reach the full-text engines as query syntax (SQLite FTS5 fails
    on a lone quote), and it carries no meaning for a site search.
    """
    text = _NOT_WORD.sub(" ", (raw or "")[: MAX_QUERY_LENGTH * 4])
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def _counts(query: str, groups) -> dict:
    """Results per group, kept per process until the next publish (the counts change only then)."""
    key = f"search-counts:{current_generation()}:{hashlib.sha256(query.encode()).hexdigest()}"
    counts = local_cache().get(key)
    if counts is None:
        counts = {group.key: group.results.count() for group in groups}
        local_cache().set(key, counts, timeout=600)
    return counts


def site_search(raw_query: str, *, group_key: str = "", page_number=1, record_hit=True):
    query = clean_query(raw_query)
    if not query:
        return {"query": "", "groups": [], "selected": None, "page": None, "promoted": [], "total": 0}
    groups = _groups(query)
    counts = _counts(query, groups)
    for group in groups:
        group.count = counts[group.key]
    selected = next((g for g in groups if g.key == group_key), None)
    if selected is None:
        selected = next((g for g in groups if g.count), groups[0])
    paginator = Paginator(selected.results, PER_PAGE)
    paginator.__dict__["count"] = selected.count  # known already: no second count query
    page = paginator.get_page(page_number)
    query_row = Query.get(query)
    if record_hit:
        query_row.add_hit()
    promoted = list(query_row.editors_picks.select_related("page").filter(page__live=True))
    return {
        "query": query,
        "groups": groups,
        "selected": selected,
        "page": page,
        "promoted": promoted,
        "total": sum(g.count for g in groups),
    }

"""Reads of the public site shared by templates, views and the admin."""

from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone

from wagtail.models import Page, Site

from .cache import current_generation, local_cache

MENU_ELEMENTS = {
    "sectionpage": None,  # taken from SectionPage.menu_element
    "newsindexpage": "news",
    "serviceindexpage": "all-services",
}
MENU_ORDER = ["management", "news", "all-services", "live"]


def main_menu(site_root: Page):
    """Primary menu items [(title, url_path, data_element)] in the order the model prescribes; cached."""
    key = f"menu:{current_generation()}:{site_root.id}"
    cache = local_cache()
    items = cache.get(key)
    if items is None:
        from .models import SectionPage

        rows = list(
            Page.objects.child_of(site_root).live().in_menu().order_by("path").values("id", "title", "url_path", "content_type__model")
        )
        section_elements = dict(
            SectionPage.objects.filter(id__in=[r["id"] for r in rows]).values_list("id", "menu_element")
        )
        items = []
        for row in rows:
            element = MENU_ELEMENTS.get(row["content_type__model"], "")
            if element is None:
                element = section_elements.get(row["id"], "")
            items.append((row["title"], row["url_path"], element or ""))
        items.sort(key=lambda i: MENU_ORDER.index(i[2]) if i[2] in MENU_ORDER else len(MENU_ORDER))
        cache.set(key, items, timeout=None)
    return items


FOOTER_SLUGS = {"privacy": "privacy", "piano-di-miglioramento": "plan"}
# "offices" is not in the footer: the office cards link it, and it costs no query of its own here.
FOOTER_MODELS = {"faqpage": "faq", "legalnotespage": "legal", "reportproblempage": "report", "officeindexpage": "offices"}


def footer_links(site_root: Page):
    """Footer pages by role (faq, legal, report, privacy, plan, and the offices page) from one query; cached."""
    key = f"footer:{current_generation()}:{site_root.id}"
    cache = local_cache()
    links = cache.get(key)
    if links is None:
        rows = (
            Page.objects.live()
            .descendant_of(site_root)
            .filter(Q(content_type__model__in=FOOTER_MODELS, content_type__app_label="home") | Q(slug__in=FOOTER_SLUGS, depth=site_root.depth + 1))
            .order_by("path")
            .values("title", "url_path", "slug", "content_type__model")
        )
        links = dict.fromkeys([*FOOTER_MODELS.values(), *FOOTER_SLUGS.values()])
        for row in rows:
            role = FOOTER_MODELS.get(row["content_type__model"]) or FOOTER_SLUGS.get(row["slug"])
            if role and links[role] is None:
                links[role] = {"title": row["title"], "url_path": row["url_path"]}
        cache.set(key, links, timeout=None)
    return links


def site_root_for(request):
    site = Site.find_for_request(request)
    return site.root_page if site else None


def services_with_window_changes(days: int = 30):
    """Live or draft service pages whose online window opens or closes in the next `days` days."""
    from .models import ServicePage

    now = timezone.now()
    until = now + timedelta(days=days)
    return ServicePage.objects.filter(
        Q(online_opens_at__gte=now, online_opens_at__lte=until) | Q(online_closes_at__gte=now, online_closes_at__lte=until)
    ).order_by("online_opens_at", "online_closes_at")


def feedback_summary():
    """Ratings per page: count and average, lowest average first."""
    from .models import PageFeedback

    return (
        PageFeedback.objects.values("page_id", "page__title", "page__url_path")
        .annotate(count=Count("id"), average=Avg("rating"))
        .order_by("average", "-count")
    )


def faq_page_url() -> str:
    """The address of the live FAQ page ("" if there is none), kept until the next publish."""
    key = f"faq-page-url:{current_generation()}"
    url = local_cache().get(key)
    if url is None:
        from .models import FaqPage

        page = FaqPage.objects.live().first()
        url = page.url if page else ""
        local_cache().set(key, url, timeout=None)
    return url


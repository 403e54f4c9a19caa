"""Amministrazione's second-level pages of the "Modello Comuni": *Uffici*, with a page per office, and
*Documenti e dati*, the public documents of the document library grouped by collection."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Collection, Page

from services.accounts.models import Office

from .base import SportelloPage


class OfficeIndexPage(SportelloPage, RoutablePageMixin, Page):
    """Uffici: every office of the *Unità organizzative* snippets, each with its own page."""

    intro = models.TextField(_("presentazione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.SectionPage"]
    subpage_types = []
    max_count = 1
    section_link_element = "management-category-link"

    class Meta:
        verbose_name = _("pagina degli uffici")

    def get_sitemap_urls(self, request=None):
        base = self.get_full_url(request)
        return super().get_sitemap_urls(request) + [{"location": f"{base}{slug}/"} for slug in Office.objects.values_list("slug", flat=True)]

    @path("")
    def offices(self, request):
        groups = {}
        for office in Office.objects.order_by("name"):
            groups.setdefault(office.get_kind_display(), []).append(office)
        return self.render(request, context_overrides={"groups": sorted(groups.items())})

    @path("<slug:slug>/")
    def office(self, request, slug):
        from .services import ServicePage

        office = Office.objects.filter(slug=slug).first()
        if office is None:
            raise Http404
        return self.render(request, template="home/office_page.html", context_overrides={
            "office": office,
            "services": ServicePage.objects.live().filter(office=office).only("title", "summary", "url_path").order_by("title"),
        })


def public_collections():
    """Collections whose documents anyone may download: those without a view restriction on themselves
    or on an ancestor (Wagtail applies a collection's restriction to its descendants)."""
    collections = list(Collection.objects.all().prefetch_related("view_restrictions"))
    restricted = [c.path for c in collections if c.view_restrictions.all()]
    return [c for c in collections if not any(c.path.startswith(p) for p in restricted)]


class DocumentIndexPage(SportelloPage, Page):
    """Documenti e dati: the documents that service and news pages attach (conditions, forms, tariffs), grouped
    by the collection the editors keep them in; a collection with a privacy restriction is never listed."""

    intro = models.TextField(_("presentazione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.SectionPage"]
    subpage_types = []
    max_count = 1
    section_link_element = "management-category-link"

    class Meta:
        verbose_name = _("pagina dei documenti")

    def get_context(self, request, *args, **kwargs):
        from wagtail.documents import get_document_model

        from .news import NewsAttachment, NewsPage
        from .services import ServicePage

        context = super().get_context(request, *args, **kwargs)
        collections = {c.id: c for c in public_collections()}
        documents = list(get_document_model().objects.filter(collection_id__in=collections).order_by("title"))
        used_by = {}
        services = ServicePage.objects.live().filter(conditions_document__in=documents)
        for service in services.only("title", "url_path", "conditions_document_id").order_by("title"):
            used_by.setdefault(service.conditions_document_id, []).append(service)
        live_news = NewsPage.objects.live().values("id")
        for row in NewsAttachment.objects.filter(document__in=documents, page__in=live_news).select_related("page").order_by("page__title"):
            used_by.setdefault(row.document_id, []).append(row.page)
        groups = {}
        for document in documents:
            document.used_by = used_by.get(document.id, [])
            collection = collections[document.collection_id]
            name = _("Altri documenti") if collection.is_root() else collection.name
            groups.setdefault((collection.is_root(), str(name)), []).append(document)
        context["groups"] = [(name, docs) for (_root, name), docs in sorted(groups.items())]
        return context

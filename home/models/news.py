"""Novità: news index (filters, pagination, RSS) and news items."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .base import SportelloPage

NEWS_PER_PAGE = 10


class NewsType(models.TextChoices):
    NOTIZIA = "notizia", _("Notizia")
    COMUNICATO = "comunicato", _("Comunicato")
    AVVISO = "avviso", _("Avviso")


# Novità's second-level pages, titled from the model's vocabulary (`news-category-link`): (slug, title, type).
NEWS_CATEGORIES = [
    ("notizie", _("Notizie"), NewsType.NOTIZIA),
    ("comunicati", _("Comunicati"), NewsType.COMUNICATO),
    ("avvisi", _("Avvisi"), NewsType.AVVISO),
]


class NewsIndexPage(SportelloPage, RoutablePageMixin, Page):
    intro = models.TextField(_("presentazione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("indice delle novità")

    def news(self):
        return NewsPage.objects.child_of(self).live().order_by("-date", "-id")

    def get_sitemap_urls(self, request=None):
        base = self.get_full_url(request)
        return super().get_sitemap_urls(request) + [{"location": f"{base}{slug}/"} for slug, _title, _type in NEWS_CATEGORIES]

    @path("")
    def index(self, request):
        news_type = request.GET.get("tipo", "")
        return self._listing(request, news_type if news_type in NewsType.values else "")

    def _listing(self, request, news_type, category=None):
        from .snippets import Topic

        items = self.news()
        if news_type:
            items = items.filter(news_type=news_type)
        topic_slug = request.GET.get("argomento", "")
        topics = Topic.objects.filter(id__in=NewsPage.topics.through.objects.values("topic_id"))
        if topic_slug and any(t.slug == topic_slug for t in topics):
            items = items.filter(topics__slug=topic_slug)
        else:
            topic_slug = ""
        page_obj = Paginator(items, NEWS_PER_PAGE).get_page(request.GET.get("page"))
        return self.render(
            request,
            context_overrides={
                "news_page": page_obj,
                "news_types": NewsType.choices,
                "news_categories": [(slug, title) for slug, title, _type in NEWS_CATEGORIES],
                "category": category,
                "topics": topics,
                "selected_type": news_type,
                "selected_topic": topic_slug,
            },
        )

    @path("feed/")
    def feed(self, request):
        request.page_cache_timeout = self.page_cache_timeout()
        return NewsFeed(self)(request)

    @path("<slug:category>/")
    def category(self, request, category):
        for slug, title, news_type in NEWS_CATEGORIES:
            if slug == category:
                return self._listing(request, news_type, category=title)
        raise Http404


class NewsFeed(Feed):
    description = _("Notizie, comunicati e avvisi")

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def title(self):
        return self.index_page.title

    def link(self):
        return self.index_page.url

    def items(self):
        return self.index_page.news()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(timezone.datetime.combine(item.date, timezone.datetime.min.time()))


class NewsPage(SportelloPage, Page):
    date = models.DateField(_("data"), default=timezone.localdate)
    news_type = models.CharField(_("tipo"), max_length=20, choices=NewsType.choices, default=NewsType.NOTIZIA)
    summary = models.CharField(_("descrizione breve"), max_length=250)
    body = RichTextField(_("testo"))
    topics = ParentalManyToManyField("home.Topic", blank=True, verbose_name=_("argomenti"))
    related_services = ParentalManyToManyField("home.ServicePage", blank=True, verbose_name=_("servizi collegati"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("news_type"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("topics"),
        FieldPanel("related_services"),
        InlinePanel("attachments", label=_("Allegati")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("news_type"),
        index.FilterField("date"),
    ]
    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("notizia")
        verbose_name_plural = _("notizie")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["attachments"] = list(self.attachments.select_related("document"))
        # Filtered in Python: in the editor's preview the relation is modelcluster's in-memory set.
        context["services"] = sorted((s for s in self.related_services.all() if s.live), key=lambda s: s.title)
        context["page_topics"] = list(self.topics.all())
        return context


class NewsAttachment(Orderable):
    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("document")]

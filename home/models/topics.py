"""Argomenti: the topics page of the "Modello Comuni" (`all-topics` from the home), and a page per topic
with the services, news and FAQ that carry it."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from .base import SportelloPage
from .snippets import Topic


class TopicIndexPage(SportelloPage, RoutablePageMixin, Page):
    intro = models.TextField(_("presentazione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("pagina degli argomenti")

    def get_sitemap_urls(self, request=None):
        base = self.get_full_url(request)
        return super().get_sitemap_urls(request) + [{"location": f"{base}{slug}/"} for slug in Topic.objects.values_list("slug", flat=True)]

    @path("")
    def topics(self, request):
        return self.render(request, context_overrides={"topics": Topic.objects.order_by("name")})

    @path("<slug:slug>/")
    def topic(self, request, slug):
        from .faq import Faq
        from .news import NewsPage
        from .services import ServicePage

        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404
        return self.render(request, template="home/topic_page.html", context_overrides={
            "topic": topic,
            "services": ServicePage.objects.live().filter(topics=topic).order_by("title"),
            "news": NewsPage.objects.live().filter(topics=topic).order_by("-date", "-id")[:12],
            "faqs": Faq.objects.filter(topic=topic).select_related("service"),
        })

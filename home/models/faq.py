"""Domande frequenti: questions as snippets, grouped by topic and linked to services."""

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .base import SportelloPage, safe_json


class Faq(index.Indexed, models.Model):
    question = models.CharField(_("domanda"), max_length=255)
    answer = RichTextField(_("risposta"))
    topic = models.ForeignKey("home.Topic", verbose_name=_("argomento"), on_delete=models.PROTECT, related_name="faqs")
    service = models.ForeignKey(
        "home.ServicePage", verbose_name=_("servizio"), null=True, blank=True, on_delete=models.SET_NULL, related_name="faqs"
    )
    sort_order = models.PositiveIntegerField(_("ordine"), default=0)

    panels = [FieldPanel("question"), FieldPanel("answer"), FieldPanel("topic"), FieldPanel("service"), FieldPanel("sort_order")]
    search_fields = [
        index.SearchField("question", boost=2),
        index.SearchField("answer"),
        index.AutocompleteField("question"),
        index.RelatedFields("topic", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["topic__name", "sort_order", "id"]
        verbose_name = _("domanda frequente")
        verbose_name_plural = _("domande frequenti")

    def __str__(self):
        return self.question


class FaqProposal(models.Model):
    """A question someone outside the editorial office (an URP operator) suggests as a new FAQ; editors
    review it and publish it as a Faq."""

    wagtail_reference_index_ignore = True

    question = models.CharField(_("domanda"), max_length=255)
    answer = models.TextField(_("risposta proposta"))
    service = models.ForeignKey("home.ServicePage", verbose_name=_("servizio"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    proposed_by = models.CharField(_("proposta da"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("proposta il"), auto_now_add=True)
    faq = models.ForeignKey(Faq, verbose_name=_("domanda pubblicata"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+", help_text=_("La domanda frequente creata da questa proposta, quando è accolta."))

    panels = [FieldPanel("question"), FieldPanel("answer"), FieldPanel("service"), FieldPanel("proposed_by", read_only=True),
              FieldPanel("faq")]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposta di domanda frequente")
        verbose_name_plural = _("proposte di domande frequenti")

    def __str__(self):
        return self.question


def faq_json_ld(faqs):
    return safe_json(
        {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {"@type": "Question", "name": f.question, "acceptedAnswer": {"@type": "Answer", "text": strip_tags(f.answer)}}
                for f in faqs
            ],
        }
    )


class FaqPage(SportelloPage, Page):
    intro = models.TextField(_("presentazione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("pagina delle domande frequenti")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        faqs = list(Faq.objects.select_related("topic", "service"))
        groups = {}
        for faq in faqs:
            groups.setdefault(faq.topic, []).append(faq)
        context["faq_groups"] = list(groups.items())
        context["faq_json_ld"] = faq_json_ld(faqs)
        return context

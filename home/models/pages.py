"""Home, section and generic pages of the "Modello Comuni" site."""

from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.cache import request_generation
from home.routing import route_from

from .base import SportelloPage


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Titolo di sezione"), form_classname="title", template="blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragrafo"))
    document = DocumentChooserBlock(label=_("Documento"), template="blocks/document.html")

    class Meta:
        label = _("Contenuto")


class HomePage(SportelloPage, Page):
    shell_cache = True  # nothing personal or clock-dependent outside base.html's holes (home/shell.py)

    intro = models.TextField(_("presentazione"), blank=True)
    featured_services = models.ManyToManyField(
        "home.ServicePage", blank=True, related_name="+", verbose_name=_("servizi in evidenza")
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("featured_services")]
    max_count = 1
    subpage_types = [
        "home.SectionPage",
        "home.ServiceIndexPage",
        "home.NewsIndexPage",
        "home.FaqPage",
        "home.GenericPage",
        "home.LegalNotesPage",
        "home.ReportProblemPage",
        "home.TopicIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        if not path_components:  # the home itself: its view restrictions kept per process, as a routed page's are
            self._sportello_generation = request_generation(request)
        return route_from(self, request, path_components) or super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .news import NewsPage
        from .services import ServicePage
        from .snippets import Topic
        from .topics import TopicIndexPage

        context = super().get_context(request, *args, **kwargs)
        # Lazy: a page from its shell (home/shell.py) reads none of them, and building them cost a query and a third
        # of a warm render.
        context["featured_services"] = SimpleLazyObject(
            lambda: ServicePage.objects.live().filter(id__in=self.featured_services.values("id")).order_by("title")
        )
        context["latest_news"] = SimpleLazyObject(lambda: NewsPage.objects.live().order_by("-date", "-id")[:3])
        context["topics_page"] = SimpleLazyObject(lambda: TopicIndexPage.objects.live().first())
        context["topics"] = SimpleLazyObject(lambda: Topic.objects.order_by("name")[:8])
        return context


class SectionPage(SportelloPage, Page):
    """A first-level section of the menu: Amministrazione, Vivere il Comune."""

    class Element(models.TextChoices):
        MANAGEMENT = "management", _("Amministrazione")
        LIVE = "live", _("Vivere il Comune")

    menu_element = models.CharField(
        _("voce di menu"), max_length=20, choices=Element.choices, help_text=_("Marcatore del modello Comuni.")
    )
    intro = models.TextField(_("presentazione"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenuto"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("menu_element"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "home.GenericPage",
        "home.SectionPage",
        "home.OfficeIndexPage",
        "home.DocumentIndexPage",
        "home.PlaceIndexPage",
        "home.EventIndexPage",
    ]

    class Meta:
        verbose_name = _("sezione")
        verbose_name_plural = _("sezioni")

    def get_context(self, request, *args, **kwargs):
        """The second-level links, each with the model's marker: a page type names its own (Luoghi, Eventi),
        any other page under Amministrazione is a `management-category-link`."""
        context = super().get_context(request, *args, **kwargs)
        default = "management-category-link" if self.menu_element == self.Element.MANAGEMENT else ""
        context["links"] = [
            (child, getattr(child, "section_link_element", default)) for child in self.get_children().live().specific()
        ]
        return context


class GenericPage(SportelloPage, Page):
    intro = models.TextField(_("presentazione"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenuto"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    subpage_types = ["home.GenericPage"]

    class Meta:
        verbose_name = _("pagina generica")
        verbose_name_plural = _("pagine generiche")


# The licence text the model prescribes for the legal notes (AgID's criteria for the Comuni's sites, C.SI.3.4),
# word for word.
LICENSE_TEXT = (
    "In applicazione del principio open by default ai sensi dell’articolo 52 del decreto legislativo "
    "7 marzo 2005, n. 82 (CAD) e salvo dove diversamente specificato (compresi i contenuti incorporati "
    "di terzi), i dati, i documenti e le informazioni pubblicati sul sito sono rilasciati con licenza "
    "CC-BY 4.0. Gli utenti sono quindi liberi di condividere (riprodurre, distribuire, comunicare al "
    "pubblico, esporre in pubblico), rappresentare, eseguire e recitare questo materiale con qualsiasi "
    "mezzo e formato e modificare (trasformare il materiale e utilizzarlo per opere derivate) per "
    "qualsiasi fine, anche commerciale con il solo onere di attribuzione, senza apporre restrizioni aggiuntive."
)


class LegalNotesPage(GenericPage):
    """Note legali: the body plus the fixed "Licenza dei contenuti" section."""

    license_text = LICENSE_TEXT
    parent_page_types = ["home.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("note legali")
        verbose_name_plural = _("note legali")


class ReportProblemPage(SportelloPage, Page):
    """Segnala disservizio: the page with the report form (posted to home.views.report_problem)."""

    intro = RichTextField(_("presentazione"), blank=True)
    thank_you_text = models.TextField(
        _("testo di conferma"), default="Grazie, abbiamo ricevuto la tua segnalazione."
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("thank_you_text")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    show_feedback = False

    class Meta:
        verbose_name = _("segnalazione disservizio")

    def get_context(self, request, *args, **kwargs):
        from home.forms import ProblemReportForm

        context = super().get_context(request, *args, **kwargs)
        context.setdefault("form", ProblemReportForm())
        return context

"""Vivere il Comune's second-level pages of the "Modello Comuni": *Luoghi* (schools, canteens, public desks,
with address and hours) and *Eventi* (the school year's events), each item a page of its own."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .base import SportelloPage


class PlaceIndexPage(SportelloPage, Page):
    intro = models.TextField(_("presentazione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.SectionPage"]
    subpage_types = ["home.PlacePage"]
    max_count = 1
    section_link_element = "live-button-locations"

    class Meta:
        verbose_name = _("pagina dei luoghi")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        places = PlacePage.objects.child_of(self).live().only(
            "title", "url_path", "summary", "place_type", "street_address", "postal_code", "city"
        )
        groups = {}
        for place in places.order_by("title"):
            groups.setdefault(place.place_type, []).append(place)
        labels = dict(PlacePage.Type.choices)
        context["groups"] = [(labels[kind], groups[kind]) for kind in PlacePage.Type.values if kind in groups]
        return context


class PlacePage(SportelloPage, Page):
    """Luogo: where it is, when it is open, how to reach whoever runs it."""

    class Type(models.TextChoices):
        SCHOOL = "scuola", _("Scuole")
        CANTEEN = "mensa", _("Mense e centri cottura")
        DESK = "sportello", _("Sportelli al pubblico")
        OTHER = "altro", _("Altri luoghi")

    place_type = models.CharField(_("tipo di luogo"), max_length=20, choices=Type.choices, default=Type.OTHER)
    summary = models.CharField(_("descrizione breve"), max_length=250)
    description = RichTextField(_("descrizione"), blank=True)
    street_address = models.CharField(_("indirizzo"), max_length=200)
    postal_code = models.CharField(_("CAP"), max_length=5, blank=True)
    city = models.CharField(_("località"), max_length=100, blank=True)
    opening_hours = models.TextField(_("orari di apertura"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("ufficio di riferimento"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    topics = ParentalManyToManyField("home.Topic", blank=True, verbose_name=_("argomenti"))

    route_select_related = ("office",)
    content_panels = Page.content_panels + [
        FieldPanel("place_type"),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("street_address"), FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")])], heading=_("Indirizzo")),
        MultiFieldPanel([FieldPanel("opening_hours"), FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]), FieldPanel("office")], heading=_("Orari e contatti")),
        FieldPanel("topics"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary", boost=2), index.SearchField("description"), index.SearchField("street_address")]
    parent_page_types = ["home.PlaceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("luogo")
        verbose_name_plural = _("luoghi")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["events"] = EventPage.objects.live().filter(place=self, end_at__gte=timezone.now()).select_related("place").order_by("start_at")[:5]
        context["page_topics"] = self.topics.all()
        return context


class EventIndexPage(SportelloPage, Page):
    intro = models.TextField(_("presentazione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.SectionPage"]
    subpage_types = ["home.EventPage"]
    max_count = 1
    section_link_element = "live-button-events"

    class Meta:
        verbose_name = _("pagina degli eventi")

    def page_cache_timeout(self):
        """Until the next event ends, when it moves from the upcoming to the past ones."""
        timeout = super().page_cache_timeout()
        now = timezone.now()
        next_end = EventPage.objects.child_of(self).live().filter(end_at__gt=now).order_by("end_at").values_list("end_at", flat=True).first()
        if next_end:
            timeout = min(timeout, max(1, int((next_end - now).total_seconds())))
        return timeout

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        events = EventPage.objects.child_of(self).live().select_related("place").only(
            "title", "url_path", "summary", "start_at", "end_at", "place__title", "place__url_path"
        )
        context["upcoming"] = events.filter(end_at__gte=now).order_by("start_at")
        context["past"] = events.filter(end_at__lt=now).order_by("-start_at")[:12]
        return context


class EventPage(SportelloPage, Page):
    """Evento: when, where, for whom, and the services it concerns."""

    summary = models.CharField(_("descrizione breve"), max_length=250)
    body = RichTextField(_("descrizione"))
    start_at = models.DateTimeField(_("inizio"))
    end_at = models.DateTimeField(_("fine"))
    place = models.ForeignKey(
        "home.PlacePage", verbose_name=_("luogo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(_("a chi è rivolto"), max_length=200, blank=True)
    cost = models.CharField(_("costo"), max_length=100, blank=True, help_text=_("Lasciare vuoto se l'evento è gratuito."))
    topics = ParentalManyToManyField("home.Topic", blank=True, verbose_name=_("argomenti"))
    related_services = ParentalManyToManyField("home.ServicePage", blank=True, verbose_name=_("servizi collegati"))

    route_select_related = ("place",)
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")]),
        FieldPanel("place"),
        FieldPanel("audience"),
        FieldPanel("cost"),
        FieldPanel("body"),
        FieldPanel("topics"),
        FieldPanel("related_services"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2), index.SearchField("body"), index.FilterField("start_at")
    ]
    parent_page_types = ["home.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")

    def clean(self):
        super().clean()
        if self.start_at and self.end_at and self.end_at < self.start_at:
            raise ValidationError({"end_at": _("La fine deve essere successiva all'inizio.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Filtered in Python: in the editor's preview the relation is modelcluster's in-memory set.
        context["services"] = sorted((s for s in self.related_services.all() if s.live), key=lambda s: s.title)
        context["page_topics"] = list(self.topics.all())
        context["is_past"] = self.end_at < timezone.now()
        return context

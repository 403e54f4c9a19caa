"""Servizi: the index, service categories and the service page (scheda servizio)."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from services.catalogue import modules as catalogue_modules
from services.catalogue import selectors as catalogue

from .base import SportelloPage, safe_json
from .service_blocks import MoreInfoBlock

SERVICES_PER_PAGE = 12


class ServiceIndexPage(SportelloPage, Page):
    intro = models.TextField(_("presentazione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.ServiceCategoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("indice dei servizi")

    def get_context(self, request, *args, **kwargs):
        """The categories as filters, then every service, grouped by category: the model's checks
        collect the services from this page alone (`service-link`), never from the category pages."""
        context = super().get_context(request, *args, **kwargs)
        categories = list(ServiceCategoryPage.objects.child_of(self).live().order_by("title"))
        services = ServicePage.objects.descendant_of(self).live().only("title", "summary", "url_path", "path", "depth").order_by("title")
        by_parent = {}
        for service in services:
            by_parent.setdefault(service.path[: -ServicePage.steplen], []).append(service)
        context["categories"] = categories
        context["groups"] = [(category, by_parent[category.path]) for category in categories if category.path in by_parent]
        context["service_count"] = sum(len(found) for _, found in context["groups"])
        return context


class ServiceCategoryPage(SportelloPage, Page):
    intro = models.TextField(_("descrizione"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.ServiceIndexPage"]
    subpage_types = ["home.ServicePage"]

    class Meta:
        verbose_name = _("categoria di servizi")
        verbose_name_plural = _("categorie di servizi")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        services = ServicePage.objects.child_of(self).live().order_by("title")
        context["services"] = Paginator(services, SERVICES_PER_PAGE).get_page(request.GET.get("page"))
        return context


BOOKING_MODULE = "appointments"  # the catalogue's module for booking an appointment, when installed


class ServicePage(SportelloPage, Page):
    """Scheda servizio, with the sections of the Designers Italia model in their order."""

    shell_cache = True  # everything personal is in holes: the header, *Accedi al servizio*, the user bar

    class Access(models.TextChoices):
        ONLINE = "online", _("Servizio online")
        BOOKING = "booking", _("Prenotazione appuntamento")
        GENERIC = "generic", _("Accesso presso gli uffici")

    summary = models.CharField(_("descrizione breve"), max_length=200)
    is_active = models.BooleanField(_("servizio attivo"), default=True)
    inactive_reason = models.CharField(_("motivo della non attivazione"), max_length=200, blank=True)
    topics = ParentalManyToManyField("home.Topic", blank=True, verbose_name=_("argomenti"))
    service_type = models.CharField(
        _("tipo di servizio"), max_length=100, default="Educazione e formazione", help_text=_("Per i dati strutturati.")
    )
    audience_type = models.CharField(_("destinatari (breve)"), max_length=100, default="Famiglie")

    audience = RichTextField(_("a chi è rivolto"))
    how_to = RichTextField(_("come fare"))
    needed = RichTextField(_("cosa serve"))
    achieved = RichTextField(_("cosa si ottiene"))
    calendar_text = RichTextField(_("tempi e scadenze"))
    cost = RichTextField(_("quanto costa"), blank=True, help_text=_("Lasciare vuoto se il servizio è gratuito."))

    access_type = models.CharField(_("modalità di accesso"), max_length=10, choices=Access.choices, default=Access.GENERIC)
    online_module = models.CharField(
        _("modulo online"), max_length=60, blank=True, choices=catalogue_modules.choices,
        help_text=_("Il servizio online che i cittadini usano da questa pagina. Il periodo di apertura è quello indicato qui sotto."),
    )
    access_url = models.CharField(
        _("indirizzo della prenotazione"), max_length=300, blank=True,
        help_text=_("Solo per l'accesso su prenotazione: la pagina dove si prenota l'appuntamento."),
    )
    access_label = models.CharField(_("etichetta del pulsante"), max_length=60, default="Accedi al servizio")
    access_text = RichTextField(_("istruzioni di accesso"), blank=True)
    online_opens_at = models.DateTimeField(_("apertura online"), null=True, blank=True)
    online_closes_at = models.DateTimeField(_("chiusura online"), null=True, blank=True)
    outside_window_text = models.TextField(
        _("cosa fare fuori dal periodo di apertura"),
        blank=True,
        default="Fuori dal periodo di apertura puoi chiedere informazioni all'ufficio indicato nei contatti.",
    )

    conditions_document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("condizioni di servizio"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("unità organizzativa responsabile"), on_delete=models.PROTECT, related_name="services"
    )
    more_info = StreamField(MoreInfoBlock(), verbose_name=_("ulteriori informazioni"), blank=True)

    route_select_related = ("office", "conditions_document")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("inactive_reason")]),
        FieldPanel("topics"),
        FieldRowPanel([FieldPanel("service_type"), FieldPanel("audience_type")]),
        FieldPanel("audience"),
        FieldPanel("how_to"),
        FieldPanel("needed"),
        FieldPanel("achieved"),
        MultiFieldPanel([FieldPanel("calendar_text"), InlinePanel("deadlines", label=_("Scadenze"))], heading=_("Tempi e scadenze")),
        FieldPanel("cost"),
        MultiFieldPanel(
            [
                FieldPanel("access_type"),
                FieldPanel("online_module"),
                FieldPanel("access_url"),
                FieldPanel("access_label"),
                FieldPanel("access_text"),
                FieldRowPanel([FieldPanel("online_opens_at"), FieldPanel("online_closes_at")]),
                FieldPanel("outside_window_text"),
            ],
            heading=_("Accedi al servizio"),
        ),
        FieldPanel("conditions_document"),
        FieldPanel("office"),
        FieldPanel("more_info"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("audience"),
        index.SearchField("how_to"),
        index.SearchField("needed"),
        index.SearchField("achieved"),
        index.AutocompleteField("summary"),
        index.FilterField("is_active"),
    ]
    parent_page_types = ["home.ServiceCategoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("scheda servizio")
        verbose_name_plural = _("schede servizio")

    def clean(self):
        super().clean()
        errors = {}
        if self.online_opens_at and self.online_closes_at and self.online_closes_at <= self.online_opens_at:
            errors["online_closes_at"] = _("La chiusura deve essere successiva all'apertura.")
        if self.access_type == self.Access.ONLINE and not self.online_module:
            errors["online_module"] = _("Scegli il servizio online che i cittadini usano da questa pagina.")
        elif self.online_module and catalogue_modules.get(self.online_module) is None:
            errors["online_module"] = _("Il servizio online scelto non esiste più: scegline un altro dall'elenco.")
        if self.access_type == self.Access.BOOKING and not self.access_url and catalogue_modules.get(BOOKING_MODULE) is None:
            errors["access_url"] = _("Indica l'indirizzo della pagina di prenotazione.")
        if not self.is_active and not self.inactive_reason:
            errors["inactive_reason"] = _("Spiega perché il servizio non è attivo.")
        if errors:
            raise ValidationError(errors)

    # The online window -------------------------------------------------------------
    def online_window(self) -> catalogue.Window:
        """The window as the service catalogue resolves it (the one the engine and the personal area read):
        publishing writes these dates into the catalogue, and a deploy-time override of the module wins."""
        return catalogue.page_window(self.online_module, self.online_opens_at, self.online_closes_at)

    def module(self):
        """The online module the page offers (registered in code), or None."""
        return catalogue_modules.get(self.online_module) if self.access_type == self.Access.ONLINE else None

    def access_href(self) -> str:
        """Where the access button leads: the module's entry point, or the booking of this service (the booking
        module registered in the catalogue, else the address the editor gave)."""
        module = self.module()
        if module:
            return catalogue_modules.href(module)
        if self.access_type != self.Access.BOOKING:
            return ""
        booking = catalogue_modules.get(BOOKING_MODULE)
        if booking is not None and not self.access_url:
            return f"{catalogue_modules.href(booking)}?servizio={self.slug}"
        return self.access_url

    def window_state(self, now=None):
        """'open', 'not_yet' or 'closed' for the online access window."""
        return self.online_window().state(now)

    def page_cache_timeout(self):
        timeout = super().page_cache_timeout()
        now = timezone.now()
        boundary = self.online_window().next_boundary(now)
        if boundary:
            timeout = min(timeout, max(1, int((boundary - now).total_seconds())))
        return timeout

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        window = self.online_window()
        context["online_window"] = window
        context["window_state"] = window.state() if self.access_type == self.Access.ONLINE else "open"
        # Read only when the body fragment is not in the cache (templates/home/service_page.html), and built only then:
        # making the three querysets cost a warm render a quarter of its time.
        context["deadlines"] = SimpleLazyObject(lambda: self.deadlines.all())
        context["faqs"] = SimpleLazyObject(lambda: self.faqs.select_related("topic").order_by("sort_order", "id"))
        context["page_topics"] = SimpleLazyObject(lambda: self.topics.all())
        return context

    def json_ld(self, request, ente):
        office = self.office
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": self.title,
            "description": self.summary,
            "serviceType": self.service_type,
            "serviceOperator": {"@type": "GovernmentOrganization", "name": ente.name},
            "areaServed": {"@type": "AdministrativeArea", "name": ente.city or ente.name},
            "audience": {"@type": "Audience", "audienceType": self.audience_type},
            "availableChannel": {
                "@type": "ServiceChannel",
                # Not get_access_type_display(): Django hashes every choice's lazy label for it, a twentieth of a page.
                "name": str(dict(self.Access.choices).get(self.access_type, self.access_type)),
                "serviceUrl": request.build_absolute_uri(self.access_href() or self.url),
                "serviceLocation": {
                    "@type": "Place",
                    "name": office.name,
                    "address": {
                        "@type": "PostalAddress",
                        "streetAddress": office.street_address,
                        "postalCode": office.postal_code,
                        "addressLocality": office.city,
                    },
                },
            },
        }
        return safe_json(data)


class ServiceDeadline(Orderable):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="deadlines")
    date = models.DateField(_("data"))
    title = models.CharField(_("descrizione"), max_length=200)

    panels = [FieldPanel("date"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("scadenza")
        verbose_name_plural = _("scadenze")

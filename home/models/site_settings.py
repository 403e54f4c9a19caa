"""Who the ente is: shown in the header, the footer, JSON-LD and printed documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from services.core import ente


@register_setting(icon="site")
class EnteSettings(BaseGenericSetting):
    name = models.CharField(_("nome dell'ente"), max_length=100, default="Comune di Esempio")
    region_name = models.CharField(_("regione"), max_length=100, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("stemma"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    street_address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    postal_code = models.CharField(_("CAP"), max_length=5, blank=True)
    city = models.CharField(_("località"), max_length=100, blank=True)
    phone = models.CharField(_("centralino"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    accessibility_statement_url = models.URLField(
        _("dichiarazione di accessibilità"),
        blank=True,
        help_text=_("Indirizzo della dichiarazione pubblicata su form.agid.gov.it."),
    )
    facebook_url = models.URLField("Facebook", blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("region_name"), FieldPanel("logo")],
            heading=_("Ente"),
            help_text=_("Il codice fiscale e il codice IPA dell'ente sono quelli della configurazione di pagoPA e SPID: "
                        "non si modificano da qui."),
        ),
        MultiFieldPanel(
            [FieldPanel("street_address"), FieldPanel("postal_code"), FieldPanel("city"), FieldPanel("phone"), FieldPanel("email"), FieldPanel("pec")],
            heading=_("Sede e contatti"),
        ),
        FieldPanel("accessibility_statement_url"),
        MultiFieldPanel(
            [FieldPanel("facebook_url"), FieldPanel("instagram_url"), FieldPanel("youtube_url"), FieldPanel("linkedin_url")],
            heading=_("Social"),
        ),
    ]

    class Meta:
        verbose_name = _("dati dell'ente")

    # Identity is configuration (services/core/ente.py): one fiscal code, the pagoPA creditor's.
    @property
    def fiscal_code(self) -> str:
        return ente.fiscal_code()

    @property
    def ipa_code(self) -> str:
        return ente.ipa_code()

    @classmethod
    def editorial_cached(cls) -> dict:
        """`editorial()` kept per process until the settings are saved (which bumps the publish generation): every
        message a submission writes renders the Comune's name and contacts, without a query each."""
        from home.cache import current_generation, local_cache

        key = f"ente-editorial:{current_generation()}"
        found = local_cache().get(key)
        if found is None:
            found = cls.load().editorial()
            local_cache().set(key, found)
        return found

    def editorial(self) -> dict:
        values = {name: getattr(self, name) for name in ente.EDITORIAL_FIELDS}
        values.update(accessibility_statement_url=self.accessibility_statement_url, social_links=self.social_links)
        return values

    @property
    def social_links(self):
        links = [("Facebook", self.facebook_url, "it-facebook"), ("Instagram", self.instagram_url, "it-instagram"),
                 ("YouTube", self.youtube_url, "it-youtube"), ("LinkedIn", self.linkedin_url, "it-linkedin")]
        return [(label, url, icon) for label, url, icon in links if url]

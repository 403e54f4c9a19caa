"""Offices (unità organizzative) and topics (argomenti): snippets shared by pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Topic(index.Indexed, models.Model):
    name = models.CharField(_("nome"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("descrizione"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("argomento")
        verbose_name_plural = _("argomenti")

    def __str__(self):
        return self.name


class Office(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        MUNICIPIO = "municipio", _("Municipio")
        UFFICIO = "ufficio", _("Ufficio")
        URP = "urp", _("Ufficio Relazioni con il Pubblico")
        ALTRO = "altro", _("Altro")

    name = models.CharField(_("nome"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.UFFICIO)
    description = models.TextField(_("competenze"), blank=True)
    manager = models.CharField(_("responsabile"), max_length=150, blank=True)
    street_address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    postal_code = models.CharField(_("CAP"), max_length=5, blank=True)
    city = models.CharField(_("località"), max_length=100, blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    opening_hours = models.TextField(_("orari di apertura"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("manager"),
        MultiFieldPanel(
            [FieldPanel("street_address"), FieldPanel("postal_code"), FieldPanel("city")], heading=_("Sede")
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("pec"), FieldPanel("opening_hours")],
            heading=_("Contatti"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("unità organizzativa")
        verbose_name_plural = _("unità organizzative")

    def __str__(self):
        return self.name

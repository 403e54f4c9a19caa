"""The school registry shared by every school service (OEPAC, meals, transport, the schools' portal):
schools by meccanographic code and order, in the territorial areas (ambiti) of the Municipi."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class SchoolOrder(models.TextChoices):
    INFANZIA = "infanzia", _("Scuola dell'infanzia")
    PRIMARIA = "primaria", _("Scuola primaria")
    SECONDARIA_1 = "secondaria_1", _("Scuola secondaria di primo grado")
    SECONDARIA_2 = "secondaria_2", _("Scuola secondaria di secondo grado")


# Age on 31 December of the school year's first year, per school order (pupils with disabilities may be older).
AGE_RANGES = {
    SchoolOrder.INFANZIA: (2, 6),
    SchoolOrder.PRIMARIA: (5, 12),
    SchoolOrder.SECONDARIA_1: (10, 16),
    SchoolOrder.SECONDARIA_2: (13, 21),
}


class Ambito(models.Model):
    """A territorial area of a Municipio; OEPAC organisations are accredited per ambito."""

    name = models.CharField(_("nome"), max_length=100, unique=True)
    office = models.ForeignKey("accounts.Office", verbose_name=_("municipio"), on_delete=models.PROTECT, related_name="ambiti")

    panels = [FieldPanel("name"), FieldPanel("office")]

    class Meta:
        ordering = ["office__name", "name"]
        verbose_name = _("ambito territoriale")
        verbose_name_plural = _("ambiti territoriali")

    def __str__(self):
        return f"{self.name} ({self.office.name})"


class School(index.Indexed, models.Model):
    code = models.CharField(_("codice meccanografico"), max_length=10, unique=True)
    name = models.CharField(_("denominazione"), max_length=200)
    order = models.CharField(_("ordine"), max_length=20, choices=SchoolOrder.choices)
    ambito = models.ForeignKey(Ambito, verbose_name=_("ambito"), on_delete=models.PROTECT, related_name="schools")
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    active = models.BooleanField(_("attiva"), default=True)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("order"), FieldPanel("ambito"), FieldPanel("address"), FieldPanel("active")]
    search_fields = [index.SearchField("name"), index.SearchField("code"), index.FilterField("active")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("scuola")
        verbose_name_plural = _("scuole")

    def __str__(self):
        return f"{self.name} ({self.code})"

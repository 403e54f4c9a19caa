"""OEPAC: the accredited organisations of each ambito, and the enrollments that accepted applications produce.
Schools and ambiti are the shared school registry (services/schools)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from services.schools.models import Ambito, School


class Organisation(index.Indexed, models.Model):
    """An accredited organisation (organismo accreditato) and the ambiti where it works."""

    name = models.CharField(_("denominazione"), max_length=200, unique=True)
    fiscal_code = models.CharField(_("codice fiscale / partita IVA"), max_length=16, blank=True)
    ambiti = models.ManyToManyField(Ambito, verbose_name=_("ambiti"), related_name="organisations")
    email = models.EmailField(_("e-mail"), blank=True)
    active = models.BooleanField(_("accreditato"), default=True)

    panels = [FieldPanel("name"), FieldPanel("fiscal_code"), FieldPanel("ambiti"), FieldPanel("email"), FieldPanel("active")]
    search_fields = [index.SearchField("name"), index.FilterField("active")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organismo accreditato")
        verbose_name_plural = _("organismi accreditati")

    def __str__(self):
        return self.name


class Enrollment(models.Model):
    """An accepted OEPAC application: the pupil is served at a school, by an organisation, for a school year."""

    wagtail_reference_index_ignore = True

    istanza = models.OneToOneField("istanze.Istanza", on_delete=models.PROTECT, related_name="oepac_enrollment")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oepac_enrollments")
    pupil_fiscal_code = models.CharField(_("codice fiscale dell'alunno"), max_length=16, db_index=True)
    pupil_name = models.CharField(_("alunno"), max_length=200)
    school = models.ForeignKey(School, verbose_name=_("scuola"), on_delete=models.PROTECT, related_name="enrollments")
    school_year = models.CharField(_("anno scolastico"), max_length=9)
    organisation = models.ForeignKey(Organisation, verbose_name=_("organismo assegnato"), null=True, on_delete=models.PROTECT)
    active = models.BooleanField(_("attiva"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("iscrizione OEPAC")
        verbose_name_plural = _("iscrizioni OEPAC")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil_fiscal_code", "school_year"], condition=models.Q(active=True), name="oepac_one_active_enrollment"
            )
        ]

    def __str__(self):
        return f"{self.pupil_name}, {self.school.name} ({self.school_year})"

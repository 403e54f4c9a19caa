"""School transport: routes and their stops, fee plans paid in installments, the children enrolled."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class Direction(models.TextChoices):
    BOTH = "both", _("Andata e ritorno")
    TO_SCHOOL = "to_school", _("Solo andata (casa-scuola)")
    FROM_SCHOOL = "from_school", _("Solo ritorno (scuola-casa)")


class PlanScope(models.TextChoices):
    BOTH = "both", _("Andata e ritorno")
    ONE_WAY = "one_way", _("Una sola direzione")

    @classmethod
    def of(cls, direction: str) -> str:
        return cls.BOTH if direction == Direction.BOTH else cls.ONE_WAY


class Route(ClusterableModel):
    code = models.CharField(_("codice"), max_length=10, unique=True)
    name = models.CharField(_("percorso"), max_length=100)
    active = models.BooleanField(_("attivo"), default=True)

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("active"), InlinePanel("stops", label=_("Fermate"))]

    class Meta:
        ordering = ["code"]
        verbose_name = _("percorso dello scuolabus")
        verbose_name_plural = _("percorsi dello scuolabus")

    def __str__(self):
        return f"{self.code} · {self.name}"


class Stop(Orderable):
    route = ParentalKey(Route, on_delete=models.CASCADE, related_name="stops")
    name = models.CharField(_("fermata"), max_length=120)
    pickup_time = models.TimeField(_("passaggio all'andata"), null=True, blank=True)
    dropoff_time = models.TimeField(_("passaggio al ritorno"), null=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("pickup_time"), FieldPanel("dropoff_time")]

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("fermata")
        verbose_name_plural = _("fermate")

    def __str__(self):
        return f"{self.name} ({self.route.name})"


class FeePlan(ClusterableModel):
    """What a school year of transport costs for a direction, split into installments with due dates."""

    name = models.CharField(_("piano tariffario"), max_length=100)
    school_year = models.CharField(_("anno scolastico"), max_length=7, help_text=_("Ad esempio 2027/28."))
    scope = models.CharField(_("vale per"), max_length=10, choices=PlanScope.choices)
    active = models.BooleanField(_("attivo"), default=True)

    panels = [FieldPanel("name"), FieldPanel("school_year"), FieldPanel("scope"), FieldPanel("active"),
              InlinePanel("installments", label=_("Rate"), min_num=1)]

    class Meta:
        ordering = ["school_year", "scope", "name"]
        verbose_name = _("piano tariffario del trasporto")
        verbose_name_plural = _("piani tariffari del trasporto")

    def __str__(self):
        return self.name

    @property
    def total(self):
        return sum((i.amount for i in self.installments.all()), start=0)


class FeeInstallment(Orderable):
    plan = ParentalKey(FeePlan, on_delete=models.CASCADE, related_name="installments")
    amount = models.DecimalField(_("importo"), max_digits=8, decimal_places=2)
    due_date = models.DateField(_("scadenza"))

    panels = [FieldPanel("amount"), FieldPanel("due_date")]

    class Meta:
        ordering = ["sort_order", "due_date"]
        verbose_name = _("rata")
        verbose_name_plural = _("rate")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="installment_amount_positive")]


class TransportEnrollment(models.Model):
    """A child on the school bus for a school year, from an accepted TRASPORTO application."""

    wagtail_reference_index_ignore = True

    istanza = models.OneToOneField("istanze.Istanza", on_delete=models.PROTECT, related_name="transport_enrollment")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transport_enrollments",
                               verbose_name=_("intestatario"))
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, db_index=True)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+", verbose_name=_("scuola"))
    school_class = models.CharField(_("classe"), max_length=20, blank=True)
    school_year = models.CharField(_("anno scolastico"), max_length=7)
    stop = models.ForeignKey(Stop, on_delete=models.PROTECT, related_name="+", verbose_name=_("fermata"))
    direction = models.CharField(_("direzione"), max_length=12, choices=Direction.choices)
    fee_plan = models.ForeignKey(FeePlan, on_delete=models.PROTECT, related_name="+", verbose_name=_("piano tariffario"))
    active = models.BooleanField(_("attiva"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-school_year", "last_name", "first_name"]
        verbose_name = _("iscrizione al trasporto")
        verbose_name_plural = _("iscrizioni al trasporto")

    def __str__(self):
        return f"{self.first_name} {self.last_name} ({self.school_year})"

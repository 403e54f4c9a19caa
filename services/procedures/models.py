"""The Region's registry for the 0-3 survey (seed 002): the territorial planning areas (CPT), the Comuni taking part
with the municipal users enabled on each, the early-years services it believes authorised and active in each of them,
and the yearly ISTAT count of resident children aged 0-2."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cpt(models.Model):
    """A Coordinamento Pedagogico Territoriale: the Comuni of an area that train their educators together (action C1)."""

    code = models.CharField(_("codice"), max_length=20, unique=True)
    name = models.CharField(_("denominazione"), max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = _("CPT")
        verbose_name_plural = _("CPT (Coordinamenti Pedagogici Territoriali)")

    def __str__(self):
        return self.name


class SurveyComune(models.Model):
    istat_code = models.CharField(_("codice ISTAT"), max_length=6, unique=True)
    name = models.CharField(_("Comune"), max_length=100)
    province = models.CharField(_("provincia"), max_length=2, blank=True, help_text=_("Sigla, ad esempio TO."))
    cpt = models.ForeignKey(Cpt, null=True, blank=True, on_delete=models.PROTECT, related_name="comuni", verbose_name=_("CPT"),
                            help_text=_("Solo i Comuni in un CPT indicano (e devono indicare) l'azione C1, formazione del personale."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("Comune della rilevazione 0-3")
        verbose_name_plural = _("Comuni della rilevazione 0-3")
        permissions = [("view_survey_dashboard", "Può vedere il cruscotto regionale della rilevazione 0-3")]

    def __str__(self):
        return self.name

    @property
    def in_cpt(self) -> bool:
        return self.cpt_id is not None


class ComuneEnablement(models.Model):
    """A municipal user enabled by the Region to fill a Comune's sheets. Disabling deletes the row; both are written in
    Wagtail's history with who did it (the snippet views log them) and `enabled_by` keeps who enabled."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_comuni", verbose_name=_("utente"))
    comune = models.ForeignKey(SurveyComune, on_delete=models.CASCADE, related_name="enablements", verbose_name=_("Comune"))
    enabled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("abilitato da"))
    enabled_at = models.DateTimeField(_("abilitato il"), auto_now_add=True)

    class Meta:
        ordering = ["comune__name", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["user", "comune"], name="procedures_enablement_once")]
        verbose_name = _("abilitazione di un utente comunale")
        verbose_name_plural = _("abilitazioni degli utenti comunali")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} · {self.comune.name}"


class ChildPopulation(models.Model):
    """Resident children aged 0-2 on 1 January of `year` (ISTAT), uploaded by the regional office each year."""

    comune = models.ForeignKey(SurveyComune, on_delete=models.CASCADE, related_name="population", verbose_name=_("Comune"))
    year = models.PositiveSmallIntegerField(_("anno"))
    children = models.PositiveIntegerField(_("bambini residenti 0-2 anni"))

    class Meta:
        ordering = ["comune__name", "-year"]
        constraints = [models.UniqueConstraint(fields=["comune", "year"], name="procedures_population_once")]
        verbose_name = _("popolazione 0-2 anni")
        verbose_name_plural = _("popolazione 0-2 anni (ISTAT)")

    def __str__(self):
        return f"{self.comune.name} {self.year}: {self.children}"


class EarlyYearsService(models.Model):
    class Kind(models.TextChoices):
        NIDO = "nido", _("Nido d'infanzia")
        MICRONIDO = "micronido", _("Micronido")
        PRIMAVERA = "primavera", _("Sezione primavera")
        CENTRO = "centro", _("Centro bambini e genitori")
        SPAZIO = "spazio", _("Spazio gioco")

    class Ownership(models.TextChoices):
        PUBLIC = "public", _("Pubblico (gestione diretta o indiretta)")
        PRIVATE = "private", _("Privato")

    comune = models.ForeignKey(SurveyComune, on_delete=models.PROTECT, related_name="services", verbose_name=_("Comune"))
    code = models.CharField(_("codice regionale"), max_length=20, unique=True)
    name = models.CharField(_("denominazione"), max_length=150)
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    kind = models.CharField(_("tipologia"), max_length=12, choices=Kind.choices)
    ownership = models.CharField(_("titolarità"), max_length=8, choices=Ownership.choices)
    authorised_on = models.DateField(_("autorizzato dal"))
    places = models.PositiveIntegerField(_("posti autorizzati"), default=0)
    active = models.BooleanField(_("nella rilevazione"), default=True)

    class Meta:
        ordering = ["comune", "name"]
        verbose_name = _("servizio educativo 0-3")
        verbose_name_plural = _("servizi educativi 0-3")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

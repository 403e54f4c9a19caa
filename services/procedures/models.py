"""The Region's registry for the 0-3 survey (seed 002): the Comuni taking part and the early-years
services it believes authorised and active in each of them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyComune(models.Model):
    istat_code = models.CharField(_("codice ISTAT"), max_length=6, unique=True)
    name = models.CharField(_("Comune"), max_length=100)
    in_cpt = models.BooleanField(_("aderisce a un Coordinamento Pedagogico Territoriale"), default=False,
                                 help_text=_("Solo i Comuni in un CPT indicano (e devono indicare) l'azione C1, formazione del personale."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("Comune della rilevazione 0-3")
        verbose_name_plural = _("Comuni della rilevazione 0-3")

    def __str__(self):
        return self.name


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
    active = models.BooleanField(_("nella rilevazione"), default=True)

    class Meta:
        ordering = ["comune", "name"]
        verbose_name = _("servizio educativo 0-3")
        verbose_name_plural = _("servizi educativi 0-3")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

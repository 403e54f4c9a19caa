"""What visitors tell us: page ratings and reports of problems (disservizi)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from services.core import rating as model_rating


class PageFeedback(models.Model):
    page = models.ForeignKey(Page, verbose_name=_("pagina"), on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("valutazione"))
    answer = models.CharField(_("risposta"), max_length=30, choices=model_rating.ANSWERS)
    comment = models.CharField(_("commento"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("data"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("valutazione di pagina")
        verbose_name_plural = _("valutazioni delle pagine")
        constraints = [models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_5")]

    def __str__(self):
        return f"{self.page_id}: {self.rating}/5"


class InefficiencyReport(models.Model):
    class Category(models.TextChoices):
        INFORMAZIONI = "informazioni", _("Informazioni errate o mancanti")
        SERVIZIO_ONLINE = "servizio-online", _("Servizio online non funzionante")
        ACCESSIBILITA = "accessibilita", _("Problema di accessibilità")
        SERVIZIO = "servizio", _("Disservizio di un ufficio o di un servizio")
        ALTRO = "altro", _("Altro")

    category = models.CharField(_("categoria"), max_length=30, choices=Category.choices)
    description = models.TextField(_("descrizione"), max_length=2000)
    page_url = models.CharField(_("pagina interessata"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail per la risposta"), blank=True)
    created_at = models.DateTimeField(_("data"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("segnalazione di disservizio")
        verbose_name_plural = _("segnalazioni di disservizio")

    def __str__(self):
        return f"{self.get_category_display()} ({self.created_at:%d/%m/%Y})"

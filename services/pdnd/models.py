from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consultation(models.Model):
    """The access register: one row per call to an e-service — who asked, for what, why, and how it went. The person
    whose data was read is kept as a keyed hash of their codice fiscale, never in clear."""

    class Outcome(models.TextChoices):
        OK = "ok", _("riuscita")
        NOT_FOUND = "not_found", _("nessun dato")
        NOT_AUTHORISED = "not_authorised", _("non autorizzata")
        UNAVAILABLE = "unavailable", _("servizio non disponibile")

    wagtail_reference_index_ignore = True

    eservice = models.CharField(_("e-service"), max_length=40)
    purpose_id = models.CharField(_("finalità PDND"), max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("richiesta da"))
    subject = models.CharField(_("interessato (impronta)"), max_length=32, db_index=True)
    reason = models.CharField(_("motivo"), max_length=200)
    reference = models.CharField(_("riferimento"), max_length=64, blank=True)
    outcome = models.CharField(_("esito"), max_length=20, choices=Outcome.choices)
    duration_ms = models.PositiveIntegerField(_("durata (ms)"), default=0)
    tracking_id = models.CharField(_("identificativo di tracciamento"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("data e ora"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultazione PDND")
        verbose_name_plural = _("consultazioni PDND")

    def __str__(self):
        return f"{self.eservice} {self.created_at:%d/%m/%Y %H:%M}"

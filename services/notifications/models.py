"""Messages from staff to the families of a school or a service, and the delivery of each one."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Broadcast(models.Model):
    """An interruption or urgent news, sent by e-mail and/or SMS to the families of a service (and school or route)."""

    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        QUEUED = "queued", _("In invio")
        SENT = "sent", _("Inviato")

    token = models.UUIDField(unique=True, editable=False)  # from the confirmation form: a double submit sends once
    subject = models.CharField(_("oggetto"), max_length=120)
    body = models.TextField(_("testo"), max_length=1000)
    audience = models.CharField(_("servizio"), max_length=20)
    # The registered filters that narrow the audience ({"school": pk, "route": pk}), and how they read when sent.
    filters = models.JSONField(_("filtri"), default=dict, blank=True)
    filters_text = models.CharField(_("solo per"), max_length=300, blank=True)
    by_email = models.BooleanField(_("e-mail"), default=True)
    by_sms = models.BooleanField(_("SMS"), default=False)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("comunicazione alle famiglie")
        verbose_name_plural = _("comunicazioni alle famiglie")

    def __str__(self):
        return self.subject

    @property
    def audience_label(self) -> str:
        from .audiences import label

        return label(self.audience)


class Delivery(models.Model):
    """One message to one family on one channel: sent, or why not. Unique, so a re-run sends nothing twice."""

    wagtail_reference_index_ignore = True

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10)  # email, sms, none (no contact on file)
    delivered = models.BooleanField(default=False)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["broadcast", "user_id", "channel"]
        constraints = [models.UniqueConstraint(fields=["broadcast", "user", "channel"], name="one_delivery_per_channel")]

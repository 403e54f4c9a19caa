"""The outbox: every message to a citizen or an office, each channel it goes out on, the citizens' opt-outs,
and the staff's broadcasts to families."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Broadcast(models.Model):
    """An interruption or urgent news to the families of a service (narrowed by school or route). One row is
    written in the request; the worker fans it out into one Message per family."""

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
    channels = models.JSONField(_("canali"), default=list)  # the codes of the registered channels it goes out on
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

    @property
    def channel_labels(self) -> str:
        from .channels import label

        return ", ".join(label(code) for code in self.channels)


class Message(models.Model):
    """One message of a kind, about one event, to one recipient (a user, or an address for offices): written in
    the caller's transaction, so it is sent if and only if what it tells happened. Its texts are rendered when
    it is queued; each channel it goes out on is a Dispatch."""

    wagtail_reference_index_ignore = True

    kind = models.CharField(_("tipo"), max_length=60)
    event = models.CharField(_("evento"), max_length=120)  # e.g. istanza-event:42: what the message is about
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="messages")
    address = models.EmailField(_("indirizzo"), blank=True)  # a recipient without an account (a RUP, an office)
    subject = models.CharField(_("oggetto"), max_length=200)
    body = models.TextField(_("testo"))
    html = models.TextField(blank=True)
    parts = models.JSONField(default=dict, blank=True)  # each channel's own texts: {"sms": {"text": …}, "io": {…}}
    payment_data = models.JSONField(null=True, blank=True)  # App IO: amount (cents), notice_number, payee fiscal code
    due_date = models.DateTimeField(null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)  # where the personal area shows what it is about
    ref = models.CharField(max_length=120, blank=True)  # what the kind's attachments are built from
    in_area = models.BooleanField(default=True)
    request_id = models.CharField(max_length=64, blank=True)  # the request that wrote it (core.observability), for the logs
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("messaggio")
        verbose_name_plural = _("messaggi")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], condition=models.Q(user__isnull=False), name="one_message_per_event_and_user"),
            models.UniqueConstraint(fields=["event", "address"], condition=models.Q(user__isnull=True), name="one_message_per_event_and_address"),
        ]
        indexes = [models.Index(fields=["user", "kind", "created_at"])]

    def __str__(self):
        return self.subject


class Dispatch(models.Model):
    """A message on one channel: queued, then sent (and, on App IO, processed), or failed with the reason.
    Unique per channel, so a retried task or a double click sends nothing twice."""

    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        QUEUED = "queued", _("in coda")
        SENDING = "sending", _("in invio")
        RETRY = "retry", _("da ritentare")
        SENT = "sent", _("inviato")
        DELIVERED = "delivered", _("consegnato")
        FAILED = "failed", _("non inviato")
        DEAD = "dead", _("non inviato dopo i tentativi")
        UNREACHABLE = "unreachable", _("nessun recapito")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="dispatches")
    channel = models.CharField(_("canale"), max_length=20)  # a registered channel's code, or "none": nothing reaches them
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentativi"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("motivo"), max_length=300, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)  # App IO's message id
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["message_id", "channel"]
        verbose_name = _("invio")
        verbose_name_plural = _("invii")
        constraints = [models.UniqueConstraint(fields=["message", "channel"], name="one_dispatch_per_channel")]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self):
        return f"{self.message_id} {self.channel} {self.status}"

    def get_channel_display(self) -> str:
        from .channels import label

        return label(self.channel)


class OptOut(models.Model):
    """A citizen does not want messages of this kind on this channel (never for the kinds that must reach them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_opt_outs")
    kind = models.CharField(max_length=60)
    channel = models.CharField(max_length=10)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="one_opt_out")]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class StaffAlert(models.Model):
    """Something for a member of staff to look at: a case arrived at their office, was assigned to them, or the citizen
    wrote on it. Shown on the admin's dashboard until read; gathered into a daily e-mail for those who chose it.
    Once per person and event."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_alerts")
    event = models.CharField(max_length=120)  # what it is about, e.g. istanza-arrived:42
    text = models.CharField(_("avviso"), max_length=300)
    url = models.CharField(max_length=300, blank=True)  # the record's page in the admin
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("avviso per il personale")
        verbose_name_plural = _("avvisi per il personale")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="one_alert_per_user_and_event")]

    def __str__(self):
        return self.text

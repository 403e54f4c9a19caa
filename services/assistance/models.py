"""Requests for assistance (the model's *Richiesta di assistenza*): a citizen's question, routed to an office, answered
in one thread on the URP desk; canned replies and response-time targets kept by the staff."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel

from services.core.storage import private_storage

from .states import Status


class AssistanceRequest(models.Model):
    wagtail_reference_index_ignore = True

    class Channel(models.TextChoices):
        SITE = "sito", _("Modulo del sito")
        SERVICE = "scheda", _("Scheda del servizio")
        APPLICATION = "pratica", _("Pagina della pratica")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the only id in citizens' URLs
    number = models.CharField(_("numero"), max_length=40, unique=True, null=True, blank=True)  # given when it reaches the desk
    status = models.CharField(_("stato"), max_length=20, choices=Status.choices, default=Status.NUOVA, db_index=True)
    channel = models.CharField(_("canale"), max_length=10, choices=Channel.choices, default=Channel.SITE)
    category_slug = models.SlugField(max_length=255)
    category_label = models.CharField(_("categoria"), max_length=255)
    service = models.ForeignKey("catalogue.Service", verbose_name=_("servizio"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    istanza = models.ForeignKey("istanze.Istanza", verbose_name=_("pratica"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    office = models.ForeignKey("accounts.Office", verbose_name=_("ufficio"), on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assegnata a"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="assistance_requests")
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"))
    message = models.TextField(_("messaggio"))
    attachment = models.FileField(storage=private_storage, upload_to="assistenza/%Y/%m/", max_length=300, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("arrivata il"), null=True, blank=True, db_index=True)  # None until the e-mail is confirmed
    first_reply_due = models.DateField(_("prima risposta entro"), null=True, blank=True)
    resolution_due = models.DateField(_("risoluzione entro"), null=True, blank=True)
    first_reply_at = models.DateTimeField(_("prima risposta il"), null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)  # the clocks pause while waiting for the citizen
    resolved_at = models.DateTimeField(_("risolta il"), null=True, blank=True)
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)  # the e-mail's reply link; rotated at each reply
    token_expires_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("valutazione"), null=True, blank=True)
    rating_comment = models.CharField(_("commento"), max_length=500, blank=True)
    minimised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("richiesta di assistenza")
        verbose_name_plural = _("richieste di assistenza")
        indexes = [models.Index(fields=["office", "status"]), models.Index(fields=["email", "created_at"])]
        permissions = [("answer_assistancerequest", "Può rispondere alle richieste di assistenza"),
                       ("view_assistance_stats", "Può vedere le statistiche dell'URP")]

    def __str__(self):
        return self.number or str(_("richiesta non confermata"))

    @property
    def requester_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ThreadEntry(models.Model):
    """One post of a request's thread: the citizen's answer, the office's reply, an internal note, or an event."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Messaggio del cittadino")
        REPLY = "reply", _("Risposta dell'ufficio")
        NOTE = "note", _("Nota interna")
        EVENT = "event", _("Evento")

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    faq = models.JSONField(default=list, blank=True)  # [{"id", "question", "url"}] linked by a reply
    attachment = models.FileField(storage=private_storage, upload_to="assistenza/%Y/%m/", max_length=300, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def public(self) -> bool:
        """Whether the citizen sees it: never an internal note."""
        return self.kind != self.Kind.NOTE


class CannedReply(models.Model):
    title = models.CharField(_("titolo"), max_length=150, unique=True)
    body = models.TextField(_("testo"))
    active = models.BooleanField(_("in uso"), default=True)

    panels = [FieldPanel("title"), FieldPanel("body"), FieldPanel("active")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("risposta predefinita")
        verbose_name_plural = _("risposte predefinite")

    def __str__(self):
        return self.title


class ResponseTarget(models.Model):
    """Working days for the first reply and for the resolution, per category (a category without a row uses the
    defaults in settings)."""

    category_slug = models.SlugField(_("categoria"), max_length=255, unique=True,
                                     help_text=_("Lo slug della categoria di servizio, o «urp» per le domande generali."))
    first_reply_days = models.PositiveSmallIntegerField(_("prima risposta entro (giorni lavorativi)"), default=2)
    resolution_days = models.PositiveSmallIntegerField(_("risoluzione entro (giorni lavorativi)"), default=10)

    panels = [FieldPanel("category_slug"), FieldPanel("first_reply_days"), FieldPanel("resolution_days")]

    class Meta:
        ordering = ["category_slug"]
        verbose_name = _("tempo di risposta")
        verbose_name_plural = _("tempi di risposta")

    def __str__(self):
        return self.category_slug

"""Applications (istanze) and their history."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.core.storage import private_storage

from .states import Actor, Status


class Istanza(models.Model):
    wagtail_reference_index_ignore = True  # not content: keep saves to one query
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the only id in URLs
    procedure_code = models.CharField(_("procedura"), max_length=50, db_index=True)
    procedure_version = models.PositiveIntegerField(default=1)
    test = models.BooleanField(_("di prova"), default=False)  # an editor trying a procedure: never numbered or routed
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="istanze")
    office = models.ForeignKey("accounts.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="istanze")
    status = models.CharField(_("stato"), max_length=30, choices=Status.choices, default=Status.BOZZA, db_index=True)
    number = models.CharField(_("numero"), max_length=60, unique=True, null=True, blank=True)
    data = models.JSONField(default=dict)  # cleaned values per step, frozen at "Salva e prosegui"
    summary = models.JSONField(default=list)  # [{"title", "rows": [[label, value]]}]: what the citizen confirmed
    wizard = models.JSONField(default=dict)  # the wizard's server-side state (django-formtools storage)
    current_step = models.CharField(max_length=50, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="istanze_assigned",
        verbose_name=_("assegnata a"),
    )
    starred = models.BooleanField(_("importante"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("inviata il"), null=True, blank=True)
    taken_in_charge_at = models.DateTimeField(_("presa in carico il"), null=True, blank=True)
    due_date = models.DateField(_("data massima di conclusione"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("pratica")
        verbose_name_plural = _("pratiche")
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["office", "status"])]

    def __str__(self):
        return self.number or f"{self.procedure_code} (bozza)"

    @property
    def procedure(self):
        from . import registry

        return registry.for_istanza(self)


class IstanzaEvent(models.Model):
    """One row per state change: who, when, from and to, and the note."""

    wagtail_reference_index_ignore = True  # not content: keep saves to one query

    istanza = models.ForeignKey(Istanza, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    actor_kind = models.CharField(max_length=10, choices=Actor.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class Attachment(models.Model):
    """A file of an application: uploaded by the citizen in the wizard, or an act issued by the office."""

    wagtail_reference_index_ignore = True  # not content: keep saves to one query

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Allegato del cittadino")
        OFFICE = "office", _("Atto dell'ufficio")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    istanza = models.ForeignKey(Istanza, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    field = models.CharField(max_length=80, blank=True)  # the wizard field, for citizen files
    label = models.CharField(_("descrizione"), max_length=200)
    file = models.FileField(storage=private_storage, upload_to="istanze/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sensitive = models.BooleanField(default=False)  # health data: every read is logged
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "created_at", "id"]
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")

    def __str__(self):
        return self.original_name


class AttachmentAccess(models.Model):
    """Who downloaded which file, and when (append-only)."""

    wagtail_reference_index_ignore = True  # not content: keep saves to one query

    # The log outlives a file replaced during an integration: it keeps the application and the file's name.
    attachment = models.ForeignKey(Attachment, null=True, on_delete=models.SET_NULL, related_name="accesses")
    istanza = models.ForeignKey(Istanza, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accesso a un allegato")
        verbose_name_plural = _("accessi agli allegati")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class ProcedureRating(models.Model):
    """The end-of-flow rating (C.SE.1.7), one per application."""

    wagtail_reference_index_ignore = True  # not content: keep saves to one query

    procedure_code = models.CharField(_("procedura"), max_length=50, db_index=True)
    istanza = models.OneToOneField(Istanza, null=True, on_delete=models.SET_NULL, related_name="rating")
    rating = models.PositiveSmallIntegerField(_("valutazione"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    answer = models.CharField(_("risposta"), max_length=30)
    comment = models.CharField(_("commento"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("data"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("valutazione del servizio")
        verbose_name_plural = _("valutazioni dei servizi")
        constraints = [models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="procedure_rating_1_5")]

    def __str__(self):
        return f"{self.procedure_code}: {self.rating}/5"

"""Applications (istanze) and their history."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .states import Actor, Status


class Istanza(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the only id in URLs
    procedure_code = models.CharField(_("procedura"), max_length=50, db_index=True)
    procedure_version = models.PositiveIntegerField(default=1)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="istanze")
    office = models.ForeignKey("accounts.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="istanze")
    status = models.CharField(_("stato"), max_length=30, choices=Status.choices, default=Status.BOZZA, db_index=True)
    number = models.CharField(_("numero"), max_length=60, unique=True, null=True, blank=True)
    data = models.JSONField(default=dict)
    current_step = models.CharField(max_length=50, blank=True)
    starred = models.BooleanField(_("importante"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("inviata il"), null=True, blank=True)
    taken_in_charge_at = models.DateTimeField(_("presa in carico il"), null=True, blank=True)
    due_date = models.DateField(_("data massima di conclusione"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("istanza")
        verbose_name_plural = _("istanze")
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["office", "status"])]

    def __str__(self):
        return self.number or f"{self.procedure_code} (bozza)"


class IstanzaEvent(models.Model):
    """One row per state change: who, when, from and to, and the note."""

    istanza = models.ForeignKey(Istanza, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=Status.choices)
    actor_kind = models.CharField(max_length=10, choices=Actor.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

"""Appointments at an office's counter: opening hours per weekday, closures, the appointment types of the
catalogue's services, slots materialised for the booking horizon (a booking locks a real row), holds during the
flow, and the appointments."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel

from .states import Status


class OpeningBlock(models.Model):
    """An office's counter is open for appointments on this weekday between these times."""

    class Weekday(models.IntegerChoices):
        MON = 0, _("lunedì")
        TUE = 1, _("martedì")
        WED = 2, _("mercoledì")
        THU = 3, _("giovedì")
        FRI = 4, _("venerdì")
        SAT = 5, _("sabato")

    office = models.ForeignKey("accounts.Office", verbose_name=_("ufficio"), on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("giorno"), choices=Weekday.choices)
    starts = models.TimeField(_("dalle"))
    ends = models.TimeField(_("alle"))

    panels = [FieldPanel("office"), FieldPanel("weekday"), FieldPanel("starts"), FieldPanel("ends")]

    class Meta:
        ordering = ["office__name", "weekday", "starts"]
        verbose_name = _("orario per appuntamenti")
        verbose_name_plural = _("orari per appuntamenti")
        constraints = [models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="appointments_block_ends_after_start")]

    def __str__(self):
        return f"{self.office.name}: {self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


class Closure(models.Model):
    """Days an office (or every office) takes no appointments, besides the public holidays."""

    office = models.ForeignKey("accounts.Office", verbose_name=_("ufficio"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", help_text=_("Vuoto: tutti gli uffici."))
    start = models.DateField(_("dal"))
    end = models.DateField(_("al"))
    reason = models.CharField(_("motivo"), max_length=200)

    panels = [FieldPanel("office"), FieldPanel("start"), FieldPanel("end"), FieldPanel("reason")]

    class Meta:
        ordering = ["-start"]
        verbose_name = _("chiusura")
        verbose_name_plural = _("chiusure")
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="appointments_closure_end_after_start")]

    def __str__(self):
        return f"{self.reason} ({self.start:%d/%m/%Y}-{self.end:%d/%m/%Y})"


class AppointmentType(models.Model):
    """What a citizen books for a service of the catalogue, and at which offices."""

    service = models.ForeignKey("catalogue.Service", verbose_name=_("servizio"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("argomento"), max_length=150)
    offices = models.ManyToManyField("accounts.Office", verbose_name=_("uffici"), related_name="+")
    duration = models.PositiveSmallIntegerField(_("durata (minuti)"), default=20)
    places = models.PositiveSmallIntegerField(_("posti per fascia"), default=1)
    min_notice_hours = models.PositiveSmallIntegerField(_("preavviso minimo (ore)"), default=24)
    horizon_days = models.PositiveSmallIntegerField(_("prenotabile fino a (giorni)"), default=30)
    per_person = models.PositiveSmallIntegerField(_("appuntamenti aperti per persona"), default=1)
    what_to_bring = models.TextField(_("cosa serve"), blank=True)
    active = models.BooleanField(_("attivo"), default=True)

    panels = [FieldPanel("service"), FieldPanel("title"), FieldPanel("offices"), FieldPanel("duration"), FieldPanel("places"),
              FieldPanel("min_notice_hours"), FieldPanel("horizon_days"), FieldPanel("per_person"), FieldPanel("what_to_bring"),
              FieldPanel("active")]

    class Meta:
        ordering = ["service__title", "title"]
        verbose_name = _("tipo di appuntamento")
        verbose_name_plural = _("tipi di appuntamento")

    def __str__(self):
        return f"{self.title} ({self.service.title})"


class Slot(models.Model):
    """A bookable time at an office for one appointment type; `booked` counts the places taken, and the database
    refuses more than `places`."""

    wagtail_reference_index_ignore = True

    type = models.ForeignKey(AppointmentType, on_delete=models.CASCADE, related_name="slots")
    office = models.ForeignKey("accounts.Office", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    places = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)
    blocked = models.BooleanField(default=False)  # the office took it off (a meeting, an absence)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["type", "office", "starts_at"], name="appointments_one_slot_per_time"),
            models.CheckConstraint(condition=Q(booked__lte=F("places")), name="appointments_never_overbooked"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"


class PersonGate(models.Model):
    """One row per appointment type and person (codice fiscale or e-mail, hashed): the booking locks it, so two
    bookings of one person for one type — even of different slots, at the same time — are counted one after the other
    against the per-person limit, without serialising anybody else's."""

    type = models.ForeignKey(AppointmentType, on_delete=models.CASCADE, related_name="+")
    person = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["type", "person"], name="appointments_one_gate_per_person")]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class Hold(models.Model):
    """A place kept for a browser session while it completes the flow (one per session), until `expires_at`."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="holds")
    session_key = models.CharField(max_length=64, unique=True)
    client = models.CharField(max_length=32, blank=True, db_index=True)  # the client's address, hashed (core.http.client_key)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class Appointment(models.Model):
    wagtail_reference_index_ignore = True

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    status = models.CharField(_("stato"), max_length=30, choices=Status.choices, default=Status.CONFIRMED, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments")
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), db_index=True)
    phone = models.CharField(_("telefono"), max_length=20, blank=True)
    reason = models.CharField(_("motivo"), max_length=200)
    cancel_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    sequence = models.PositiveSmallIntegerField(default=0)  # the calendar event's SEQUENCE, up at each change
    cancel_reason = models.CharField(_("motivo dell'annullamento"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Where an unconfirmed booking came from, hashed: limits per network address and per browser session.
    client = models.CharField(max_length=32, blank=True, db_index=True)
    session = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["slot__starts_at"]
        verbose_name = _("appuntamento")
        verbose_name_plural = _("appuntamenti")
        permissions = [("manage_agenda", "Può gestire l'agenda degli appuntamenti")]

    def __str__(self):
        return f"{self.last_name} {self.first_name} {self.slot}"

    @property
    def uid(self) -> str:
        """The calendar event's stable UID."""
        return f"{self.public_id}@sportello"

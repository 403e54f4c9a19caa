"""Debt positions (one payment option each), their receipts and their history."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .states import OPEN, PositionStatus


class PositionQuerySet(models.QuerySet):
    def open(self):
        """Unpaid positions: issued and not paid nor withdrawn (states.OPEN)."""
        return self.filter(settled_at__isnull=True, status__in=OPEN)


class PaymentPosition(models.Model):
    wagtail_reference_index_ignore = True

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    iupd = models.CharField(max_length=60, unique=True)  # <ente CF>-<uuid>, GPD's position id
    iuv = models.CharField("IUV", max_length=17, unique=True)
    nav = models.CharField(_("codice avviso"), max_length=18, unique=True)
    ente_fiscal_code = models.CharField(max_length=11)
    purpose = models.CharField(_("causale"), max_length=40, db_index=True)  # e.g. "wallet-topup"
    purpose_ref = models.CharField(max_length=80, blank=True)  # the purpose owner's id (e.g. the wallet)
    taxonomy = models.CharField(max_length=40)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payment_positions")
    debtor_fiscal_code = models.CharField(max_length=16)
    debtor_name = models.CharField(max_length=140)
    description = models.CharField(_("descrizione"), max_length=140)
    amount = models.DecimalField(_("importo"), max_digits=11, decimal_places=2)
    due_date = models.DateField(_("scadenza"))
    status = models.CharField(_("stato"), max_length=20, choices=PositionStatus.choices, default=PositionStatus.NEW, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    checkout_started_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(_("pagata il"), null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)  # when the purpose's owner was told, exactly once

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("posizione debitoria")
        verbose_name_plural = _("posizioni debitorie")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return f"{self.nav} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.settled_at is None and self.status in OPEN


class Receipt(models.Model):
    """A pagoPA receipt; the same receipt pushed or polled twice is stored once."""

    wagtail_reference_index_ignore = True

    class Source(models.TextChoices):
        PUSH = "push", _("Inviata da pagoPA")
        POLL = "poll", _("Letta da pagoPA")
        MOPUP = "mopup", _("Recuperata")

    position = models.ForeignKey(PaymentPosition, on_delete=models.PROTECT, related_name="receipts")
    ente_fiscal_code = models.CharField(max_length=11)
    iuv = models.CharField(max_length=17)
    receipt_id = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10)
    amount = models.DecimalField(max_digits=11, decimal_places=2)
    payment_date = models.DateTimeField(null=True, blank=True)
    psp_name = models.CharField(max_length=140, blank=True)
    payload = models.JSONField(default=dict)
    source = models.CharField(max_length=10, choices=Source.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("ricevuta pagoPA")
        verbose_name_plural = _("ricevute pagoPA")
        constraints = [
            models.UniqueConstraint(fields=["ente_fiscal_code", "iuv", "receipt_id"], name="receipt_once"),
        ]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class PaymentEvent(models.Model):
    """Append-only history of a position: state changes, calls to pagoPA, rejected receipts."""

    wagtail_reference_index_ignore = True

    position = models.ForeignKey(PaymentPosition, null=True, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    detail = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class ReconciliationIssue(models.Model):
    """A difference found by the nightly reconciliation, for the admin report."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        PAID_WITHOUT_RECEIPT = "paid_without_receipt", _("Pagata su pagoPA, ricevuta mancante")
        UNKNOWN_IUV = "unknown_iuv", _("Ricevuta per uno IUV non emesso da noi")
        PAID_TWICE = "paid_twice", _("Avviso pagato due volte (da rimborsare)")
        AMOUNT_MISMATCH = "amount_mismatch", _("Importo della ricevuta diverso")
        STATE_MISMATCH = "state_mismatch", _("Stato diverso tra pagoPA e Sportello")

    kind = models.CharField(_("tipo"), max_length=30, choices=Kind.choices)
    iuv = models.CharField("IUV", max_length=17)
    position = models.ForeignKey(PaymentPosition, null=True, blank=True, on_delete=models.PROTECT, related_name="issues")
    detail = models.JSONField(default=dict)
    found_on = models.DateField(_("trovata il"))
    resolved_at = models.DateTimeField(_("risolta il"), null=True, blank=True)

    class Meta:
        ordering = ["-found_on", "kind"]
        verbose_name = _("differenza di riconciliazione")
        verbose_name_plural = _("differenze di riconciliazione")
        constraints = [models.UniqueConstraint(fields=["kind", "iuv", "found_on"], name="reconciliation_issue_once_a_day")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.iuv}"


from .suspension import PaymentSettings  # noqa: E402,F401  (a model of this app)

"""The family meal account: one wallet per account holder, an append-only ledger, a balance kept under row locks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Wallet(models.Model):
    wagtail_reference_index_ignore = True

    holder = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wallet",
                                  verbose_name=_("intestatario"))
    payment_code = models.CharField(_("codice di pagamento"), max_length=12, unique=True)  # stable, printed on letters
    balance = models.DecimalField(_("saldo"), max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conto mensa")
        verbose_name_plural = _("conti mensa")

    def __str__(self):
        return f"{self.payment_code} ({self.holder})"


class LedgerEntry(models.Model):
    """Never updated, never deleted: corrections are new entries."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        TOPUP = "topup", _("Ricarica")
        MEAL = "meal", _("Pasto")
        REFUND = "refund", _("Rimborso")
        ADJUSTMENT = "adjustment", _("Rettifica")
        OPENING = "opening", _("Saldo iniziale")

    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("importo"), max_digits=12, decimal_places=2)  # + credit, − debit
    description = models.CharField(_("descrizione"), max_length=200)
    reference = models.CharField(max_length=80)  # idempotency key, e.g. pagopa:<IUV> or meal:<date>:<child>
    business_date = models.DateField(_("data"))  # Europe/Rome
    balance_after = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-business_date", "-id"]
        verbose_name = _("movimento")
        verbose_name_plural = _("movimenti")
        constraints = [
            models.UniqueConstraint(fields=["wallet", "reference"], name="ledger_entry_once"),
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_entry_not_zero"),
        ]
        indexes = [models.Index(fields=["wallet", "business_date"])]

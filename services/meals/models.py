"""The family meal account: one wallet per account holder, an append-only ledger, a balance kept under row locks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.core.fields import EncryptedTextField
from services.core.money import euro


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

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class FeeBand(models.Model):
    """Price of a meal by ISEE band, valid between two dates."""

    code = models.CharField(_("codice"), max_length=20)
    label = models.CharField(_("fascia"), max_length=100)
    isee_max = models.DecimalField(_("ISEE fino a"), max_digits=10, decimal_places=2, null=True, blank=True,
                                   help_text=_("Vuoto per la tariffa massima (senza ISEE)."))
    price = models.DecimalField(_("prezzo del pasto"), max_digits=6, decimal_places=2)
    valid_from = models.DateField(_("valida dal"))
    valid_to = models.DateField(_("valida fino al"), null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "isee_max"]
        verbose_name = _("fascia tariffaria")
        verbose_name_plural = _("fasce tariffarie")
        constraints = [models.CheckConstraint(condition=models.Q(price__gt=0), name="fee_band_price_positive")]

    def __str__(self):
        return f"{self.label} ({euro(self.price)})"


class Diet(models.TextChoices):
    STANDARD = "standard", _("Normale")
    MEDICAL = "medical", _("Sanitaria (con certificato medico)")
    NO_PORK = "no_pork", _("Senza carne di maiale (motivi religiosi)")
    NO_MEAT = "no_meat", _("Senza carne (motivi religiosi o etici)")


class Child(models.Model):
    """A child using the school-meal service in one school year, charged to the family's wallet."""

    wagtail_reference_index_ignore = True

    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    fiscal_code = models.CharField(_("codice fiscale"), max_length=16)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="meal_children", verbose_name=_("scuola"))
    school_class = models.CharField(_("classe"), max_length=20, blank=True)
    fee_band = models.ForeignKey(FeeBand, on_delete=models.PROTECT, verbose_name=_("fascia"))
    service_from = models.DateField(_("servizio dal"))
    service_to = models.DateField(_("servizio fino al"), null=True, blank=True)
    school_year = models.CharField(_("anno scolastico"), max_length=7, blank=True)  # e.g. 2027/28
    diet = models.CharField(_("dieta"), max_length=10, choices=Diet.choices, default=Diet.STANDARD)
    # What the kitchen must prepare for a medical diet, transcribed by the office from the certificate.
    # Health data: encrypted at rest, read only through selectors.medical_diet_read, which logs each read.
    medical_diet = EncryptedTextField(_("dieta sanitaria"), blank=True)
    istanza = models.ForeignKey("istanze.Istanza", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("domanda di iscrizione"))

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("bambino iscritto alla mensa")
        verbose_name_plural = _("bambini iscritti alla mensa")
        permissions = [("view_medical_diet", "Può leggere le diete sanitarie (dati sanitari)")]
        indexes = [models.Index(fields=["service_from", "service_to"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class SchoolCutoff(models.Model):
    """A school whose families change the day's meal until another time than the Comune's (MEALS_CUTOFF): a kitchen
    that cooks earlier, a school that starts later."""

    school = models.OneToOneField("schools.School", on_delete=models.CASCADE, related_name="meal_cutoff", verbose_name=_("scuola"))
    time = models.TimeField(_("disdetta entro le"), help_text=_("Fino a quest'ora del giorno stesso la famiglia disdice il pasto o chiede il pasto in bianco."))

    class Meta:
        verbose_name = _("orario di disdetta di una scuola")
        verbose_name_plural = _("orari di disdetta delle scuole")

    def __str__(self):
        return f"{self.school} · {self.time:%H:%M}"


class CalendarBreak(models.Model):
    """Days without school (holidays of the school calendar), for every school or one."""

    name = models.CharField(_("motivo"), max_length=100)
    start = models.DateField(_("dal"))
    end = models.DateField(_("al"))
    school = models.ForeignKey("schools.School", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("solo per la scuola"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("chiusura del calendario")
        verbose_name_plural = _("chiusure del calendario")

    def __str__(self):
        return f"{self.name} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"


class MealChange(models.Model):
    """A day a child does not eat the normal meal: cancelled by the parent before the cut-off,
    a plain meal (pasto in bianco), or an absence recorded by school staff."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("Pasto disdetto")
        PLAIN = "plain", _("Pasto in bianco")
        ABSENT = "absent", _("Assente")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="changes")
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "day"], name="one_change_per_child_and_day")]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class HealthDataRead(models.Model):
    """Who read a child's medical diet, when, and why (the kitchen's diet sheet, the office's record)."""

    wagtail_reference_index_ignore = True

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="health_reads", verbose_name=_("bambino"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("letta da"))
    purpose = models.CharField(_("motivo"), max_length=40)
    read_at = models.DateTimeField(_("data e ora"), auto_now_add=True)

    class Meta:
        ordering = ["-read_at"]
        verbose_name = _("lettura di dati sanitari")
        verbose_name_plural = _("letture di dati sanitari")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

    def child_school(self):
        return self.child.school.name

    child_school.short_description = _("scuola")

    def child_fiscal_code(self):
        return self.child.fiscal_code

    child_fiscal_code.short_description = _("codice fiscale del bambino")

"""Citizens, staff, offices (unità organizzative) and the login history."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index


class Office(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        MUNICIPIO = "municipio", _("Municipio")
        UFFICIO = "ufficio", _("Ufficio")
        URP = "urp", _("Ufficio Relazioni con il Pubblico")
        SCUOLA = "scuola", _("Scuola")
        ALTRO = "altro", _("Altro")

    name = models.CharField(_("nome"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.UFFICIO)
    description = models.TextField(_("competenze"), blank=True)
    manager = models.CharField(_("responsabile"), max_length=150, blank=True)
    street_address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    postal_code = models.CharField(_("CAP"), max_length=5, blank=True)
    city = models.CharField(_("località"), max_length=100, blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    opening_hours = models.TextField(_("orari di apertura"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("manager"),
        MultiFieldPanel([FieldPanel("street_address"), FieldPanel("postal_code"), FieldPanel("city")], heading=_("Sede")),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("pec"), FieldPanel("opening_hours")], heading=_("Contatti")
        ),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("unità organizzativa")
        verbose_name_plural = _("unità organizzative")

    def __str__(self):
        return self.name


class FiscalCodeSource(models.TextChoices):
    """How the account's codice fiscale was established (docs/glossary.md: *codice fiscale attestato*)."""

    DECLARED = "declared", _("dichiarato dalla persona (registrazione al portale)")
    OFFICE = "office", _("registrato dal Comune")
    SPID = "spid", _("attestato da SPID")
    CIE = "cie", _("attestato da CIE")
    CNS = "cns", _("attestato da CNS")


# Proven by an identity provider: binds school roles, keys what is personal, satisfies "SPID/CIE only".
ATTESTED = (FiscalCodeSource.SPID, FiscalCodeSource.CIE, FiscalCodeSource.CNS)
# Accounts a SPID/CIE/CNS login of the same codice fiscale signs into: attested ones, and those the Comune registered
# (imported families, staff). Never a declared one: whoever signed up holds its password.
LOGIN_MATCHES = (*ATTESTED, FiscalCodeSource.OFFICE)
# The accounts whose codice fiscale the Comune can stand behind (User.fiscal_code_trusted, as a query).
TRUSTED_FISCAL_CODE = models.Q(fiscal_code__isnull=False) & ~models.Q(fiscal_code_source=FiscalCodeSource.DECLARED)


def default_notify_channels() -> list:
    """A new account's channels: NOTIFY_DEFAULT_CHANNELS (App IO and e-mail)."""
    from django.conf import settings

    return list(settings.NOTIFY_DEFAULT_CHANNELS)


class User(AbstractUser):
    """A citizen (identified by codice fiscale) or a staff member.

    A codice fiscale is *attested* when SPID, CIE or CNS vouched for it, *declared* when the person typed it at the
    local sign-up, or registered by the Comune. One account per codice fiscale among the attested and registered ones,
    one among the declared ones: a declared account never stands in for the person an identity provider proves."""

    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, null=True, blank=True)  # noqa: DJ001 - NULL: no codice fiscale, never unique-clashing
    fiscal_code_source = models.CharField(_("origine del codice fiscale"), max_length=10, choices=FiscalCodeSource.choices,
                                          default=FiscalCodeSource.OFFICE)
    # An EU citizen signed in through eIDAS: the identifier their country's node gives (no Italian codice fiscale).
    eidas_identifier = models.CharField(_("identificativo eIDAS"), max_length=256, null=True, blank=True, unique=True)  # noqa: DJ001 - NULL: not an eIDAS account
    assurance_level = models.PositiveSmallIntegerField(_("livello di garanzia dell'identità"), default=0,
                                                       help_text=_("1-3 come i livelli SPID; 0 se non attestata."))
    date_of_birth = models.DateField(_("data di nascita"), null=True, blank=True)
    email_verified = models.BooleanField(_("e-mail verificata"), default=False)
    mobile_phone = models.CharField(_("cellulare"), max_length=20, blank=True)
    mobile_verified = models.BooleanField(_("cellulare verificato"), default=False)
    # The channels the person chose for the Comune's messages: codes of the channels registered (accounts.preferences).
    notify_channels = models.JSONField(_("canali degli avvisi"), default=default_notify_channels, blank=True)
    # Staff: the day's alerts (cases arrived, assigned, answered by the citizen) also in one e-mail each morning.
    staff_digest = models.BooleanField(_("riepilogo giornaliero via e-mail"), default=True)
    offices = models.ManyToManyField(Office, verbose_name=_("uffici"), blank=True, related_name="staff")

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_code"], condition=~models.Q(fiscal_code_source="declared"),
                                    name="accounts_user_one_trusted_fiscal_code",
                                    violation_error_message=_("Esiste già un utente con questo codice fiscale.")),
            models.UniqueConstraint(fields=["fiscal_code"], condition=models.Q(fiscal_code_source="declared"),
                                    name="accounts_user_one_declared_fiscal_code",
                                    violation_error_message=_("Esiste già un utente con questo codice fiscale.")),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def fiscal_code_attested(self) -> bool:
        """SPID, CIE or CNS vouched for this account's codice fiscale."""
        return bool(self.fiscal_code) and self.fiscal_code_source in ATTESTED

    @property
    def fiscal_code_trusted(self) -> bool:
        """Attested, or registered by the Comune: anything but typed by whoever signed up."""
        return bool(self.fiscal_code) and self.fiscal_code_source != FiscalCodeSource.DECLARED


class LoginEvent(models.Model):
    class Method(models.TextChoices):
        SPID = "spid", "SPID"
        CIE = "cie", "CIE"
        CNS = "cns", "CNS"
        EIDAS = "eidas", "eIDAS"
        LOCAL = "local", _("credenziali del portale")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_events")
    method = models.CharField(_("modalità"), max_length=10, choices=Method.choices)
    provider = models.CharField(_("gestore"), max_length=200, blank=True)
    level = models.CharField(_("livello"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("data"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accesso")
        verbose_name_plural = _("accessi")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"


class VerificationCode(models.Model):
    """A one-time code that proves the citizen owns an e-mail address or a mobile number."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    # None for an address without an account (e.g. an anonymous request to the URP): then `purpose` and `reference`
    # say what the link confirms.
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="verification_codes")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    target = models.CharField(max_length=254)
    purpose = models.CharField(max_length=40, blank=True)
    reference = models.CharField(max_length=64, blank=True)
    code_hash = models.CharField(max_length=128)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "channel"]), models.Index(fields=["code_hash"])]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"

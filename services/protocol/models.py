from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sources import scope_choices
from .states import Status

CODE = RegexValidator(r"^[A-Za-z0-9_.\-]{1,16}$", _("Lettere, cifre, punto, trattino e trattino basso, al massimo 16."))


class Registration(models.Model):
    """One document to register in the Comune's protocol system, written when its event happens and sent by a worker
    until the system answers with a number. `key` is the event's own (one registration per event, whatever retries)."""

    key = models.CharField(max_length=200, unique=True)
    source_label = models.CharField(max_length=100)  # the registered model (`istanze.istanza`): no foreign key, no domain
    source_pk = models.CharField(max_length=64)
    kind = models.CharField(_("documento"), max_length=30)
    direction = models.CharField(_("verso"), max_length=3, choices=[("in", _("In entrata")), ("out", _("In uscita"))])
    status = models.CharField(_("stato"), max_length=20, choices=Status.choices, default=Status.PENDING)
    adapter = models.CharField(_("sistema di protocollo"), max_length=30)
    subject = models.CharField(_("oggetto"), max_length=300, blank=True)
    number = models.CharField(_("numero di protocollo"), max_length=30, blank=True)
    registered_on = models.DateField(_("data di protocollo"), null=True, blank=True)
    register = models.CharField(_("registro"), max_length=30, blank=True)
    aoo = models.CharField(_("AOO"), max_length=30, blank=True)
    ipa = models.CharField(_("codice IPA"), max_length=30, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("ultimo errore"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("protocollazione")
        verbose_name_plural = _("protocollazioni")
        indexes = [models.Index(fields=["source_label", "source_pk"]), models.Index(fields=["status", "next_attempt_at"])]
        constraints = [models.CheckConstraint(condition=~models.Q(status="protocollata") | ~models.Q(number=""),
                                              name="protocol_registered_has_number")]

    def __str__(self):
        return f"{self.number or self.get_status_display()} ({self.kind})"

    @property
    def stamp(self) -> str:
        """«Protocollo n. 0001234 del 05/12/2026», as the citizen and the receipt read it."""
        if not self.number:
            return ""
        return _("Protocollo n. %(number)s del %(date)s") % {"number": self.number,
                                                           "date": self.registered_on.strftime("%d/%m/%Y")}


class Profile(models.Model):
    """Where a document goes in the Comune's protocol system: the ente's identifiers (IPA code, AOO, register) and,
    for a procedure or desk, its classification (titolario), file (fascicolo) and the office it is assigned to. The
    row with no scope is the ente's; a scoped row's empty fields take the ente's values."""

    scope = models.CharField(_("si applica a"), max_length=60, unique=True, blank=True, choices=scope_choices)
    ipa = models.CharField(_("codice IPA dell'ente"), max_length=16, blank=True, validators=[CODE])
    aoo = models.CharField(_("codice AOO"), max_length=16, blank=True, validators=[CODE])
    register = models.CharField(_("codice del registro"), max_length=16, blank=True, validators=[CODE])
    classification = models.CharField(_("classificazione (titolario)"), max_length=40, blank=True,
                                      validators=[RegexValidator(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$",
                                                                 _("Voci del titolario separate da punti, es. 7.2"))],
                                      help_text=_("Es. 7.2 (Servizi alla persona – istruzione)."))
    file_reference = models.CharField(_("fascicolo"), max_length=40, blank=True,
                                      help_text=_("Numero del fascicolo, con l'anno dopo una barra: 12/2026."))
    office = models.CharField(_("ufficio di assegnazione"), max_length=120, blank=True)
    active = models.BooleanField(_("protocolla i documenti"), default=True,
                                 help_text=_("Senza la spunta i documenti di questo ambito non sono protocollati. Le "
                                             "richieste all'URP sono protocollate solo se l'ambito URP è attivo."))

    class Meta:
        verbose_name = _("impostazioni di protocollo")
        verbose_name_plural = _("impostazioni di protocollo")
        ordering = ["scope"]

    def __str__(self):
        return dict(scope_choices()).get(self.scope, self.scope)

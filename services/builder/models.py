"""A procedure built in the admin (a snippet with revisions, locking, preview and the moderation workflow) and its
published versions: each publication freezes the definition as a version, immutable, under which applications are
filed."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, PreviewableMixin, RevisionMixin, WorkflowMixin

from . import blocks, checker

CODE_RE = r"^[A-Z][A-Z0-9_]{2,29}$"
TEST_SUFFIX = "-PROVA"  # a test version's code: never a procedure's (no "-" there), so never mixed with real ones
LOGIN_CHOICES = [("spid", "SPID"), ("cie", "CIE"), ("cns", "CNS")]


class BuiltProcedure(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, models.Model):
    code = models.CharField(
        _("codice"), max_length=30, unique=True,
        validators=[RegexValidator(CODE_RE, _("Lettere maiuscole, cifre e _, da 3 a 30 caratteri (es. CENTRO_ESTIVO)."))],
        help_text=_("Prefisso dei numeri delle pratiche (es. CENTRO_ESTIVO_2026.0000001); non cambia dopo la prima pubblicazione."))
    title = models.CharField(_("titolo"), max_length=150)
    category = models.CharField(_("categoria"), max_length=80, default="Scuola e servizi educativi")
    description = models.TextField(_("descrizione"), blank=True, help_text=_("Mostrata all'inizio della procedura."))
    login_methods = models.JSONField(_("accesso con"), default=list, blank=True)
    spid_level = models.PositiveSmallIntegerField(_("livello SPID minimo"), default=2, choices=[(2, "2"), (3, "3")])
    allow_local_accounts = models.BooleanField(_("ammesse le credenziali del portale"), default=False)
    office = models.ForeignKey("accounts.Office", verbose_name=_("ufficio competente"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    office_field = models.CharField(
        _("oppure l'ufficio dalla risposta"), max_length=40, blank=True,
        help_text=_("Codice di una scelta dall'elenco delle scuole: la pratica va al Municipio della scuola scelta; "
                    "l'ufficio qui sopra resta per una risposta senza ufficio."))
    completion_working_days = models.PositiveSmallIntegerField(
        _("giorni lavorativi per concludere"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)])
    retention_years = models.PositiveSmallIntegerField(
        _("conservazione (anni)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(99)])
    privacy_text = models.TextField(
        _("informativa sul trattamento dei dati"),
        help_text=_("L'ultimo passo la mostra e chiede di dichiarare di averla letta."))
    receipt_note = models.TextField(_("nota della ricevuta"), blank=True,
                                    help_text=_("Ciò che il cittadino deve sapere dopo l'invio, stampato sulla ricevuta."))
    fee_amount = models.DecimalField(_("importo fisso da pagare"), max_digits=9, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0.01"))])
    fee_field = models.CharField(
        _("oppure importo dalle scelte"), max_length=40, blank=True,
        help_text=_("Codice di un campo di scelta le cui opzioni hanno un importo: si sommano le opzioni scelte, e in un "
                    "gruppo ripetibile quelle di ogni elemento."))
    steps = StreamField(blocks.StepsBlock(), verbose_name=_("passi"), blank=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="built_procedure")
    workflow_states = GenericRelation("wagtailcore.WorkflowState", content_type_field="base_content_type",
                                      object_id_field="object_id", related_query_name="built_procedure",
                                      for_concrete_model=False)

    panels = [
        MultiFieldPanel([FieldPanel("code"), FieldPanel("title"), FieldPanel("category"), FieldPanel("description")],
                        heading=_("Procedura")),
        MultiFieldPanel([FieldPanel("login_methods"), FieldRowPanel([FieldPanel("spid_level"), FieldPanel("allow_local_accounts")]),
                         FieldRowPanel([FieldPanel("office"), FieldPanel("office_field")]), FieldRowPanel([FieldPanel("completion_working_days"), FieldPanel("retention_years")])],
                        heading=_("Chi può presentarla e chi la lavora")),
        MultiFieldPanel([FieldPanel("privacy_text"), FieldPanel("receipt_note")], heading=_("Testi")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("fee_amount"), FieldPanel("fee_field")])],
                        heading=_("Quota da pagare con pagoPA all'invio (facoltativa)")),
        FieldPanel("steps"),
    ]

    class Meta:
        verbose_name = _("procedura costruita")
        verbose_name_plural = _("procedure costruite")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def version_links(self):
        """The published versions, each a link to its shared JSON document (the admin's listing)."""
        from django.urls import reverse
        from django.utils.html import format_html_join

        return format_html_join(" ", '<a href="{}">v{}</a>', (
            (reverse("builder_export_version", args=[self.pk, n]), n)
            for n in self.versions.order_by("-number").values_list("number", flat=True)[:5])) or "—"
    version_links.short_description = _("versioni (JSON)")

    def try_link(self):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a href="{}">{}</a>', reverse("builder_try", args=[self.pk]), _("Prova come cittadino"))
    try_link.short_description = _("prova")

    @property
    def revisions(self):
        return self._revisions

    def definition(self) -> dict:
        """Everything a version freezes: the steps as the checker reads them and the settings around them."""
        return {
            "codice": self.code, "titolo": self.title, "categoria": self.category, "descrizione": self.description,
            "accesso": list(self.login_methods or ["spid", "cie"]), "livello_spid": self.spid_level,
            "credenziali_portale": self.allow_local_accounts,
            "ufficio": self.office.slug if self.office_id else "", "ufficio_da": self.office_field,
            "giorni_conclusione": self.completion_working_days, "conservazione_anni": self.retention_years,
            "informativa": self.privacy_text, "nota_ricevuta": self.receipt_note,
            "pagamento": ({"importo": str(self.fee_amount)} if self.fee_amount is not None else
                          {"campo": self.fee_field} if self.fee_field else None),
            **blocks.to_definition(self.steps.raw_data),
        }

    def clean(self):
        super().clean()
        errors = {}
        if self.pk:
            previous = type(self).objects.filter(pk=self.pk).values_list("code", flat=True).first()
            if previous and previous != self.code and self.versions.exists():
                errors["code"] = _("Il codice non cambia dopo la prima pubblicazione: le pratiche presentate lo portano nel numero.")
        if self.fee_amount is not None and self.fee_field:
            errors["fee_field"] = _("Indica un importo fisso oppure il campo da cui dipende, non entrambi.")
        definition = blocks.to_definition(self.steps.raw_data)
        problems = checker.check(definition)
        if self.office_field and not problems:
            office_problems = checker.check_office_field(definition, self.office_field)
            if office_problems:
                errors["office_field"] = office_problems
        if self.fee_field and not problems:
            fee_problems = checker.check_fee(definition, self.fee_field)
            if fee_problems:
                errors["fee_field"] = fee_problems
        if problems:
            errors["steps"] = problems
        if errors:
            raise ValidationError(errors)

    # preview: every step as a citizen sees it
    def get_preview_template(self, request, mode_name):
        return "builder/preview.html"

    def get_preview_context(self, request, mode_name):
        from .procedure import preview_steps

        return {"object": self, "steps": preview_steps(self.definition())}


class ProcedureVersion(models.Model):
    """A published definition, frozen: applications carry its number (Istanza.procedure_version)."""

    wagtail_reference_index_ignore = True

    procedure = models.ForeignKey(BuiltProcedure, on_delete=models.PROTECT, related_name="versions")
    code = models.CharField(max_length=40, db_index=True)  # the procedure's, or its test code (CODE-PROVA)
    number = models.PositiveIntegerField(_("versione"))
    definition = models.JSONField()
    published_at = models.DateTimeField(_("pubblicata il"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    test = models.BooleanField(_("di prova"), default=False)  # frozen from the latest draft for editors to try

    class Meta:
        ordering = ["code", "-number"]
        verbose_name = _("versione di una procedura")
        verbose_name_plural = _("versioni delle procedure")
        constraints = [models.UniqueConstraint(fields=["code", "number"], name="builder_version_code_number")]

    def __str__(self):
        return f"{self.code} v{self.number}"

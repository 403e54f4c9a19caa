"""The school registry shared by every school service (OEPAC, meals, transport, the schools' portal):
schools by meccanographic code and order, in the territorial areas (ambiti) of the Municipi."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class SchoolOrder(models.TextChoices):
    INFANZIA = "infanzia", _("Scuola dell'infanzia")
    PRIMARIA = "primaria", _("Scuola primaria")
    SECONDARIA_1 = "secondaria_1", _("Scuola secondaria di primo grado")
    SECONDARIA_2 = "secondaria_2", _("Scuola secondaria di secondo grado")


# Age on 31 December of the school year's first year, per school order (pupils with disabilities may be older).
AGE_RANGES = {
    SchoolOrder.INFANZIA: (2, 6),
    SchoolOrder.PRIMARIA: (5, 12),
    SchoolOrder.SECONDARIA_1: (10, 16),
    SchoolOrder.SECONDARIA_2: (13, 21),
}


class Ambito(models.Model):
    """A territorial area of a Municipio; OEPAC organisations are accredited per ambito."""

    name = models.CharField(_("nome"), max_length=100, unique=True)
    office = models.ForeignKey("accounts.Office", verbose_name=_("municipio"), on_delete=models.PROTECT, related_name="ambiti")

    panels = [FieldPanel("name"), FieldPanel("office")]

    class Meta:
        ordering = ["office__name", "name"]
        verbose_name = _("ambito territoriale")
        verbose_name_plural = _("ambiti territoriali")

    def __str__(self):
        return f"{self.name} ({self.office.name})"


class School(index.Indexed, models.Model):
    code = models.CharField(_("codice meccanografico"), max_length=10, unique=True)
    name = models.CharField(_("denominazione"), max_length=200)
    order = models.CharField(_("ordine"), max_length=20, choices=SchoolOrder.choices)
    ambito = models.ForeignKey(Ambito, verbose_name=_("ambito"), on_delete=models.PROTECT, related_name="schools")
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    active = models.BooleanField(_("attiva"), default=True)
    # Set by the Comune's office: the school's users may then be given the health documents of OEPAC applications.
    health_documents = models.BooleanField(
        _("accesso alla documentazione sanitaria OEPAC"), default=False,
        help_text=_("Solo se il Municipio lo ha autorizzato: il Master potrà dare la funzione a singoli utenti; ogni lettura è registrata."))

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("order"), FieldPanel("ambito"), FieldPanel("address"), FieldPanel("active"),
              FieldPanel("health_documents")]
    search_fields = [index.SearchField("name"), index.SearchField("code"), index.FilterField("active")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("scuola")
        verbose_name_plural = _("scuole")

    def __str__(self):
        return f"{self.name} ({self.code})"


class SchoolFunction(models.TextChoices):
    """What a school's user may do in the Area scuola (the Master may do all of it)."""

    OEPAC = "oepac", _("Iscrizioni OEPAC")
    MEALS = "meals", _("Mensa e presenze")
    TRANSPORT = "transport", _("Trasporto scolastico")
    OEPAC_HEALTH = "oepac_health", _("Documentazione sanitaria OEPAC")


# Functions the Comune grants to a school before its Master may give them (the Master has them only then, too).
GRANTED_FUNCTIONS = {SchoolFunction.OEPAC_HEALTH: "health_documents"}


def functions_for(school) -> list[tuple[str, str]]:
    """The functions a Master of this school may give: those granted by the Comune only where it granted them."""
    return [(value, label) for value, label in SchoolFunction.choices
            if value not in GRANTED_FUNCTIONS or getattr(school, GRANTED_FUNCTIONS[value])]


class SchoolRole(models.Model):
    """A person's role at a school, keyed on the codice fiscale: a role added by the Master waits, unbound, until the
    person's first SPID/CIE login binds it (no account is created for them and no password handed out)."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        MASTER = "master", _("Utente Master")
        GENERIC = "generic", _("Utente generico")

    class State(models.TextChoices):
        ACTIVE = "active", _("Attivo")
        SUSPENDED = "suspended", _("Sospeso")
        REMOVED = "removed", _("Rimosso")
        REPLACED = "replaced", _("Sostituito da un nuovo Master")

    school = models.ForeignKey(School, verbose_name=_("scuola"), on_delete=models.PROTECT, related_name="roles")
    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("utente"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="school_roles")
    kind = models.CharField(_("ruolo"), max_length=10, choices=Kind.choices, default=Kind.GENERIC)
    state = models.CharField(_("stato"), max_length=10, choices=State.choices, default=State.ACTIVE)
    functions = models.JSONField(_("funzioni"), default=list, blank=True)  # SchoolFunction values, for a generic user
    valid_until = models.DateField(_("valido fino al"), null=True, blank=True)  # a generic user's: the school year's end
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school__name", "kind", "fiscal_code"]
        verbose_name = _("ruolo nella scuola")
        verbose_name_plural = _("ruoli nelle scuole")
        constraints = [
            # One active Master per school: two approvals at once cannot make two.
            models.UniqueConstraint(fields=["school"], condition=models.Q(kind="master", state="active"),
                                    name="schools_one_active_master"),
            models.UniqueConstraint(fields=["school", "fiscal_code"], condition=models.Q(state__in=["active", "suspended"]),
                                    name="schools_one_open_role_per_person"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.fiscal_code} ({self.school.name})"

    def has_function(self, function: str) -> bool:
        granted = GRANTED_FUNCTIONS.get(function)
        if granted and not getattr(self.school, granted):
            return False
        return self.kind == self.Kind.MASTER or function in self.functions


class SchoolRoleEvent(models.Model):
    """Every change to a school's users, as the Master and the Comune see it."""

    wagtail_reference_index_ignore = True

    class Action(models.TextChoices):
        MASTER_ACTIVATED = "master_activated", _("attivato come Utente Master")
        REPLACED = "replaced", _("sostituito da un nuovo Master")
        ADDED = "added", _("aggiunto")
        FUNCTIONS = "functions", _("funzioni modificate")
        SUSPEND = "suspend", _("sospeso")
        REACTIVATE = "reactivate", _("riattivato")
        REMOVE = "remove", _("rimosso")
        RENEW = "renew", _("rinnovato")
        BOUND = "bound", _("primo accesso")

    role = models.ForeignKey(SchoolRole, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("operazione"), max_length=30, choices=Action.choices)
    note = models.CharField(_("nota"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.action} {self.role_id}"

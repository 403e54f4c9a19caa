"""What the school-meal and school-transport enrollments share: the school year they are for, the
family's debt that blocks them, the child step with re-enrollment prefill, and the routing."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Office
from services.core.clock import SchoolYear
from services.core.forms import FiscalCodeField
from services.core.money import format_euro, parse_decimal
from services.istanze.access import Refusal
from services.istanze.forms import WizardStepForm
from services.istanze.models import Istanza
from services.istanze.states import HOLDING
from services.payments.models import PaymentPosition
from services.pdnd import prefill
from services.schools.models import School


def family_debt(user) -> tuple[Decimal, Decimal]:
    """(meal account below zero, transport and other school fees past their due date and unpaid)."""

    from .models import Wallet

    wallet = Wallet.objects.filter(holder=user).only("balance").first()
    meals = max(Decimal("0.00"), -wallet.balance) if wallet else Decimal("0.00")
    fees = PaymentPosition.objects.open().filter(
        owner=user, purpose__in=settings.SCHOOL_FEE_PURPOSES, due_date__lt=timezone.localdate(),
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return meals, fees


def arrears_refusal(user):
    """No new enrollment while the family owes more than SCHOOL_ARREARS_LIMIT, with how to settle."""

    meals, fees = family_debt(user)
    owed = meals + fees
    if owed <= settings.SCHOOL_ARREARS_LIMIT:
        return None
    parts = []
    if meals:
        parts.append(_g("conto mensa in negativo di € %(a)s") % {"a": format_euro(meals)})
    if fees:
        parts.append(_g("quote scadute e non pagate per € %(a)s") % {"a": format_euro(fees)})
    message = _g(
        "Non puoi presentare l'iscrizione: risulta un debito di € %(owed)s (%(parts)s). L'iscrizione è possibile "
        "quando il debito non supera € %(limit)s. Ricarica il conto mensa o paga gli avvisi scaduti, poi torna qui: "
        "i pagamenti online sono registrati in pochi minuti."
    ) % {"owed": format_euro(owed), "parts": "; ".join(parts), "limit": format_euro(settings.SCHOOL_ARREARS_LIMIT)}
    links = []
    if meals:
        links.append((_g("Ricarica il conto mensa"), reverse("meals:topup")))
    if fees:
        links.append((_g("Vai ai pagamenti da fare"), reverse("payments:tab")))
    return Refusal("eligibility", message, links=tuple(links))


def school_office(istanza):
    return Office.objects.filter(slug=settings.SCHOOL_SERVICES_OFFICE).first()




class RinnovoForm(WizardStepForm):
    """Re-enrollment: pick a child enrolled before, whose data then fills the next step."""

    previous = staticmethod(lambda user: [])  # (user) -> [dict(codice_fiscale, nome, cognome, scuola, classe, anno, ...)]

    scelta = forms.ChoiceField(label=_("Per chi presenti la domanda?"), widget=forms.RadioSelect,
                               error_messages={"required": _("Scegli un figlio già iscritto o una nuova iscrizione.")})

    @classmethod
    def records(cls, wizard) -> list[dict]:
        """The family's earlier records, read once per request however many steps and conditions ask."""
        if wizard is None:
            return []
        cache = wizard.__dict__.setdefault("_previous_records", {})
        if cls not in cache:
            cache[cls] = cls.previous(wizard.request.user)
        return cache[cls]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p["codice_fiscale"], _("Rinnovo per %(name)s (%(school)s, %(year)s)") % {
            "name": f"{p['nome']} {p['cognome']}", "school": p["scuola_nome"], "year": p["anno"]}) for p in self.records(self.wizard)]
        self.fields["scelta"].choices = choices + [("nuovo", _("Un figlio non ancora iscritto"))]


def has_previous(form_class):
    def condition(wizard):
        return bool(form_class.records(wizard))
    return condition


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, school):
        return f"{school.name} · {school.get_order_display()}"


class BambinoForm(prefill.CertifiedChildMixin, WizardStepForm):
    """The child, the school and the class for the next school year. Subclasses set procedure_code and rinnovo."""

    procedure_code = ""
    rinnovo_form = RinnovoForm

    anno_scolastico = forms.ChoiceField(label=_("Anno scolastico"), error_messages={"required": _("Scegli l'anno scolastico.")})
    nome = forms.CharField(label=_("Nome"), max_length=100, error_messages={"required": _("Scrivi il nome.")})
    cognome = forms.CharField(label=_("Cognome"), max_length=100, error_messages={"required": _("Scrivi il cognome.")})
    codice_fiscale = FiscalCodeField(label=_("Codice fiscale"), error_messages={"required": _("Scrivi il codice fiscale.")})
    scuola = SchoolChoiceField(
        label=_("Scuola"), queryset=School.objects.none(),
        error_messages={"required": _("Scegli la scuola."), "invalid_choice": _("Scegli una scuola dell'elenco.")},
    )
    classe = forms.CharField(label=_("Classe e sezione"), max_length=20, help_text=_("Ad esempio 2ª B."),
                             error_messages={"required": _("Scrivi la classe e la sezione.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = SchoolYear.next()
        self.fields["anno_scolastico"].choices = [(year.label, year.label)]
        self.initial.setdefault("anno_scolastico", year.label)
        schools = School.objects.filter(active=True).order_by("order", "name")
        self.fields["scuola"].queryset = schools
        self.intro = _("L'iscrizione vale per l'anno scolastico %(year)s. Presenta una domanda per ogni figlio: "
                       "tutti fanno capo allo stesso conto e allo stesso codice di pagamento.") % {"year": year.label}
        previous = self._previous_record()
        if previous and not self.is_bound:
            for key in ("nome", "cognome", "codice_fiscale", "scuola"):
                self.initial.setdefault(key, previous[key])
            self.fields["classe"].help_text = _("Lo scorso anno: %(c)s. Scrivi la classe del nuovo anno.") % {"c": previous["classe"] or "—"}
        self.offer_certified_children(previous["codice_fiscale"] if previous else "")

    def _previous_record(self):
        if not self.wizard:
            return None
        chosen = self.wizard.cleaned_step("rinnovo")
        if not chosen or chosen["scelta"] == "nuovo":
            return None
        return next((p for p in self.rinnovo_form.records(self.wizard) if p["codice_fiscale"] == chosen["scelta"]), None)

    def clean(self):
        cleaned = super().clean()
        self.clean_certified_child(cleaned)
        cf, year = cleaned.get("codice_fiscale"), cleaned.get("anno_scolastico")
        if cf and year and self.wizard:
            self._check_not_enrolled(cf, year)
        return cleaned

    def _check_not_enrolled(self, cf, year):
        others = Istanza.objects.filter(
            procedure_code=self.procedure_code, status__in=HOLDING,
            data__bambino__codice_fiscale=cf, data__bambino__anno_scolastico=year,
        ).exclude(pk=self.wizard.istanza.pk)
        if others.filter(owner=self.wizard.request.user).exists():
            self.add_error("codice_fiscale", _("Per questo figlio hai già presentato la domanda per il %(year)s: la trovi in Le mie pratiche.") % {"year": year})
        elif others.exists() or held_by_another(cf, self.wizard.request.user):
            self.add_error("codice_fiscale", _(
                "Questo figlio è già associato al conto di un altro genitore. La domanda va presentata dall'intestatario del conto: "
                "per cambiare intestatario rivolgiti all'Ufficio Scuola."))


@dataclass(frozen=True)
class FamilyService:
    """Another school service on the family's account (transport): it registers here from its `ready()`."""

    key: str  # the name its enrollments have on the Conto mensa page
    held_by_another: Callable  # (fiscal_code, user) -> bool: the child is on another holder's enrollment
    enrollments: Callable  # (user) -> the family's active enrollments, for the Conto mensa page


_family_services: dict[str, FamilyService] = {}


def register_family_service(key: str, *, held_by_another: Callable, enrollments: Callable) -> None:
    _family_services[key] = FamilyService(key=key, held_by_another=held_by_another, enrollments=enrollments)


def family_services() -> list[FamilyService]:
    return list(_family_services.values())


def held_by_another(fiscal_code: str, user) -> bool:
    """One account holder per family for every child and service: is this child another holder's?"""
    from .models import Child

    return (Child.objects.filter(fiscal_code=fiscal_code).exclude(wallet__holder=user).exists()
            or any(service.held_by_another(fiscal_code, user) for service in _family_services.values()))


def parse_isee(value: str) -> Decimal:
    """12.345,67 or 12345,67 or 12345.67 → Decimal; the message is for the citizen."""

    message = _("Scrivi il valore ISEE in euro, ad esempio 12.345,67.")
    try:
        amount = parse_decimal(value)
    except ValueError as error:
        raise forms.ValidationError(message) from error
    if amount is None or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount > Decimal("9999999.99"):
        raise forms.ValidationError(message)
    return amount.quantize(Decimal("0.01"))


DSU_PROTOCOL = re.compile(r"^INPS-ISEE-[0-9]{4}-[0-9A-Z]{8,10}-[0-9]{2}$")


def clean_dsu_protocol(value: str) -> str:
    value = (value or "").strip().upper()
    if not DSU_PROTOCOL.match(value):
        raise forms.ValidationError(_("Scrivi il numero di protocollo come è sull'attestazione, ad esempio INPS-ISEE-2027-12345678X-00."))
    return value

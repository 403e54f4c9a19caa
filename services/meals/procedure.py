"""Procedure MENSA (seed 003): enrollment in school meals (refezione) for the next school year, SPID/CIE
only, blocked while the family is in arrears; accepted, it puts the child on the family's meal account."""

import datetime
from datetime import timedelta

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from services.core.clock import SchoolYear, rome
from services.core.forms import AttachmentField, ItalianDateField
from services.core.money import format_euro
from services.istanze import registry
from services.istanze.forms import DeclarationsForm, WizardStepForm
from services.istanze.states import Status

from . import enrollment, isee
from .models import Child, Diet, FeeBand

CODE = "MENSA"


def previous_children(user) -> list[dict]:
    """The children on this holder's meal account, latest school year first, once each."""
    if not user or not user.is_authenticated:
        return []
    seen, result = set(), []
    rows = Child.objects.filter(wallet__holder=user).select_related("school").order_by("-service_from", "-pk")
    for child in rows:
        if child.fiscal_code in seen:
            continue
        seen.add(child.fiscal_code)
        result.append({"codice_fiscale": child.fiscal_code, "nome": child.first_name, "cognome": child.last_name,
                       "scuola": child.school_id, "scuola_nome": child.school.name, "classe": child.school_class,
                       "anno": child.school_year or child.service_from.strftime("%Y"), "dieta": child.diet})
    return result


class MensaRinnovoForm(enrollment.RinnovoForm):
    previous = staticmethod(previous_children)


class MensaBambinoForm(enrollment.BambinoForm):
    procedure_code = CODE
    rinnovo_form = MensaRinnovoForm


class DietaForm(WizardStepForm):
    intro = _("Il pasto segue il menù della scuola. Per allergie, intolleranze o altre patologie scegli la dieta sanitaria e "
              "allega il certificato medico: non scrivere qui la patologia, la legge il personale autorizzato dal certificato, "
              "che conserviamo cifrato registrando ogni consultazione.")
    dieta = forms.ChoiceField(label=_("Dieta"), widget=forms.RadioSelect, choices=Diet.choices,
                              error_messages={"required": _("Scegli la dieta.")})
    certificato = AttachmentField(label=_("Certificato medico"), sensitive=True, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("dieta", Diet.STANDARD)
        previous = self._previous_diet()
        if previous and not self.is_bound:
            self.initial["dieta"] = previous

    def _previous_diet(self):
        if not self.wizard:
            return None
        bambino = self.wizard.cleaned_step("bambino")
        if not bambino:
            return None
        return next((p["dieta"] for p in MensaRinnovoForm.records(self.wizard)
                     if p["codice_fiscale"] == bambino["codice_fiscale"]), None)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("dieta") == Diet.MEDICAL and not cleaned.get("certificato") and "certificato" not in self.errors:
            self.add_error("certificato", _("Per la dieta sanitaria allega il certificato medico."))
        elif cleaned.get("dieta") and cleaned["dieta"] != Diet.MEDICAL:
            cleaned["certificato"] = None  # health data not needed for this diet: not kept
        return cleaned


def fee_band_for(isee, day):
    """The band for an ISEE value on a day; without ISEE (None) the maximum fee."""
    bands = FeeBand.objects.filter(valid_from__lte=day).exclude(valid_to__lt=day)
    if isee is not None:
        band = bands.filter(isee_max__gte=isee).order_by("isee_max").first()
        if band:
            return band
    return bands.filter(isee_max__isnull=True).first() or bands.order_by("-price").first()


class TariffaForm(WizardStepForm):
    intro = _("Il costo del pasto dipende dall'ISEE per prestazioni rivolte ai minorenni. Senza ISEE si applica la tariffa massima.")
    tariffa = forms.ChoiceField(
        label=_("Tariffa"), widget=forms.RadioSelect,
        choices=[("isee", _("Chiedo la tariffa agevolata: ho un'attestazione ISEE valida")),
                 ("massima", _("Pago la tariffa massima, senza presentare l'ISEE"))],
        error_messages={"required": _("Scegli la tariffa.")},
    )
    valore_isee = forms.CharField(label=_("Valore ISEE (euro)"), max_length=20, required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    protocollo_dsu = forms.CharField(label=_("Numero di protocollo dell'attestazione"), max_length=40, required=False,
                                     help_text=_("Lo trovi in alto sull'attestazione ISEE, ad esempio INPS-ISEE-2027-12345678X-00."))
    data_attestazione = ItalianDateField(label=_("Data di rilascio dell'attestazione"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.certified = self._certified_isee()
        if self.certified is not None:
            self.intro = f"{self.intro} {isee.notice(self.certified)}"
        if isee.usable(self.certified):
            self.fields["tariffa"].choices = [("inps", isee.choice_label(self.certified))] + [
                (key, label) for key, label in self.fields["tariffa"].choices if key != "isee"] + [
                ("isee", _("Chiedo la tariffa agevolata con un'altra attestazione ISEE: scrivo io i dati (dato dichiarato)"))]
            if not self.is_bound:
                self.initial.setdefault("tariffa", "inps")

    def _certified_isee(self):
        if not self.wizard or not isee.applies(self.wizard.request.user):
            return None
        from services.accounts.spid.views import AUTH_LEVEL_SESSION_KEY

        request = self.wizard.request
        return self.wizard.certified("inps_isee", lambda: isee.record(
            user=request.user, reference=f"istanza:{self.wizard.istanza.public_id}",
            level=int(request.session.get(AUTH_LEVEL_SESSION_KEY, 2) or 2)))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("tariffa") == "inps" and isee.usable(self.certified):
            return {"tariffa": "inps", "valore_isee": self.certified["value"], "protocollo_dsu": self.certified["protocol"],
                    "data_attestazione": datetime.date.fromisoformat(self.certified["issued"]), "fonte_isee": isee.CERTIFIED}
        if cleaned.get("tariffa") == "inps":  # the attestation stopped being usable meanwhile: choose again
            self.add_error("tariffa", _("L'attestazione dell'INPS non è più utilizzabile: scegli un'altra opzione."))
            return cleaned
        if cleaned.get("tariffa") != "isee":
            return {"tariffa": cleaned.get("tariffa"), "valore_isee": "", "protocollo_dsu": "", "data_attestazione": None,
                    "fonte_isee": ""}
        cleaned["fonte_isee"] = isee.DECLARED
        today = timezone.localdate()
        for name, message in (("valore_isee", _("Scrivi il valore ISEE.")), ("protocollo_dsu", _("Scrivi il numero di protocollo.")),
                              ("data_attestazione", _("Scrivi la data di rilascio."))):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        try:
            if cleaned.get("valore_isee"):
                cleaned["valore_isee"] = str(enrollment.parse_isee(cleaned["valore_isee"]))
        except forms.ValidationError as error:
            self.add_error("valore_isee", error)
        try:
            if cleaned.get("protocollo_dsu"):
                cleaned["protocollo_dsu"] = enrollment.clean_dsu_protocol(cleaned["protocollo_dsu"])
        except forms.ValidationError as error:
            self.add_error("protocollo_dsu", error)
        issued = cleaned.get("data_attestazione")
        if issued and issued > today:
            self.add_error("data_attestazione", _("La data di rilascio non può essere nel futuro."))
        elif issued and issued.year < today.year:
            self.add_error("data_attestazione", _("L'attestazione ISEE è scaduta il 31/12/%(y)s: chiedine una nuova e riprova.") % {"y": issued.year})
        return cleaned

    def summary_rows(self):
        data = self.cleaned_data
        rows = [[str(self.fields["tariffa"].label), str(dict(self.fields["tariffa"].choices)[data["tariffa"]])]]
        value = None
        if data["tariffa"] in ("isee", "inps"):
            from decimal import Decimal

            value = Decimal(data["valore_isee"])
            rows += [[str(self.fields["valore_isee"].label), f"€ {format_euro(value)}"],
                     [str(self.fields["protocollo_dsu"].label), data["protocollo_dsu"]],
                     [str(self.fields["data_attestazione"].label), data["data_attestazione"].strftime("%d/%m/%Y")],
                     [_g("Fonte dell'ISEE"), _g("certificato da INPS") if data["tariffa"] == "inps" else _g("dichiarato")]]
        band = fee_band_for(value, SchoolYear.next().start)
        if band:
            rows.append([_g("Fascia tariffaria prevista"), f"{band.label} · € {format_euro(band.price)} a pasto"])
        return rows


class DichiarazioniForm(DeclarationsForm):
    field_order = ["regole", "privacy", "veridicita"]
    intro = _("Il Comune tratta i dati della famiglia e del bambino, compresi quelli sulla salute per le diete sanitarie, "
              "solo per il servizio di refezione scolastica (Regolamento UE 2016/679). L'informativa è nella pagina Privacy.")
    regole = forms.BooleanField(
        label=_("Conosco le regole del servizio: il pasto è prenotato ogni giorno di scuola, il costo è scalato dal conto prepagato "
                "della famiglia e la disdetta si fa il giorno stesso, entro l'orario indicato dalla scuola (di norma le 9:00)"),
        error_messages={"required": _("Per iscriverti devi accettare le regole del servizio.")},
    )


def _isee(istanza):
    from decimal import Decimal

    tariffa = istanza.data.get("tariffa", {})
    return Decimal(tariffa["valore_isee"]) if tariffa.get("tariffa") in ("isee", "inps") and tariffa.get("valore_isee") else None


class OutcomeForm(forms.Form):
    """What the Ufficio Scuola records when it accepts: the fee band, the service start, a medical diet's content."""

    fascia = forms.ModelChoiceField(label=_("Fascia tariffaria"), queryset=FeeBand.objects.none(),
                                    error_messages={"required": _("Scegli la fascia tariffaria.")})
    inizio_servizio = forms.DateField(label=_("Inizio del servizio"), error_messages={"required": _("Scrivi la data di inizio."),
                                                                                      "invalid": _("Scrivi la data come gg/mm/aaaa.")})
    dieta_sanitaria = forms.CharField(
        label=_("Dieta sanitaria da preparare"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Trascrivi dal certificato che cosa deve preparare la cucina. È un dato sanitario: viene cifrato."),
    )

    def __init__(self, *args, istanza, **kwargs):
        super().__init__(*args, **kwargs)
        self.istanza = istanza
        year = SchoolYear.from_label(istanza.data["bambino"]["anno_scolastico"])
        self.fields["fascia"].queryset = FeeBand.objects.filter(valid_from__lte=year.start).exclude(valid_to__lt=year.start)
        band = fee_band_for(_isee(istanza), year.start)
        self.initial.setdefault("fascia", band.pk if band else None)
        self.initial.setdefault("inizio_servizio", year.start)
        if istanza.data.get("dieta", {}).get("dieta") != Diet.MEDICAL:
            del self.fields["dieta_sanitaria"]

    def clean(self):
        cleaned = super().clean()
        if "dieta_sanitaria" in self.fields and not (cleaned.get("dieta_sanitaria") or "").strip():
            self.add_error("dieta_sanitaria", _("Trascrivi la dieta dal certificato medico allegato."))
        return cleaned

    def outcome_note(self):
        band = self.cleaned_data.get("fascia")
        return _g("Fascia tariffaria: %(band)s") % {"band": str(band)} if band else ""


def on_transition(istanza, event, outcome):
    """Submitted with a declared ISEE: INPS is asked after the commit. Accepted: the child joins the applicant's meal
    account for the school year (once)."""

    from .actions import wallet_get_or_create

    if event.to_status == Status.INVIATA and istanza.data.get("tariffa", {}).get("fonte_isee") == isee.DECLARED:
        from services.core.tasks import enqueue_after_commit

        from .tasks import isee_verify

        enqueue_after_commit(isee_verify, istanza.pk, caught_by="meals.tasks.isee_verify_pending")
    if event.to_status != Status.ACCOLTA or Child.objects.filter(istanza=istanza).exists():
        return
    data = istanza.data["bambino"]
    year = SchoolYear.from_label(data["anno_scolastico"])
    start = outcome.get("inizio_servizio") or year.start
    wallet = wallet_get_or_create(holder=istanza.owner)
    with transaction.atomic():
        # Last year's enrollment of the same child ends where the new one starts.
        Child.objects.filter(wallet=wallet, fiscal_code=data["codice_fiscale"], service_from__lt=start).exclude(
            service_to__lt=start).update(service_to=start - timedelta(days=1))
        Child.objects.create(
            wallet=wallet, first_name=data["nome"], last_name=data["cognome"], fiscal_code=data["codice_fiscale"],
            school_id=data["scuola"], school_class=data["classe"], fee_band=outcome.get("fascia") or fee_band_for(_isee(istanza), start),
            service_from=start, service_to=year.end, school_year=year.label, diet=istanza.data["dieta"]["dieta"],
            medical_diet=outcome.get("dieta_sanitaria", ""), istanza=istanza,
        )


PROCEDURE = registry.register(
    registry.Procedure(
        code=CODE,
        title=str(_("Iscrizione alla refezione scolastica")),
        category=str(_("Servizi educativi")),
        description=str(_("Mensa scolastica per il prossimo anno scolastico: dieta, tariffa ISEE e conto prepagato della famiglia.")),
        steps=(
            registry.Step("rinnovo", str(_("Rinnovo")), MensaRinnovoForm, condition=enrollment.has_previous(MensaRinnovoForm),
                          when=str(_("solo se il Comune ha già un'iscrizione di tuo figlio"))),
            registry.Step("bambino", str(_("Bambino e scuola")), MensaBambinoForm),
            registry.Step("dieta", str(_("Dieta")), DietaForm),
            registry.Step("tariffa", str(_("Tariffa e ISEE")), TariffaForm),
            registry.Step("dichiarazioni", str(_("Dichiarazioni")), DichiarazioniForm),
        ),
        spid_level=2,
        allow_local_accounts=False,
        opens_at=rome(2027, 6, 1, 9, 0),
        closes_at=rome(2027, 8, 31, 23, 59),
        route_office=enrollment.school_office,
        completion_working_days=30,
        outcome_form=OutcomeForm,
        on_transition=on_transition,
        eligibility=enrollment.arrears_refusal,
    )
)

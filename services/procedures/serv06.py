"""Procedure A, "Utenti Servizi 0-6" (seed 001): a Comune's legal representative registers the officials
who will use the regional 0-6 information system."""


from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stdnum import luhn

from services.accounts.models import Office
from services.core.clock import add_working_days, rome
from services.core.forms import FiscalCodeField, ItalianDateField, PhoneField, SportelloForm, check_birth_date
from services.istanze import registry
from services.istanze.summary import field_rows

from . import comuni

CODE = "SERV06_UTENTI"


class PrivacyForm(SportelloForm):
    intro = _(
        "Il Comune, titolare del trattamento, tratta i dati personali indicati in questo modulo solo per abilitare "
        "i funzionari al sistema informativo dei servizi educativi 0-6, secondo il Regolamento UE 2016/679 (GDPR). "
        "I dati sono conservati per la durata dell'abilitazione e poi cancellati. L'informativa completa è "
        "pubblicata nella pagina Privacy del sito."
    )
    accetta = forms.BooleanField(
        label=_("Dichiaro di aver preso visione dell'informativa sulla privacy e di averla condivisa con i funzionari indicati nel seguito"),
        error_messages={"required": _("Per proseguire devi dichiarare di aver letto l'informativa.")},
    )


class ComuneForm(SportelloForm):
    refresh_after = "provincia"  # without JavaScript, a button reloads the comuni of the chosen province
    refresh_label = _("Aggiorna l'elenco dei comuni")
    intro = _("Il sottoscritto, in qualità di Sindaco pro tempore o di Legale Rappresentante del Comune indicato, "
              "dichiara sotto la propria responsabilità che i dati inseriti sono veritieri.")
    nome = forms.CharField(label=_("Nome"), max_length=100, disabled=True, required=False)
    cognome = forms.CharField(label=_("Cognome"), max_length=100, disabled=True, required=False)
    codice_fiscale = forms.CharField(label=_("Codice fiscale"), max_length=16, disabled=True, required=False)
    provincia = forms.ChoiceField(label=_("Provincia"), choices=[("", _("Scegli la provincia"))] + comuni.provinces(),
                                  error_messages={"required": _("Scegli la provincia.")})
    comune = forms.ChoiceField(label=_("Comune"), error_messages={
        "required": _("Scegli il comune."), "invalid_choice": _("Il comune scelto non è in questa provincia: sceglilo di nuovo.")})
    cap = forms.RegexField(label=_("CAP"), regex=r"^[0-9]{5}$", max_length=5,  # ASCII digits only
                           error_messages={"invalid": _("Il CAP è di 5 cifre."), "required": _("Scrivi il CAP.")})
    indirizzo = forms.CharField(
        label=_("Indirizzo della sede legale dell'ente"), max_length=150,
        help_text=_("Indirizzo completo di numero civico (massimo 150 caratteri), es. Corso Giacomo Matteotti, 10"),
        error_messages={"required": _("Scrivi l'indirizzo della sede legale."),
                        "max_length": _("L'indirizzo può avere al massimo 150 caratteri (ne hai scritti %(show_value)d).")},
    )
    codice_fiscale_comune = forms.CharField(label=_("Codice fiscale del Comune"), max_length=11, min_length=11,
                                            error_messages={"required": _("Scrivi il codice fiscale del Comune.")})
    pec = forms.EmailField(label=_("Indirizzo PEC del Comune"), error_messages={
        "required": _("Scrivi l'indirizzo PEC."), "invalid": _("L'indirizzo PEC non è valido.")})
    rup_nome = forms.CharField(label=_("Nominativo del RUP per i servizi 0-6"), max_length=150,
                               error_messages={"required": _("Scrivi il nome del RUP.")})
    rup_email = forms.EmailField(
        label=_("E-mail del RUP"),
        help_text=_("A questo indirizzo arrivano la conferma di invio del modulo e le comunicazioni successive."),
        error_messages={"required": _("Scrivi l'e-mail del RUP."), "invalid": _("L'indirizzo e-mail non è valido.")},
    )
    rup_telefono = PhoneField(label=_("Telefono del RUP"), error_messages={"required": _("Scrivi il telefono del RUP.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = (self.data.get(self.add_prefix("provincia")) if self.is_bound else self.initial.get("provincia")) or ""
        options = comuni.comuni_of(province)
        self.fields["comune"].choices = [("", _("Scegli il comune") if options else _("Scegli prima la provincia"))] + options
        self.fields["comune"].widget.attrs["data-comuni-of"] = self.add_prefix("provincia")
        self.fields["comune"].help_text = _("Dopo aver scelto la provincia, se l'elenco dei comuni è vuoto premi «Aggiorna l'elenco dei comuni».")

    def clean_codice_fiscale_comune(self):
        value = self.cleaned_data["codice_fiscale_comune"].strip()
        if not (value.isascii() and value.isdigit()) or len(value) != 11 or not luhn.is_valid(value) or not value.strip("0"):
            raise forms.ValidationError(_("Il codice fiscale del Comune è di 11 cifre: controlla di averlo scritto bene."))
        return value

    def summary_rows(self):
        rows = field_rows(self)
        data = self.cleaned_data
        for row in rows:
            if row[0] == str(self.fields["comune"].label):
                row[1] = comuni.comune_name(data.get("provincia", ""), data.get("comune", "")) or row[1]
        return rows


class UtenteForm(SportelloForm):
    nome = forms.CharField(label=_("Nome"), max_length=100, error_messages={"required": _("Scrivi il nome.")})
    cognome = forms.CharField(label=_("Cognome"), max_length=100, error_messages={"required": _("Scrivi il cognome.")})
    codice_fiscale = FiscalCodeField(label=_("Codice fiscale"), error_messages={"required": _("Scrivi il codice fiscale.")})
    data_nascita = ItalianDateField(label=_("Data di nascita"), error_messages={"required": _("Scrivi la data di nascita.")})
    email = forms.EmailField(label=_("E-mail"), error_messages={"required": _("Scrivi l'e-mail."), "invalid": _("L'indirizzo e-mail non è valido.")})
    telefono = PhoneField(label=_("Telefono"), error_messages={"required": _("Scrivi il telefono.")})
    ha_credenziali = forms.BooleanField(label=_("Ha già le credenziali di accesso"), required=False)

    def clean(self):
        cleaned = super().clean()
        check_birth_date(self)
        return cleaned


class BaseUtentiFormSet(forms.BaseFormSet):
    item_label = _("Utente")
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": _("Indica almeno un utente da abilitare."),
        "too_many_forms": _("Puoi indicare al massimo %(num)d utenti in un modulo: per gli altri presentane uno nuovo."),
    }

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.has_changed() or (self.can_delete and form.cleaned_data.get("DELETE")):
                continue
            code = form.cleaned_data.get("codice_fiscale")
            if code in seen:
                form.add_error("codice_fiscale", _("Questo codice fiscale è già nell'elenco."))
                raise forms.ValidationError(_("Ogni utente va indicato una sola volta."))
            seen.add(code)
        if not seen:
            raise forms.ValidationError(_("Indica almeno un utente da abilitare."))


UtentiFormSet = formset_factory(
    UtenteForm, formset=BaseUtentiFormSet, extra=0, min_num=1, validate_min=True, can_delete=True, max_num=50, validate_max=True
)
UtentiFormSet.intro = _(
    "CHIEDE di abilitare al sistema informativo regionale dei servizi educativi 0-6 i funzionari comunali indicati, "
    "che vi accederanno per conto dell'amministrazione con credenziali personali. Se anche il Sindaco o il "
    "Legale Rappresentante deve essere abilitato, aggiungilo all'elenco."
)


def prefill(user) -> dict:
    return {"comune": {"nome": user.first_name, "cognome": user.last_name, "codice_fiscale": user.fiscal_code}}


def route_office(istanza):
    return Office.objects.filter(slug="servizi-educativi-0-6").first()


def activation_dates(istanza) -> dict:
    """2nd working day after submission for users who already have credentials, 6th for new ones."""
    sent = timezone.localdate(istanza.submitted_at)
    return {"existing": add_working_days(sent, 2), "new": add_working_days(sent, 6)}


def confirmation_notes(istanza) -> list[str]:
    users = istanza.data.get("utenti", [])
    dates = activation_dates(istanza)
    notes = []
    if any(u.get("ha_credenziali") for u in users):
        notes.append(_("Gli utenti che hanno già le credenziali saranno abilitati dal %(date)s (secondo giorno lavorativo dall'invio).")
                     % {"date": dates["existing"].strftime("%d/%m/%Y")})
    if any(not u.get("ha_credenziali") for u in users):
        notes.append(_("Gli utenti che ricevono nuove credenziali saranno abilitati dal %(date)s (sesto giorno lavorativo dall'invio).")
                     % {"date": dates["new"].strftime("%d/%m/%Y")})
    return notes


def receipt_recipients(istanza) -> list[str]:
    return [istanza.data.get("comune", {}).get("rup_email", "")]


PROCEDURE = registry.register(
    registry.Procedure(
        code=CODE,
        title=str(_("Utenti Servizi 0-6")),
        category=str(_("Servizi educativi")),
        description=str(_("Registrazione dei funzionari comunali da abilitare al sistema informativo regionale dei servizi educativi 0-6.")),
        steps=(
            registry.Step("privacy", str(_("Informativa privacy")), PrivacyForm),
            registry.Step("comune", str(_("Dati del Comune")), ComuneForm),
            registry.Step("utenti", str(_("Elenco utenti")), UtentiFormSet),
        ),
        spid_level=2,
        allow_local_accounts=True,  # the seed accepts login/password credentials too
        opens_at=rome(2026, 12, 1, 12, 0),
        closes_at=rome(2027, 1, 15, 12, 0),
        route_office=route_office,
        completion_working_days=6,
        prefill=prefill,
        confirmation_notes=confirmation_notes,
        receipt_recipients=receipt_recipients,
    )
)

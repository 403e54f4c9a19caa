"""Procedure B, OEPAC (seed 000): new enrollment or change (variazione) of educational and cultural
assistance for pupils with disabilities, routed to the school's Municipio."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from services.core.clock import SchoolYear, rome
from services.core.forms import AttachmentField, FiscalCodeField, ItalianDateField, SportelloForm, check_birth_date
from services.istanze import registry
from services.istanze.forms import DeclarationsForm, WizardStepForm
from services.istanze.models import Istanza
from services.istanze.states import OPEN_OFFICE, Status
from services.pdnd import prefill
from services.schools.models import AGE_RANGES, School, SchoolOrder

from .models import Enrollment, Organisation

CODE = "OEPAC"
MAX_PREFERENCES = 5


def school_years(today: date | None = None) -> list[tuple[str, str]]:
    """The next school year first (applications are for it), then the current one."""
    current = SchoolYear.current(today)
    nxt = SchoolYear.next(today)
    return [
        (nxt.label, _("%(y)s (prossimo anno)") % {"y": nxt.label}),
        (current.label, _("%(y)s (anno in corso)") % {"y": current.label}),
    ]




class TipoForm(WizardStepForm):
    tipo = forms.ChoiceField(
        label=_("Che cosa vuoi fare?"), widget=forms.RadioSelect,
        choices=[("nuova", _("Nuova iscrizione (anche per chi cambia scuola o ordine scolastico)")),
                 ("variazione", _("Variazione di un'iscrizione già attiva, nella stessa scuola"))],
        error_messages={"required": _("Scegli se è una nuova iscrizione o una variazione.")},
    )
    anno_scolastico = forms.ChoiceField(label=_("Anno scolastico"), error_messages={"required": _("Scegli l'anno scolastico.")})
    iscrizione = forms.ModelChoiceField(
        label=_("Iscrizione da variare"), queryset=Enrollment.objects.none(), required=False,
        help_text=_("Solo per le variazioni: l'iscrizione attiva a cui si riferisce."),
        error_messages={"invalid_choice": _("Scegli una delle tue iscrizioni attive.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anno_scolastico"].choices = [("", _("Scegli"))] + school_years()
        owner = self.wizard.request.user if self.wizard else None
        self.fields["iscrizione"].queryset = (
            Enrollment.objects.filter(owner=owner, active=True).select_related("school") if owner else Enrollment.objects.none()
        )
        self.fields["iscrizione"].empty_label = _("Nessuna")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("tipo") == "variazione" and not cleaned.get("iscrizione"):
            self.add_error("iscrizione", _("Per una variazione scegli l'iscrizione attiva: se non ne hai, presenta una nuova iscrizione."))
        if cleaned.get("tipo") == "nuova":
            cleaned["iscrizione"] = None
        return cleaned


class AlunnoForm(prefill.CertifiedChildMixin, WizardStepForm):
    child_fields = {"nome": "nome", "cognome": "cognome", "codice_fiscale": "codice_fiscale", "data_nascita": "data_nascita"}
    certified_reason = _("Iscrizione al servizio OEPAC: i figli minorenni dallo stato di famiglia")

    nome = forms.CharField(label=_("Nome dell'alunno"), max_length=100, error_messages={"required": _("Scrivi il nome.")})
    cognome = forms.CharField(label=_("Cognome dell'alunno"), max_length=100, error_messages={"required": _("Scrivi il cognome.")})
    codice_fiscale = FiscalCodeField(label=_("Codice fiscale dell'alunno"), error_messages={"required": _("Scrivi il codice fiscale.")})
    data_nascita = ItalianDateField(label=_("Data di nascita"), error_messages={"required": _("Scrivi la data di nascita.")})
    relazione = forms.ChoiceField(
        label=_("Chi presenta la domanda"), choices=[("", _("Scegli")), ("genitore", _("Genitore")), ("tutore", _("Tutore o affidatario"))],
        error_messages={"required": _("Indica se sei genitore o tutore.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_certified_children()

    def clean(self):
        cleaned = super().clean()
        self.clean_certified_child(cleaned)
        check_birth_date(self)
        self._one_new_enrollment_at_a_time(cleaned)
        return cleaned

    def _one_new_enrollment_at_a_time(self, cleaned):
        """A new enrollment for a pupil and school year while another is with the Municipio is refused here, as MENSA
        and TRASPORTO refuse a second one: a change of school is a new enrollment once the first is decided (seed 000)."""
        tipo = self.wizard.cleaned_step("tipo") if self.wizard else None
        code = cleaned.get("codice_fiscale")
        if not (tipo and code and tipo.get("tipo") == "nuova"):
            return
        pending = (Istanza.objects.filter(procedure_code="OEPAC", status__in=OPEN_OFFICE, data__tipo__tipo="nuova",
                                          data__tipo__anno_scolastico=tipo["anno_scolastico"], data__alunno__codice_fiscale=code)
                   .exclude(pk=getattr(self.wizard, "istanza", None) and self.wizard.istanza.pk).first())
        if pending is not None:
            self.add_error("codice_fiscale", _(
                "Per questo alunno e questo anno scolastico c'è già una domanda di nuova iscrizione in lavorazione (%(n)s). "
                "Per cambiare scuola attendi l'esito, oppure scrivi al Municipio dalla pagina di quella pratica.")
                % {"n": pending.number})


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, school):
        return f"{school.name} · {school.get_order_display()} · {school.code}"


class ScuolaForm(WizardStepForm):
    scuola = SchoolChoiceField(
        label=_("Scuola frequentata nell'anno scolastico scelto"), queryset=School.objects.none(),
        error_messages={"required": _("Scegli la scuola."), "invalid_choice": _("Scegli una scuola dell'elenco.")},
    )
    classe = forms.CharField(label=_("Classe e sezione"), max_length=20, required=False, help_text=_("Se già nota, es. 2ª B."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.filter(active=True).select_related("ambito__office").order_by("ambito__office__name", "name")
        self.fields["scuola"].queryset = schools
        groups: dict[str, list] = {}
        for school in schools:
            groups.setdefault(school.ambito.office.name, []).append((school.pk, self.fields["scuola"].label_from_instance(school)))
        self.fields["scuola"].choices = [("", _("Scegli la scuola"))] + list(groups.items())

    def clean_scuola(self):
        school = self.cleaned_data["scuola"]
        alunno = self.wizard.cleaned_step("alunno") if self.wizard else None
        tipo = self.wizard.cleaned_step("tipo") if self.wizard else None
        if alunno and tipo:
            start_year = int(tipo["anno_scolastico"][:4])
            born = alunno["data_nascita"]
            age = start_year - born.year  # age on 31 December of the first year
            low, high = AGE_RANGES[SchoolOrder(school.order)]
            if not low <= age <= high:
                raise forms.ValidationError(
                    _("Un alunno di %(age)s anni non può frequentare la %(order)s: controlla la scuola o la data di nascita.")
                    % {"age": age, "order": school.get_order_display().lower()}
                )
        return school


class AllegatiForm(SportelloForm):
    intro = _("Allega i documenti in PDF, JPEG o PNG. Sono dati sanitari: li conserviamo cifrati e ogni consultazione viene registrata.")
    certificazione = AttachmentField(label=_("Certificazione di disabilità (L. 104/1992)"), sensitive=True)
    diagnosi = AttachmentField(label=_("Diagnosi funzionale o profilo di funzionamento"), sensitive=True)
    altro = AttachmentField(label=_("Altra documentazione utile"), sensitive=True, required=False)


class PreferenzeForm(WizardStepForm):
    intro = _("Indica in ordine di preferenza gli organismi accreditati che lavorano nell'ambito della scuola scelta. "
              "La prima preferenza è obbligatoria; le altre aiutano il Municipio se la prima non è disponibile.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = list(self.organisations())
        count = min(len(organisations), MAX_PREFERENCES)
        choices = [("", _("Nessuna"))] + [(o.pk, o.name) for o in organisations]
        for n in range(1, count + 1):
            self.fields[f"preferenza_{n}"] = forms.TypedChoiceField(
                label=_("%(n)sª preferenza") % {"n": n}, choices=choices, coerce=int, required=(n == 1), empty_value=None,
                error_messages={"required": _("Indica almeno la prima preferenza."),
                                "invalid_choice": _("Scegli un organismo dell'elenco.")},
            )
            self.fields[f"preferenza_{n}"].widget.attrs["class"] = "form-select"
        if not count:
            self.intro = _("Nell'ambito della scuola scelta non ci sono organismi accreditati: il Municipio te ne assegnerà uno.")

    def organisations(self):
        scuola = self.wizard.cleaned_step("scuola") if self.wizard else None
        if not scuola:
            return Organisation.objects.none()
        return Organisation.objects.filter(active=True, ambiti=scuola["scuola"].ambito).order_by("name")

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in self.fields if name.startswith("preferenza_")]
        seen, gap = set(), False
        for n, value in enumerate(chosen, start=1):
            if value is None:
                gap = True
                continue
            if gap:
                self.add_error(f"preferenza_{n}", _("Compila le preferenze in ordine, senza lasciare vuote quelle precedenti."))
            if value in seen:
                self.add_error(f"preferenza_{n}", _("Questo organismo è già tra le tue preferenze."))
            seen.add(value)
        return cleaned

    def summary_rows(self):
        names = dict(self.organisations().values_list("pk", "name"))
        return [[str(self.fields[n].label), names.get(self.cleaned_data.get(n), "—")] for n in self.fields]


class VariazioneForm(SportelloForm):
    tipo_variazione = forms.ChoiceField(
        label=_("Tipo di variazione"),
        choices=[("", _("Scegli")), ("ore", _("Ore o orario di assistenza")), ("documenti", _("Aggiornamento della documentazione")),
                 ("classe", _("Cambio di classe o sezione nella stessa scuola")), ("organismo", _("Richiesta di cambio dell'organismo")),
                 ("altro", _("Altro"))],
        error_messages={"required": _("Scegli il tipo di variazione.")},
    )
    cambia_scuola = forms.BooleanField(label=_("Nell'anno scolastico scelto l'alunno cambia scuola (istituto o ordine scolastico)"), required=False)
    descrizione = forms.CharField(label=_("Descrivi la variazione"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                                  error_messages={"required": _("Descrivi la variazione richiesta.")})
    documento = AttachmentField(label=_("Documento a supporto"), sensitive=True, required=False)

    def clean_cambia_scuola(self):
        if self.cleaned_data.get("cambia_scuola"):
            raise forms.ValidationError(_("Se l'alunno cambia scuola non si fa una variazione: presenta una nuova iscrizione."))
        return False


class DichiarazioniForm(DeclarationsForm):
    intro = _("Il Comune tratta i dati, compresi quelli sanitari dell'alunno, solo per attivare e gestire il servizio OEPAC "
              "(Regolamento UE 2016/679, art. 9). L'informativa completa è nella pagina Privacy del sito.")


def _tipo(wizard):
    data = wizard.cleaned_step("tipo")
    return data["tipo"] if data else "nuova"


def is_nuova(wizard):
    return _tipo(wizard) == "nuova"


def is_variazione(wizard):
    return _tipo(wizard) == "variazione"


def route_office(istanza):
    school = school_of(istanza)
    return school.ambito.office if school else None


def school_of(istanza) -> School | None:
    data = istanza.data
    if data.get("tipo", {}).get("tipo") == "variazione":
        enrollment = Enrollment.objects.filter(pk=data["tipo"].get("iscrizione")).select_related("school__ambito__office").first()
        return enrollment.school if enrollment else None
    return School.objects.filter(pk=data.get("scuola", {}).get("scuola")).select_related("ambito__office").first()


def preferences_of(istanza) -> list[Organisation]:
    prefs = istanza.data.get("preferenze", {})
    ids = [prefs[k] for k in sorted(prefs) if prefs[k]]
    found = Organisation.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


class OutcomeForm(forms.Form):
    """What the Municipio records when it accepts: the organisation assigned."""

    organismo = forms.ModelChoiceField(
        label=_("Organismo assegnato"), queryset=Organisation.objects.none(),
        error_messages={"required": _("Scegli l'organismo assegnato."), "invalid_choice": _("Scegli un organismo dell'ambito della scuola.")},
    )

    def __init__(self, *args, istanza, **kwargs):
        super().__init__(*args, **kwargs)
        school = school_of(istanza)
        self.fields["organismo"].queryset = (
            Organisation.objects.filter(active=True, ambiti=school.ambito) if school else Organisation.objects.none()
        )
        preferred = [o.pk for o in preferences_of(istanza)]
        if preferred:
            self.fields["organismo"].help_text = _("Preferenze della famiglia, in ordine: %(names)s") % {
                "names": ", ".join(o.name for o in preferences_of(istanza))}
            self.initial.setdefault("organismo", preferred[0])
        if istanza.data.get("tipo", {}).get("tipo") == "variazione":
            self.fields["organismo"].required = False
            self.fields["organismo"].help_text = _("Solo se la variazione cambia l'organismo.")

    def outcome_note(self):
        organisation = self.cleaned_data.get("organismo")
        return _("Organismo assegnato: %(name)s") % {"name": organisation.name} if organisation else ""


def on_transition(istanza, event, outcome):
    """On acceptance, a new enrollment starts (ending the pupil's earlier one) or the active one changes."""

    if event.to_status != Status.ACCOLTA:
        return
    organisation = outcome.get("organismo")
    data = istanza.data
    if data.get("tipo", {}).get("tipo") == "variazione":
        if organisation:
            Enrollment.objects.filter(pk=data["tipo"]["iscrizione"], active=True).update(organisation=organisation)
        return
    pupil = data["alunno"]
    year = data["tipo"]["anno_scolastico"]
    Enrollment.objects.filter(pupil_fiscal_code=pupil["codice_fiscale"], school_year=year, active=True).update(active=False)
    Enrollment.objects.create(
        istanza=istanza, owner=istanza.owner, pupil_fiscal_code=pupil["codice_fiscale"],
        pupil_name=f"{pupil['nome']} {pupil['cognome']}", school_id=data["scuola"]["scuola"], school_year=year,
        organisation=organisation,
    )


PROCEDURE = registry.register(
    registry.Procedure(
        code=CODE,
        title=str(_("Servizio OEPAC: iscrizione o variazione")),
        category=str(_("Servizi educativi")),
        description=str(_("Assistenza educativa e culturale a scuola per alunne e alunni con disabilità: nuova iscrizione o variazione di un'iscrizione attiva.")),
        steps=(
            registry.Step("tipo", str(_("Tipo di domanda")), TipoForm),
            registry.Step("alunno", str(_("Dati dell'alunno")), AlunnoForm, condition=is_nuova, when=str(_("solo per una nuova iscrizione"))),
            registry.Step("scuola", str(_("Scuola")), ScuolaForm, condition=is_nuova, when=str(_("solo per una nuova iscrizione"))),
            registry.Step("allegati", str(_("Documenti")), AllegatiForm, condition=is_nuova, when=str(_("solo per una nuova iscrizione"))),
            registry.Step("preferenze", str(_("Organismi preferiti")), PreferenzeForm, condition=is_nuova, when=str(_("solo per una nuova iscrizione"))),
            registry.Step("variazione", str(_("Variazione")), VariazioneForm, condition=is_variazione, when=str(_("solo per una variazione"))),
            registry.Step("dichiarazioni", str(_("Dichiarazioni")), DichiarazioniForm),
        ),
        spid_level=2,
        allow_local_accounts=False,
        opens_at=rome(2027, 2, 15, 9, 0),
        closes_at=rome(2027, 3, 31, 12, 0),
        route_office=route_office,
        completion_working_days=30,
        outcome_form=OutcomeForm,
        on_transition=on_transition,
    )
)

"""The 0-3 survey (seed 002): the Comune's yearly survey of early-years services for the national action plan, two
sheets with two lives, each an application of the engine sent "in validazione" to the regional office on its own, which
validates it (ACCOLTA) or rejects it back to draft with its correction notes (IN ATTESA DI INTEGRAZIONE, the notes
e-mailed); the survey is complete when both are validated (states.py tells the states in the seed's words).
Sheet SERVIZI 03 (RIL03): for each service the Region preloaded, the average attendance over the reference period, or
its cessation, or "not reachable" with the mandatory reason; services missing from the list.
Sheet INTERVENTI (RIL03_INTERVENTI), filled after SERVIZI 03 is sent: the actions each service it declares active
requires (B1+B3 public, B2+B4 private, B8 also for a sezione primavera; C1 once, only and always for a Comune in a
CPT), each with the municipal amount and a short description; it says so when SERVIZI 03 changes after it was sent.
Only municipal users the Region enabled on a Comune fill its sheets."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Office
from services.core.clock import rome
from services.core.forms import EuroField, ItalianDecimalField, SportelloForm
from services.core.money import format_number
from services.istanze import registry
from services.istanze.forms import DeclarationsForm, WizardStepForm
from services.istanze.models import Istanza
from services.istanze.states import HOLDING, Actor, Status, TransitionError

from . import selectors
from .models import EarlyYearsService, SurveyComune
from .states import sheet_state

CODE, ACTIONS_CODE = selectors.SERVICES_SHEET, selectors.ACTIONS_SHEET
SESSION_COMUNE = "survey_comune"  # the Comune the municipal user chose on the survey's page


@dataclass(frozen=True)
class Edition:
    """One year's survey: attendance is averaged from period_start (or the authorisation) to period_end; a
    service authorised after period_end and by the survey's start is averaged up to the start."""

    year: int
    period_start: date
    period_end: date
    survey_start: date

    def period(self, service: EarlyYearsService) -> tuple[date, date] | None:
        if service.authorised_on > self.survey_start:
            return None  # authorised after the survey started: next year's
        if service.authorised_on > self.period_end:
            return service.authorised_on, self.survey_start
        return max(service.authorised_on, self.period_start), self.period_end


EDITION = Edition(year=2027, period_start=date(2026, 1, 2), period_end=date(2027, 1, 31), survey_start=date(2027, 3, 1))

ACTIONS = {
    "B1": _("B1 · sostegno alle spese di gestione (servizio pubblico)"),
    "B2": _("B2 · sostegno alle spese di gestione (servizio privato)"),
    "B3": _("B3 · riduzione delle rette (servizio pubblico)"),
    "B4": _("B4 · riduzione delle rette (servizio privato)"),
    "B8": _("B8 · sostegno alla sezione primavera"),
    "C1": _("C1 · formazione del personale dei servizi educativi (CPT)"),
}


def required_actions(service: EarlyYearsService) -> list[str]:
    """Management support and fee reduction are both required for every service; B8 too for a sezione primavera."""
    actions = ["B1", "B3"] if service.ownership == EarlyYearsService.Ownership.PUBLIC else ["B2", "B4"]
    if service.kind == EarlyYearsService.Kind.PRIMAVERA:
        actions.append("B8")
    return actions


def surveyed_services(comune: SurveyComune) -> list[EarlyYearsService]:
    return [s for s in comune.services.filter(active=True).order_by("name") if EDITION.period(s)]


def survey_holding(comune_pk, year: int, *, other_than=None, code: str = CODE) -> Istanza | None:
    return selectors.sheet_holding(code, comune_pk, year, other_than=other_than)


def _sheet_name(code: str) -> str:
    return _g("SERVIZI 03") if code == CODE else _g("INTERVENTI")


def _already_sent(comune: SurveyComune, holding: Istanza, user) -> str:
    text = _g("Per %(comune)s la scheda %(sheet)s %(year)d è già stata inviata (pratica %(number)s, %(status)s): "
              "se va corretta, la Regione la restituisce con le indicazioni.") % {
        "comune": comune.name, "sheet": _sheet_name(holding.procedure_code), "year": EDITION.year, "number": holding.number,
        "status": sheet_state(holding.status).label.lower()}
    if user is None:
        return text
    if holding.owner_id == user.pk:
        return format_html('{} <a href="{}">{}</a>', text, reverse("istanze:detail", args=[holding.public_id]), _g("Apri la scheda inviata"))
    return text + " " + _g("L'ha inviata un altro utente del Comune.")


def _comune_refused(wizard) -> list:
    """Why the Comune chosen earlier no longer stands (e.g. a colleague has sent its sheet since)."""
    form = wizard.stored_form("comune") if wizard else None
    if form is None or not form.is_bound or form.is_valid():
        return []
    return [format_html("{} {}", _g("Torna al passo «Comune»:"), error) for error in form.errors.get("comune", [])]


def _comune(wizard) -> SurveyComune | None:
    data = wizard.cleaned_step("comune") if wizard else None
    return data["comune"] if data else None


def _user(wizard):
    return getattr(getattr(wizard, "request", None), "user", None)


class ComuneForm(WizardStepForm):
    """The Comune the sheet is for, among those the Region enabled the user on (preselected from the survey's page)."""

    sheet = CODE
    intro = _("Scegli il Comune per cui compili la scheda SERVIZI 03 della rilevazione %(year)s. La Regione ha già caricato i "
              "servizi educativi per la prima infanzia che risultano autorizzati e attivi sul suo territorio.") % {"year": EDITION.year}
    comune = forms.ModelChoiceField(label=_("Comune"), queryset=SurveyComune.objects.none(),
                                    error_messages={"required": _("Scegli il Comune."), "invalid_choice": _("Scegli uno dei Comuni su cui sei abilitato.")})
    designato = forms.BooleanField(
        label=_("Sono l'utente comunale designato dal legale rappresentante del Comune a compilare la rilevazione"),
        error_messages={"required": _("Solo l'utente designato dal legale rappresentante può compilare la rilevazione.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _user(self.wizard)
        self.fields["comune"].queryset = selectors.enabled_comuni(user)
        chosen = getattr(getattr(self.wizard, "request", None), "session", {}).get(SESSION_COMUNE)
        if not self.is_bound and chosen and "comune" not in self.initial:
            self.initial["comune"] = chosen
        if user is not None and not self.fields["comune"].queryset.exists():
            self.intro = _g("La Regione non ti ha ancora abilitato su alcun Comune: chiedi l'abilitazione all'ufficio regionale.")

    def clean(self):
        cleaned = super().clean()
        comune = cleaned.get("comune")
        if comune:
            cleaned["edizione"] = EDITION.year
            istanza = getattr(self.wizard, "istanza", None)
            holding = survey_holding(comune.pk, EDITION.year, other_than=istanza, code=self.sheet)
            if holding:
                self.add_error("comune", _already_sent(comune, holding, _user(self.wizard)))
        return cleaned


class InterventiComuneForm(ComuneForm):
    """INTERVENTI is filled after SERVIZI 03 is sent: its actions follow the services that sheet declares active."""

    sheet = ACTIONS_CODE
    intro = _("Scegli il Comune per cui compili la scheda INTERVENTI della rilevazione %(year)s. Le azioni seguono i servizi "
              "che la scheda SERVIZI 03 inviata dichiara attivi.") % {"year": EDITION.year}

    def clean(self):
        cleaned = super().clean()
        comune = cleaned.get("comune")
        if comune and "comune" not in self.errors and survey_holding(comune.pk, EDITION.year) is None:
            self.add_error("comune", _("Invia prima la scheda SERVIZI 03 di %(comune)s: la scheda INTERVENTI ne segue i servizi attivi.")
                           % {"comune": comune.name})
        return cleaned


class ServizioForm(SportelloForm):
    STATES = [("attivo", _("Attivo: indico la media dei frequentanti")),
              ("cessato", _("Cessato: non era più attivo all'avvio della rilevazione")),
              ("non_raggiungibile", _("Non raggiungibile (ad esempio non interessato alla contribuzione pubblica)"))]
    stato = forms.ChoiceField(label=_("Situazione del servizio"), widget=forms.RadioSelect, choices=STATES,
                              error_messages={"required": _("Indica se il servizio è attivo, cessato o non raggiungibile.")})
    media_frequentanti = ItalianDecimalField(label=_("Media dei frequentanti nel periodo"), required=False, decimals=1, max_value=999)
    motivazione = forms.CharField(label=_("Motivazione del mancato raggiungimento"), required=False, max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    service: EarlyYearsService | None = None  # set by the formset, in the order of the Region's list

    def clean(self):
        cleaned = super().clean()
        state = cleaned.get("stato")
        if state == "attivo" and cleaned.get("media_frequentanti") is None and "media_frequentanti" not in self.errors:
            self.add_error("media_frequentanti", _("Per un servizio attivo indica la media dei frequentanti."))
        if state == "non_raggiungibile" and not (cleaned.get("motivazione") or "").strip():
            self.add_error("motivazione", _("Per un servizio non raggiungibile la motivazione è obbligatoria."))
        if state != "attivo":
            cleaned["media_frequentanti"] = None
        if state != "non_raggiungibile":
            cleaned["motivazione"] = ""
        if self.service:
            start, end = EDITION.period(self.service)
            cleaned.update(servizio=self.service.pk, codice=self.service.code, denominazione=self.service.name,
                           periodo=f"{start:%d/%m/%Y}–{end:%d/%m/%Y}")
        return cleaned

    def summary_rows(self):
        data = self.cleaned_data
        rows = [[_g("Periodo di riferimento"), data.get("periodo", "—")],
                [str(self.fields["stato"].label), str(dict(self.STATES)[data["stato"]])]]
        if data["stato"] == "attivo":
            rows.append([str(self.fields["media_frequentanti"].label), format_number(data["media_frequentanti"])])
        if data["stato"] == "non_raggiungibile":
            rows.append([str(self.fields["motivazione"].label), data["motivazione"]])
        return rows


class BaseServiziFormSet(forms.BaseFormSet):
    """One row per service the Region preloaded for the Comune, in its order; rows cannot be added or removed."""

    wants_wizard = True
    fixed = True
    item_label = _("Servizio")
    intro = _("Per ogni servizio indica la media dei frequentanti nel periodo di riferimento indicato, oppure dichiara che è "
              "cessato o che non è raggiungibile. Se nell'elenco manca un servizio, lo segnali nel passo successivo.")

    def __init__(self, *args, wizard=None, **kwargs):
        comune = _comune(wizard)
        self.comune_refused = _comune_refused(wizard) if comune is None else []
        self.services = surveyed_services(comune) if comune else []
        kwargs["initial"] = [{} for _ in self.services]
        super().__init__(*args, **kwargs)
        for form, service in zip(self.forms, self.services, strict=False):
            start, end = EDITION.period(service)
            form.service = service
            form.legend = f"{service.name} · {service.get_kind_display()}"
            form.help = _("%(code)s · %(ownership)s · periodo di riferimento dal %(start)s al %(end)s") % {
                "code": service.code, "ownership": service.get_ownership_display(), "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}

    def clean(self):
        if self.comune_refused:
            raise forms.ValidationError(self.comune_refused)
        if len(self.forms) != len(self.services):
            raise forms.ValidationError(_("L'elenco dei servizi del Comune è cambiato: torna al passo precedente e riprova."))
        if not self.services:
            raise forms.ValidationError(_("Per questo Comune la Regione non ha caricato servizi: segnala quelli attivi nel passo successivo."))


ServiziFormSet = formset_factory(ServizioForm, formset=BaseServiziFormSet, extra=0)


class MancanteForm(SportelloForm):
    denominazione = forms.CharField(label=_("Denominazione"), max_length=150, error_messages={"required": _("Scrivi la denominazione.")})
    indirizzo = forms.CharField(label=_("Indirizzo"), max_length=200, error_messages={"required": _("Scrivi l'indirizzo.")})
    titolo_autorizzativo = forms.CharField(label=_("Titolo autorizzativo"), max_length=150,
                                           error_messages={"required": _("Indica il titolo autorizzativo (atto e data).")})
    titolare = forms.CharField(label=_("Titolare"), max_length=150, error_messages={"required": _("Indica il titolare.")})
    gestore = forms.CharField(label=_("Gestore"), max_length=150, error_messages={"required": _("Indica il gestore.")})
    capacita = forms.IntegerField(label=_("Capacità ricettiva"), min_value=1, max_value=999,
                                  error_messages={"required": _("Indica la capacità ricettiva."), "invalid": _("Scrivi un numero intero."),
                                                  "min_value": _("Almeno 1 posto."), "max_value": _("Al massimo 999 posti.")})
    frequentanti = ItalianDecimalField(label=_("Media dei frequentanti nel periodo"), decimals=1, max_value=999,
                                       error_messages={"required": _("Indica la media dei frequentanti.")})


class BaseMancantiFormSet(forms.BaseFormSet):
    item_label = _("Servizio mancante")
    intro = _("Se nell'elenco della Regione manca un servizio autorizzato e attivo, aggiungilo qui con tutti i suoi dati. "
              "Se non manca nulla, prosegui.")


MancantiFormSet = formset_factory(MancanteForm, formset=BaseMancantiFormSet, extra=0, min_num=0, can_delete=True, max_num=20, validate_max=True)


class InterventiForm(WizardStepForm):
    """The actions each service active in the sent SERVIZI 03 sheet requires, each with the municipal amount (€ 0,00 if
    none) and a short description."""

    intro = _("Per ogni servizio attivo indica le azioni programmate: sostegno alle spese di gestione e riduzione delle rette sono "
              "entrambe obbligatorie, la B8 anche per le sezioni primavera. Per ogni azione scrivi la quota comunale a bilancio "
              "(€ 0,00 se non ce n'è) e una descrizione di al massimo 100 caratteri.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        comune = _comune(self.wizard)
        self.comune_refused = _comune_refused(self.wizard) if comune is None else []
        self.services_sheet = survey_holding(comune.pk, EDITION.year) if comune else None
        active = set(selectors.active_services(self.services_sheet))
        self.plan = []  # (key, service name or None, action)
        for service in surveyed_services(comune) if comune else []:
            if service.pk in active:
                self.plan += [(f"s{service.pk}_{a}", service.name, a) for a in required_actions(service)]
        if comune and comune.in_cpt:
            self.plan.append(("comune_C1", None, "C1"))
        for key, name, action in self.plan:
            prefix = f"{name} · {ACTIONS[action]}" if name else str(ACTIONS[action])
            self.fields[f"{key}_importo"] = EuroField(label=_("%(what)s: quota comunale (euro)") % {"what": prefix},
                                                      error_messages={"required": _("Scrivi la quota comunale, anche € 0,00.")})
            self.fields[f"{key}_descrizione"] = forms.CharField(
                label=_("%(what)s: descrizione") % {"what": prefix}, max_length=100,
                error_messages={"required": _("Scrivi una breve descrizione dell'azione."),
                                "max_length": _("Al massimo 100 caratteri (ora sono %(show_value)d).")})
            self.style(self.fields[f"{key}_importo"])
            self.style(self.fields[f"{key}_descrizione"])
        if comune and not comune.in_cpt:
            self.intro = str(self.intro) + " " + _g("Il Comune non aderisce a un CPT: l'azione C1 non si può indicare.")
        if self.services_sheet:
            self.intro = str(self.intro) + " " + _g("I servizi attivi sono quelli della scheda SERVIZI 03 %(number)s.") % {
                "number": self.services_sheet.number}

    def clean(self):
        cleaned = super().clean()
        if self.comune_refused:
            raise forms.ValidationError(self.comune_refused)
        if not self.plan:
            raise forms.ValidationError(_("La scheda SERVIZI 03 inviata non ha servizi attivi né il Comune è in un CPT: la scheda "
                                          "INTERVENTI resta vuota. Se è un errore, chiedi alla Regione di restituire la scheda SERVIZI 03."))
        # what this sheet was filled against, to tell later whether SERVIZI 03 changed since
        cleaned["servizi_numero"] = self.services_sheet.number if self.services_sheet else ""
        cleaned["servizi_attivi"] = selectors.active_services(self.services_sheet)
        return cleaned


class DichiarazioniForm(DeclarationsForm):
    intro = _("Inviando la scheda la mandi in validazione all'ufficio regionale, che può validarla o rifiutarla con le "
              "indicazioni per correggerla. Senza l'invio di entrambe le schede entro la scadenza il Comune non partecipa al "
              "riparto dei fondi.")


def on_transition(istanza, event, outcome):
    """Invia: the user must still be enabled on the Comune, and a colleague may have sent the same Comune's sheet since
    this one was filled in; INTERVENTI needs SERVIZI 03 sent."""
    if event.to_status not in (Status.INVIATA, Status.PRESA_IN_CARICO) or event.actor_kind != Actor.CITIZEN:
        return
    chosen = (istanza.data or {}).get("comune") or {}
    comune = SurveyComune.objects.select_for_update().filter(pk=chosen.get("comune")).first()
    if comune is None or not selectors.is_enabled(istanza.owner, comune.pk):
        raise TransitionError(_g("Non sei più abilitato su questo Comune: chiedi all'ufficio regionale."))
    year = chosen.get("edizione", EDITION.year)
    holding = survey_holding(comune.pk, year, other_than=istanza, code=istanza.procedure_code)
    if holding:
        raise TransitionError(_already_sent(comune, holding, None))  # plain text: shown as a message, where no link is kept
    if istanza.procedure_code == ACTIONS_CODE and survey_holding(comune.pk, year) is None:
        raise TransitionError(_g("Invia prima la scheda SERVIZI 03 di %(comune)s.") % {"comune": comune.name})


def route_office(istanza):
    return Office.objects.filter(slug=settings.SURVEY_OFFICE).first()


def confirmation_notes(istanza) -> list[str]:
    notes = [_g("La scheda è in validazione presso l'ufficio regionale. Se la rifiuta, ricevi un'e-mail con le indicazioni e "
                "la scheda torna in bozza, modificabile.")]
    if istanza.procedure_code == CODE:
        notes.append(_g("Ora compila e invia la scheda INTERVENTI dalla pagina della rilevazione."))
    return notes


def services_changed(istanza) -> str:
    """For an INTERVENTI sheet: whether the Comune's SERVIZI 03 sheet, as it stands now, declares other active services
    than the ones this sheet was filled against (it was sent back, corrected and sent again)."""
    answers = (istanza.data or {}).get("interventi") or {}
    chosen = (istanza.data or {}).get("comune") or {}
    if istanza.status not in HOLDING or "servizi_attivi" not in answers:
        return ""
    current = survey_holding(chosen.get("comune"), chosen.get("edizione", EDITION.year))
    if current is None:
        return _g("La scheda SERVIZI 03 di questo Comune non è più in validazione né validata: la scheda INTERVENTI va rivista.")
    if selectors.active_services(current) != sorted(answers["servizi_attivi"]):
        return _g("La scheda SERVIZI 03 (%(number)s) è cambiata dopo l'invio di questa scheda: i servizi attivi non sono più gli "
                  "stessi e le azioni vanno riviste.") % {"number": current.number}
    return ""


def notices(istanza) -> list[str]:
    changed = services_changed(istanza) if istanza.procedure_code == ACTIONS_CODE else ""
    return [changed] if changed else []


COMMON = {
    "category": str(_("Servizi educativi")),
    "spid_level": 2,
    "allow_local_accounts": True,  # municipal users may use portal credentials, as with the regional system's RUPAR ones
    "opens_at": rome(2027, 3, 1, 9, 0),
    "closes_at": rome(2027, 5, 15, 23, 59),
    "route_office": route_office,
    "completion_working_days": 20,
    "confirmation_notes": confirmation_notes,
    "on_transition": on_transition,
    "notices": notices,
}

PROCEDURE = registry.register(
    registry.Procedure(
        code=CODE,
        title=str(_("Rilevazione 0-3: scheda SERVIZI 03")),
        description=str(_("Scheda SERVIZI 03 del Comune: frequenza, cessazione o irraggiungibilità dei servizi per la prima infanzia.")),
        steps=(
            registry.Step("comune", str(_("Comune")), ComuneForm),
            registry.Step("servizi", str(_("Scheda SERVIZI 03")), ServiziFormSet),
            registry.Step("mancanti", str(_("Servizi mancanti")), MancantiFormSet),
            registry.Step("dichiarazioni", str(_("Invio in validazione")), DichiarazioniForm),
        ),
        **COMMON,
    )
)

ACTIONS_PROCEDURE = registry.register(
    registry.Procedure(
        code=ACTIONS_CODE,
        title=str(_("Rilevazione 0-3: scheda INTERVENTI")),
        description=str(_("Scheda INTERVENTI del Comune: le azioni per i servizi attivi, con la quota comunale.")),
        steps=(
            registry.Step("comune", str(_("Comune")), InterventiComuneForm),
            registry.Step("interventi", str(_("Scheda INTERVENTI")), InterventiForm),
            registry.Step("dichiarazioni", str(_("Invio in validazione")), DichiarazioniForm),
        ),
        **COMMON,
    )
)

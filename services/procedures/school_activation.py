"""Richiesta Attivazione (seed 000): a school's head, or whoever the school delegates, asks with SPID or CIE to become
the school's Utente Master in the Area scuola. The Ufficio Scuola approves or rejects it on the engine's desk;
approval makes the requester the Master, and the previous Master, if any, is disabled and told."""

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Office
from services.core.forms import AttachmentField
from services.istanze import registry
from services.istanze.forms import DeclarationsForm, WizardStepForm
from services.istanze.models import Istanza
from services.istanze.states import OPEN_OFFICE, Status, TransitionError
from services.schools import actions as schools
from services.schools.models import School

CODE = "SCUOLA_ATTIVAZIONE"
HEAD, DELEGATE = "dirigente", "delegato"


def open_request(school_code: str, *, other_than=None) -> Istanza | None:
    """A request for this school that the office has not decided yet (sent, or waiting for an integration)."""
    found = Istanza.objects.filter(procedure_code=CODE, status__in=OPEN_OFFICE, data__scuola__scuola=school_code)
    if other_than is not None:
        found = found.exclude(pk=other_than.pk)
    return found.order_by("submitted_at").first()


def _already_open(holding: Istanza) -> str:
    return _g("Per questa scuola c'è già una richiesta di attivazione in esame (pratica %(number)s): attendi l'esito "
              "dell'Ufficio Scuola.") % {"number": holding.number}


class ScuolaForm(WizardStepForm):
    intro = _("Scegli la scuola dal codice meccanografico e indica la PEC istituzionale della scuola e il tuo ruolo. Chi non è "
              "il dirigente scolastico allega la delega firmata dal dirigente.")
    scuola = forms.ChoiceField(label=_("Scuola"), error_messages={
        "required": _("Scegli la scuola."), "invalid_choice": _("Questa scuola non è nell'anagrafe del Comune: sceglila dall'elenco.")})
    pec = forms.EmailField(label=_("PEC istituzionale della scuola"), error_messages={
        "required": _("Scrivi la PEC della scuola."), "invalid": _("L'indirizzo PEC non è valido.")})
    ruolo = forms.ChoiceField(label=_("Il tuo ruolo"), widget=forms.RadioSelect,
                              choices=[(HEAD, _("Dirigente scolastico")), (DELEGATE, _("Delegato del dirigente"))],
                              error_messages={"required": _("Indica il tuo ruolo.")})
    delega = AttachmentField(label=_("Delega del dirigente scolastico"), required=False,
                             error_messages={"required": _("Allega la delega firmata dal dirigente.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scuola"].choices = [("", _("Scegli la scuola"))] + [
            (s.code, f"{s.code} · {s.name}") for s in School.objects.filter(active=True).order_by("code")]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("ruolo") == DELEGATE and not cleaned.get("delega"):
            self.add_error("delega", _("Chi non è il dirigente scolastico deve allegare la delega firmata dal dirigente."))
        code = cleaned.get("scuola")
        if code:
            holding = open_request(code, other_than=getattr(self.wizard, "istanza", None))
            if holding is not None:
                self.add_error("scuola", _already_open(holding))
        return cleaned


class DichiarazioniForm(DeclarationsForm):
    intro = _("Con l'approvazione diventi l'Utente Master della scuola: potrai aggiungere gli altri utenti della scuola e "
              "assegnare le loro funzioni. Se la scuola ha già un Utente Master, questo viene disattivato.")


def on_transition(istanza, event, outcome):
    """Invia: no second request for the same school while one is open. Accolta: the requester becomes the Master."""
    code = (istanza.data or {}).get("scuola", {}).get("scuola", "")
    if event.to_status == Status.INVIATA:
        holding = open_request(code, other_than=istanza)
        if holding is not None:
            raise TransitionError(_already_open(holding))
    elif event.to_status == Status.ACCOLTA:
        school = School.objects.filter(code=code).first()
        if school is None:
            raise TransitionError(_g("La scuola della richiesta non è più nell'anagrafe: non si può attivare l'Utente Master."))
        # The role is the requester's only if SPID/CIE proved their codice fiscale; otherwise it waits for that login.
        owner = istanza.owner if istanza.owner.fiscal_code_attested else None
        schools.master_activate(school=school, fiscal_code=istanza.owner.fiscal_code, user=owner, by=event.actor,
                                note=_g("Pratica %(number)s") % {"number": istanza.number})


def outcome_notes(istanza, to_status) -> str:
    """What the approval means, for the operator and in the requester's message."""
    if to_status != Status.ACCOLTA:
        return ""
    code = (istanza.data or {}).get("scuola", {}).get("scuola", "")
    school = School.objects.filter(code=code).first()
    name = school.name if school else code
    return _g("%(person)s è ora l'Utente Master della scuola %(school)s: entra nell'area personale con SPID o CIE e apri "
              "Area scuola per aggiungere gli utenti della scuola e dar loro le funzioni.") % {
        "person": istanza.owner.get_full_name() or istanza.owner.fiscal_code, "school": name}


def route_office(istanza):
    return Office.objects.filter(slug="ufficio-scuola").first()


PROCEDURE = registry.register(
    registry.Procedure(
        code=CODE,
        title=str(_("Richiesta di attivazione della scuola")),
        category=str(_("Servizi educativi")),
        description=str(_("Il dirigente scolastico, o un suo delegato, chiede l'utenza Master con cui la scuola consulta "
                          "le iscrizioni dei propri alunni e gestisce i propri utenti.")),
        steps=(
            registry.Step("scuola", str(_("Scuola e richiedente")), ScuolaForm),
            registry.Step("dichiarazioni", str(_("Dichiarazioni")), DichiarazioniForm),
        ),
        spid_level=2,
        allow_local_accounts=False,  # SPID or CIE only (seed 000)
        route_office=route_office,
        completion_working_days=5,
        on_transition=on_transition,
        outcome_notes=outcome_notes,
    )
)

"""Application states (DESIGN §5) and the one table of allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    BOZZA = "bozza", _("Bozza")
    DA_INVIARE = "da_inviare", _("Da inviare")
    INVIATA = "inviata", _("Inviata")
    PRESA_IN_CARICO = "presa_in_carico", _("Presa in carico")
    IN_ATTESA_DI_INTEGRAZIONE = "in_attesa_di_integrazione", _("In attesa di integrazione")
    ACCOLTA = "accolta", _("Accolta")
    RESPINTA = "respinta", _("Respinta")
    ANNULLATA = "annullata", _("Annullata")
    ARCHIVIATA = "archiviata", _("Archiviata")


class Actor(models.TextChoices):
    CITIZEN = "citizen", _("Cittadino")
    OFFICE = "office", _("Ufficio")
    SYSTEM = "system", _("Sistema")


S, A = Status, Actor

# (from, to): who may make the move, and whether a note is required.
TRANSITIONS: dict[tuple[Status, Status], tuple[frozenset[Actor], bool]] = {
    (S.BOZZA, S.DA_INVIARE): (frozenset({A.CITIZEN}), False),  # Salva e prosegui
    (S.DA_INVIARE, S.BOZZA): (frozenset({A.CITIZEN}), False),  # Riporta in bozza
    (S.DA_INVIARE, S.INVIATA): (frozenset({A.CITIZEN}), False),  # Invia
    (S.INVIATA, S.ANNULLATA): (frozenset({A.CITIZEN}), False),  # withdrawn before it is taken in charge
    (S.INVIATA, S.PRESA_IN_CARICO): (frozenset({A.OFFICE}), False),
    (S.PRESA_IN_CARICO, S.IN_ATTESA_DI_INTEGRAZIONE): (frozenset({A.OFFICE}), True),  # what to correct
    (S.IN_ATTESA_DI_INTEGRAZIONE, S.PRESA_IN_CARICO): (frozenset({A.CITIZEN}), False),  # resubmitted, same number
    (S.PRESA_IN_CARICO, S.ACCOLTA): (frozenset({A.OFFICE}), False),
    (S.PRESA_IN_CARICO, S.RESPINTA): (frozenset({A.OFFICE}), True),  # the reason
    (S.ACCOLTA, S.ARCHIVIATA): (frozenset({A.OFFICE, A.SYSTEM}), False),
    (S.RESPINTA, S.ARCHIVIATA): (frozenset({A.OFFICE, A.SYSTEM}), False),
    (S.ANNULLATA, S.ARCHIVIATA): (frozenset({A.OFFICE, A.SYSTEM}), False),
}

# The groups of states, each written once.
# Not yet sent: the citizen's drafts.
DRAFT = frozenset({S.BOZZA, S.DA_INVIARE})
# Sent and not yet decided: what the office works (and what can be overdue).
OPEN_OFFICE = frozenset({S.INVIATA, S.PRESA_IN_CARICO, S.IN_ATTESA_DI_INTEGRAZIONE})
# Decided, withdrawn or archived: the data is kept only for the retention period.
CLOSED = frozenset({S.ACCOLTA, S.RESPINTA, S.ANNULLATA, S.ARCHIVIATA})
# Sent and not withdrawn, rejected or archived: an application that holds its place (one per child and year).
HOLDING = OPEN_OFFICE | {S.ACCOLTA}
# States in which the citizen may change the data.
EDITABLE = frozenset({S.BOZZA, S.IN_ATTESA_DI_INTEGRAZIONE})
# States the citizen sees as "in lavorazione" in the personal area.
IN_PROGRESS = frozenset({S.BOZZA, S.DA_INVIARE, S.IN_ATTESA_DI_INTEGRAZIONE})


def requires_note(target: Status) -> bool:
    """Whether moving into `target` needs a note (the reason of a rejection, what to correct), as the table says."""
    return any(needs for (_frm, to), (_actors, needs) in TRANSITIONS.items() if to == target)


class TransitionError(Exception):
    """A move the table does not allow; the message is for the user, in Italian."""


def check_transition(current: Status, target: Status, actor: Actor, note: str = "") -> None:
    rule = TRANSITIONS.get((Status(current), Status(target)))
    if rule is None:
        raise TransitionError(
            f"Non è possibile passare da «{Status(current).label}» a «{Status(target).label}»."
        )
    actors, note_required = rule
    if Actor(actor) not in actors:
        raise TransitionError("Questa operazione non è consentita a chi la sta facendo.")
    if note_required and not note.strip():
        raise TransitionError("Per questa operazione serve una motivazione.")

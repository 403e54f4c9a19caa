"""Application states (DESIGN §5) and the one table of allowed transitions, in the workflow kernel's shape."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.core.workflow import Rule, TransitionError  # noqa: F401 - the engine's callers catch the kernel's error


class Status(models.TextChoices):
    BOZZA = "bozza", _("Bozza")
    DA_INVIARE = "da_inviare", _("Da inviare")
    IN_ATTESA_DI_PAGAMENTO = "in_attesa_di_pagamento", _("In attesa di pagamento")
    INVIATA = "inviata", _("Inviata")
    PRESA_IN_CARICO = "presa_in_carico", _("Presa in carico")
    IN_ATTESA_DI_INTEGRAZIONE = "in_attesa_di_integrazione", _("In attesa di integrazione")
    ACCOLTA = "accolta", _("Accolta")
    RESPINTA = "respinta", _("Respinta")
    ANNULLATA = "annullata", _("Annullata")
    ARCHIVIATA = "archiviata", _("Archiviata")
    PROVA = "prova", _("Prova conclusa")  # an editor's test application: never numbered, routed or sent


class Actor(models.TextChoices):
    CITIZEN = "citizen", _("Cittadino")
    OFFICE = "office", _("Ufficio")
    SYSTEM = "system", _("Sistema")


S, A = Status, Actor

# from -> the states it may move to.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.BOZZA: frozenset({S.DA_INVIARE}),  # Salva e prosegui
    S.DA_INVIARE: frozenset({S.BOZZA, S.INVIATA, S.IN_ATTESA_DI_PAGAMENTO, S.PROVA}),  # Riporta in bozza, Invia (a fee: to pay; a test: ends)
    S.IN_ATTESA_DI_PAGAMENTO: frozenset({S.INVIATA, S.ANNULLATA}),  # paid (the receipt), or withdrawn
    S.INVIATA: frozenset({S.ANNULLATA, S.PRESA_IN_CARICO}),  # withdrawn before it is taken in charge
    S.PRESA_IN_CARICO: frozenset({S.IN_ATTESA_DI_INTEGRAZIONE, S.ACCOLTA, S.RESPINTA}),
    S.IN_ATTESA_DI_INTEGRAZIONE: frozenset({S.PRESA_IN_CARICO}),  # resubmitted, same number
    S.ACCOLTA: frozenset({S.ARCHIVIATA}),
    S.RESPINTA: frozenset({S.ARCHIVIATA}),
    S.ANNULLATA: frozenset({S.ARCHIVIATA}),
    S.ARCHIVIATA: frozenset(),
    S.PROVA: frozenset(),
}

CITIZEN, OFFICE, ARCHIVE = (frozenset({A.CITIZEN}), frozenset({A.OFFICE}), frozenset({A.OFFICE, A.SYSTEM}))
# (from, to) -> who may make the move, and whether a note is required.
RULES: dict[tuple[Status, Status], Rule] = {
    (S.BOZZA, S.DA_INVIARE): Rule(actors=CITIZEN),
    (S.DA_INVIARE, S.BOZZA): Rule(actors=CITIZEN),
    (S.DA_INVIARE, S.INVIATA): Rule(actors=CITIZEN, allowed=lambda istanza, by: not istanza.test),
    (S.DA_INVIARE, S.IN_ATTESA_DI_PAGAMENTO): Rule(actors=CITIZEN, allowed=lambda istanza, by: not istanza.test),
    (S.DA_INVIARE, S.PROVA): Rule(actors=CITIZEN, allowed=lambda istanza, by: istanza.test),  # only a test ends here
    (S.IN_ATTESA_DI_PAGAMENTO, S.INVIATA): Rule(actors=frozenset({A.SYSTEM})),  # pagoPA's receipt
    (S.IN_ATTESA_DI_PAGAMENTO, S.ANNULLATA): Rule(actors=frozenset({A.CITIZEN, A.SYSTEM})),  # withdrawn, or never paid
    (S.INVIATA, S.ANNULLATA): Rule(actors=CITIZEN),
    (S.INVIATA, S.PRESA_IN_CARICO): Rule(actors=OFFICE),
    (S.PRESA_IN_CARICO, S.IN_ATTESA_DI_INTEGRAZIONE): Rule(actors=OFFICE, note_required=True),  # what to correct
    (S.IN_ATTESA_DI_INTEGRAZIONE, S.PRESA_IN_CARICO): Rule(actors=CITIZEN),
    (S.PRESA_IN_CARICO, S.ACCOLTA): Rule(actors=OFFICE),
    (S.PRESA_IN_CARICO, S.RESPINTA): Rule(actors=OFFICE, note_required=True),  # the reason
    (S.ACCOLTA, S.ARCHIVIATA): Rule(actors=ARCHIVE),
    (S.RESPINTA, S.ARCHIVIATA): Rule(actors=ARCHIVE),
    (S.ANNULLATA, S.ARCHIVIATA): Rule(actors=ARCHIVE),
}

# The groups of states, each written once.
# Not yet sent: the citizen's drafts.
DRAFT = frozenset({S.BOZZA, S.DA_INVIARE})
# Sent and not yet decided: what the office sees and works (and what can be overdue); one with a fee is sent when
# the citizen presses Invia and reaches the office's hands when pagoPA's receipt comes.
OPEN_OFFICE = frozenset({S.IN_ATTESA_DI_PAGAMENTO, S.INVIATA, S.PRESA_IN_CARICO, S.IN_ATTESA_DI_INTEGRAZIONE})
# What the office can work now (assign, take in charge): not one still waiting for its fee.
WORKABLE = OPEN_OFFICE - {S.IN_ATTESA_DI_PAGAMENTO}
# Decided, withdrawn or archived: the data is kept only for the retention period.
CLOSED = frozenset({S.ACCOLTA, S.RESPINTA, S.ANNULLATA, S.ARCHIVIATA, S.PROVA})
# Sent and not withdrawn, rejected or archived: an application that holds its place (one per child and year).
HOLDING = OPEN_OFFICE | {S.ACCOLTA}
# States in which the citizen may change the data.
EDITABLE = frozenset({S.BOZZA, S.IN_ATTESA_DI_INTEGRAZIONE})
# States the citizen sees as "in lavorazione" in the personal area.
IN_PROGRESS = frozenset({S.BOZZA, S.DA_INVIARE, S.IN_ATTESA_DI_INTEGRAZIONE})


def requires_note(target: Status) -> bool:
    """Whether moving into `target` needs a note (the reason of a rejection, what to correct), as the table says."""
    return any(rule.note_required for (_frm, to), rule in RULES.items() if to == target)

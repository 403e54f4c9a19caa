"""States of a request for assistance and the one table of allowed moves."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NUOVA = "nuova", _("Nuova")
    ASSEGNATA = "assegnata", _("Assegnata")
    IN_ATTESA = "in_attesa", _("In attesa del cittadino")
    RISOLTA = "risolta", _("Risolta")
    CHIUSA = "chiusa", _("Chiusa")


S = Status

# from -> the states it may move to. A citizen's answer moves IN_ATTESA back to ASSEGNATA (or NUOVA, when nobody
# holds it); reopening moves RISOLTA back the same way.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.NUOVA: frozenset({S.NUOVA, S.ASSEGNATA, S.IN_ATTESA, S.RISOLTA}),  # NUOVA → NUOVA: forwarded
    S.ASSEGNATA: frozenset({S.NUOVA, S.ASSEGNATA, S.IN_ATTESA, S.RISOLTA}),
    S.IN_ATTESA: frozenset({S.NUOVA, S.ASSEGNATA, S.IN_ATTESA, S.RISOLTA}),
    S.RISOLTA: frozenset({S.NUOVA, S.ASSEGNATA, S.CHIUSA}),
    S.CHIUSA: frozenset(),
}

# The groups of states, each written once.
# In the desk's hands: what can be overdue.
OPEN = frozenset({S.NUOVA, S.ASSEGNATA, S.IN_ATTESA})
# The clocks stop while the office waits for the citizen.
PAUSED = frozenset({S.IN_ATTESA})
# The citizen may still write in the thread (a resolved request is reopened by writing).
CITIZEN_CAN_WRITE = frozenset({S.NUOVA, S.ASSEGNATA, S.IN_ATTESA, S.RISOLTA})
# Done: the citizen may rate the answer.
DONE = frozenset({S.RISOLTA, S.CHIUSA})


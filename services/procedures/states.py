"""The 0-3 survey's sheets in the Region's words (seed 002): each sheet is an application of the engine, and its state
is the application's, told as the seed tells it. One table from the engine's states to the sheet's."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.istanze.states import Status


class SheetState(models.TextChoices):
    NOT_STARTED = "non_iniziata", _("Non iniziata")
    DRAFT = "bozza", _("In bozza")
    IN_VALIDATION = "in_validazione", _("In validazione")
    REJECTED = "rifiutata", _("Rifiutata, in bozza per le correzioni")
    VALIDATED = "validata", _("Validata")


SHEET_STATE = {
    Status.BOZZA: SheetState.DRAFT,
    Status.DA_INVIARE: SheetState.DRAFT,
    Status.INVIATA: SheetState.IN_VALIDATION,
    Status.PRESA_IN_CARICO: SheetState.IN_VALIDATION,
    Status.IN_ATTESA_DI_INTEGRAZIONE: SheetState.REJECTED,
    Status.ACCOLTA: SheetState.VALIDATED,
}
# The engine's states a sheet that counts is in (withdrawn, refused and archived ones do not).
COUNTED = frozenset(SHEET_STATE)


def sheet_state(status: str | None) -> SheetState:
    return SHEET_STATE.get(status, SheetState.NOT_STARTED) if status else SheetState.NOT_STARTED

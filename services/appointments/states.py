"""States of an appointment and their groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.core.workflow import Rule


class Status(models.TextChoices):
    PENDING = "da_confermare", _("Da confermare")  # waiting for the e-mail's link (no account)
    CONFIRMED = "confermato", _("Confermato")
    CANCELLED_CITIZEN = "annullato_cittadino", _("Annullato dal cittadino")
    CANCELLED_OFFICE = "annullato_ufficio", _("Annullato dall'ufficio")
    ATTENDED = "presentato", _("Presentato")
    NO_SHOW = "assente", _("Non presentato")


S = Status

# from -> the states it may move to.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.PENDING: frozenset({S.CONFIRMED, S.CANCELLED_CITIZEN, S.CANCELLED_OFFICE}),
    S.CONFIRMED: frozenset({S.CANCELLED_CITIZEN, S.CANCELLED_OFFICE, S.ATTENDED, S.NO_SHOW}),
    S.CANCELLED_CITIZEN: frozenset(),
    S.CANCELLED_OFFICE: frozenset(),
    S.ATTENDED: frozenset(),
    S.NO_SHOW: frozenset(),
}

# (from, to) -> what the move asks for: the office says why it cancels (the citizen receives it).
RULES: dict[tuple[Status, Status], Rule] = {
    (S.PENDING, S.CANCELLED_OFFICE): Rule(note_required=True),
    (S.CONFIRMED, S.CANCELLED_OFFICE): Rule(note_required=True),
}

# The groups, each written once.
# Holding a place in its slot.
HOLDING = frozenset({S.PENDING, S.CONFIRMED})
CANCELLED = frozenset({S.CANCELLED_CITIZEN, S.CANCELLED_OFFICE})


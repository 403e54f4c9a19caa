"""Registration states and the one table of allowed changes, in the workflow kernel's shape."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PENDING = "in_corso", _("In corso di protocollazione")
    MANUAL = "attesa_manuale", _("In attesa della registrazione manuale")
    REGISTERED = "protocollata", _("Protocollata")
    FAILED = "non_riuscita", _("Non riuscita")


S = Status

TRANSITIONS = {
    S.PENDING: frozenset({S.REGISTERED, S.FAILED, S.MANUAL}),
    S.MANUAL: frozenset({S.REGISTERED}),  # the clerk typed the number
    S.FAILED: frozenset({S.PENDING, S.REGISTERED}),  # an operator retries, or registers by hand
    S.REGISTERED: frozenset(),
}
# Waiting for a number: a citizen's withdrawal is refused meanwhile.
WAITING = frozenset({S.PENDING, S.MANUAL, S.FAILED})

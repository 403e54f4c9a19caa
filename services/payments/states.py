"""Debt-position states (GPD's, plus NEW) and the one table of allowed changes; every change goes through
`actions.position_transition`, which writes a PaymentEvent row."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PositionStatus(models.TextChoices):
    """GPD's position states, plus NEW: created here, not yet accepted by GPD."""

    NEW = "NEW", _("In preparazione")
    DRAFT = "DRAFT", _("Bozza")
    PUBLISHED = "PUBLISHED", _("Pubblicata")
    VALID = "VALID", _("Da pagare")
    INVALID = "INVALID", _("Annullata")
    EXPIRED = "EXPIRED", _("Scaduta")
    PARTIALLY_PAID = "PARTIALLY_PAID", _("Pagata in parte")
    PAID = "PAID", _("Pagata")
    REPORTED = "REPORTED", _("Rendicontata")


P = PositionStatus

# Published on pagoPA and payable now.
PAYABLE = frozenset({P.VALID, P.PARTIALLY_PAID})
# Paid: nothing more to pay, nothing to withdraw.
SETTLED = frozenset({P.PAID, P.REPORTED})
# Issued and not paid nor withdrawn: an unpaid position, whether GPD has it yet or not.
OPEN = frozenset({P.NEW, P.DRAFT, P.PUBLISHED}) | PAYABLE
# What GPD may answer when we publish.
PUBLISHED_AS = frozenset({P.DRAFT, P.PUBLISHED, P.VALID})

TRANSITIONS: frozenset[tuple[PositionStatus, PositionStatus]] = frozenset(
    {(P.NEW, to) for to in PUBLISHED_AS}  # GPD accepted it
    | {(frm, P.PAID) for frm in OPEN | {P.EXPIRED}}  # the first OK receipt with the right amount settles it
    | {(frm, P.INVALID) for frm in OPEN | {P.EXPIRED}}  # withdrawn by the office
    | {(P.PAID, P.REPORTED)}
)


class PositionTransitionError(Exception):
    """A change the table does not allow; the message is for staff, in Italian."""


def check_transition(current: str, target: str) -> None:
    if (P(current), P(target)) not in TRANSITIONS:
        raise PositionTransitionError(f"Una posizione «{P(current).label}» non può diventare «{P(target).label}».")

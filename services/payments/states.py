"""Debt-position states (GPD's, plus NEW) and the one table of allowed changes, in the workflow kernel's shape; every
change goes through `actions.position_transition`, which the kernel records as a PaymentEvent row."""

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

# from -> the states it may move to.
TRANSITIONS: dict[PositionStatus, frozenset[PositionStatus]] = {
    **{frm: frozenset({P.PAID, P.INVALID}) for frm in OPEN | {P.EXPIRED}},  # settled by a receipt, or withdrawn
    P.NEW: PUBLISHED_AS | {P.PAID, P.INVALID},  # GPD accepted it
    P.PAID: frozenset({P.REPORTED}),
    P.INVALID: frozenset(),
    P.REPORTED: frozenset(),
}

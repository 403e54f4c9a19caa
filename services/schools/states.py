"""States of a person's role at a school and the one table of allowed moves, in the workflow kernel's shape."""

from .models import SchoolRole

S = SchoolRole.State

# from -> the states it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.ACTIVE: frozenset({S.SUSPENDED, S.REMOVED, S.REPLACED}),  # a Master is replaced by the next one's activation
    S.SUSPENDED: frozenset({S.ACTIVE, S.REMOVED}),
    S.REMOVED: frozenset({S.ACTIVE}),  # reactivated from the users' register
    S.REPLACED: frozenset(),
}

# The groups, each written once.
# Holding the school: sees its pupils (active) or may be let back in (suspended).
OPEN = frozenset({S.ACTIVE, S.SUSPENDED})

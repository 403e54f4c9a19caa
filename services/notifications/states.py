"""The groups of a dispatch's states (Dispatch.Status), each written once."""

from .models import Dispatch

S = Dispatch.Status

# On its way: queued, being sent, or waiting to be tried again.
PENDING = frozenset({S.QUEUED, S.SENDING, S.RETRY})
# What a worker may send now.
DUE = frozenset({S.QUEUED, S.RETRY})
# Reached the citizen.
DONE = frozenset({S.SENT, S.DELIVERED})
# Reached or reaching the citizen: the fallback tries no other channel meanwhile.
ACTIVE = PENDING | DONE
# Given up on: staff see it in *Messaggi non inviati* and may send it again.
UNSENT = frozenset({S.FAILED, S.DEAD})

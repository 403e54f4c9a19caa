"""The tables of a dispatch's and a broadcast's states (Dispatch.Status, Broadcast.Status), in the workflow kernel's
shape, and the groups of a dispatch's states, each written once."""

from .models import Broadcast, Dispatch

S = Dispatch.Status

# from -> the states it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.QUEUED: frozenset({S.SENDING}),  # claimed by a worker
    S.SENDING: frozenset({S.SENT, S.RETRY, S.FAILED, S.DEAD}),  # RETRY also when a worker died while sending
    S.RETRY: frozenset({S.SENDING}),
    S.SENT: frozenset({S.DELIVERED, S.FAILED}),  # what App IO says it did with it
    S.DELIVERED: frozenset(),
    S.FAILED: frozenset({S.QUEUED}),  # *Rinvia*
    S.DEAD: frozenset({S.QUEUED}),
    S.UNREACHABLE: frozenset(),  # written so at creation: no channel reaches the person
}
BROADCAST_TRANSITIONS: dict[str, frozenset[str]] = {
    Broadcast.Status.QUEUED: frozenset({Broadcast.Status.SENT}),  # every family's message written
    Broadcast.Status.SENT: frozenset(),
}

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

"""The one way a record changes state (issue 26, first part): a small state machine per model, built from the app's
own table in its `states.py`, and one `transition()` that locks the row, checks the table, writes the fields and one
event row the office can read, and announces the change after commit.

    # appointments/states.py keeps the table as data:
    TRANSITIONS = {S.PENDING: {S.CONFIRMED, S.CANCELLED_CITIZEN}, S.CONFIRMED: {S.ATTENDED, ...}, ...}
    # appointments/apps.py, in ready():
    workflow.register(Appointment, TRANSITIONS, rules={(S.CONFIRMED, S.CANCELLED_OFFICE): Rule(note_required=True)})
    # anywhere in the app's actions:
    workflow.transition(appointment, S.CANCELLED_OFFICE, by=operator, note="Ufficio chiuso", cancelled_at=now)

Listeners (protocol registration, reminders, staff alerts) connect to `transitioned`, which is sent after the
transaction commits, once per change, with the model, the object's pk, the states and the event. The kernel knows no
domain: models register themselves from their AppConfig.ready()."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import models, transaction
from django.dispatch import Signal

# sender=model class; kwargs: pk, from_state, to_state, event (TransitionEvent)
transitioned = Signal()


class TransitionError(ValueError):
    """A change the table refuses; the message is for a person, in Italian."""


@dataclass(frozen=True)
class Rule:
    """What a pair of states asks for besides being in the table."""

    note_required: bool = False
    allowed: Callable | None = None  # (obj, by) -> bool: who may make this change


@dataclass
class Machine:
    model: type[models.Model]
    table: dict[str, frozenset[str]]
    field: str = "status"
    rules: dict[tuple[str, str], Rule] = dataclass_field(default_factory=dict)
    labels: Callable[[str], str] | None = None  # state -> what a person reads

    def can_move(self, current: str, to: str) -> bool:
        return to in self.table.get(current, frozenset())

    def label(self, state: str) -> str:
        return str(self.labels(state)) if self.labels else state


_machines: dict[type[models.Model], Machine] = {}


def register(model: type[models.Model], table: dict, *, field: str = "status", rules: dict | None = None,
             labels: Callable[[str], str] | None = None) -> Machine:
    """Called from the app's AppConfig.ready(): `table` maps each state to the states it may move to."""
    machine = Machine(model=model, table={str(k): frozenset(str(v) for v in targets) for k, targets in table.items()},
                      field=field, rules={(str(a), str(b)): r for (a, b), r in (rules or {}).items()}, labels=labels)
    _machines[model] = machine
    return machine


def machine_for(model) -> Machine:
    try:
        return _machines[model if isinstance(model, type) else type(model)]
    except KeyError as error:
        raise LookupError(f"no state machine registered for {model}") from error


def available(obj, by=None) -> list[str]:
    """The states this object may move to now, for this person."""
    machine = machine_for(obj)
    current = str(getattr(obj, machine.field))
    rules = machine.rules
    return sorted(to for to in machine.table.get(current, ()) if not (
        (rule := rules.get((current, to))) and rule.allowed and not rule.allowed(obj, by)))


@transaction.atomic
def transition(obj, to, *, by=None, note: str = "", **fields):
    """Move `obj` to `to`: the row locked, the table and the pair's rule checked, `fields` written with the state, one
    TransitionEvent row, and `transitioned` sent after commit. Returns the locked, updated object."""
    from .models import TransitionEvent

    machine = machine_for(obj)
    model = type(obj)
    locked = model.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    current, to = str(getattr(locked, machine.field)), str(to)
    if not machine.can_move(current, to):
        raise TransitionError(f"Non si può passare da «{machine.label(current)}» a «{machine.label(to)}».")
    rule = machine.rules.get((current, to))
    if rule and rule.note_required and not (note or "").strip():
        raise TransitionError("Scrivi il motivo: serve per questo passaggio.")
    if rule and rule.allowed and not rule.allowed(locked, by):
        raise TransitionError("Non hai il permesso per questo passaggio.")
    setattr(locked, machine.field, to)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[machine.field, *fields])
    event = TransitionEvent.objects.create(model=model._meta.label_lower, object_pk=str(locked.pk), from_state=current,
                                           to_state=to, by_id=getattr(by, "pk", None),
                                           by_name=(_name(by) if getattr(by, "pk", None) else "")[:150], note=(note or "")[:500])
    transaction.on_commit(lambda: transitioned.send(sender=model, pk=locked.pk, from_state=current, to_state=to, event=event))
    return locked


def _name(user) -> str:
    return (user.get_full_name() if hasattr(user, "get_full_name") else "") or str(user)


def history(obj) -> Iterable:
    """The object's changes of state, oldest first."""
    from .models import TransitionEvent

    return TransitionEvent.objects.filter(model=type(obj)._meta.label_lower, object_pk=str(obj.pk)).order_by("at", "pk")

"""The one way a record changes state: a small state machine per model, built from the app's own table in its
`states.py`, and one `transition()` that locks the row, checks the table and the pair's rule, writes the fields and
one event row the office can read, and announces the change after commit.

    # appointments/states.py keeps the table as data, in the one shape every app uses:
    TRANSITIONS = {S.PENDING: {S.CONFIRMED, S.CANCELLED_CITIZEN}, S.CONFIRMED: {S.ATTENDED, ...}, ...}
    RULES = {(S.CONFIRMED, S.CANCELLED_OFFICE): Rule(note_required=True)}
    # appointments/apps.py, in ready():
    workflow.register(Appointment, TRANSITIONS, rules=RULES, labels=lambda state: Status(state).label)
    # anywhere in the app's actions:
    workflow.transition(appointment, S.CANCELLED_OFFICE, by=operator, note="Ufficio chiuso", cancelled_at=now)

Batches (the outbox's dispatches) move with `transition_many` on rows the caller holds, or `update` on a queryset:
the same table, one UPDATE and one INSERT of events per batch.

The event row is the kernel's `TransitionEvent`, unless the app registers a `record` function that writes its own
history row instead (an application's timeline, a position's payment events, the URP thread): one row per change,
either way, in the same transaction.

Listeners (protocol registration, reminders, staff alerts) connect to `transitioned`, which is sent after the
transaction commits, once per change, with the model, the object's pk, the states, who and the event. The kernel knows
no domain: models register themselves from their AppConfig.ready()."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import models, transaction
from django.dispatch import Signal

# sender=model class; kwargs: pk, from_state, to_state, by (user or None), actor, event (the row written, or None)
transitioned = Signal()


class TransitionError(ValueError):
    """A change the table refuses; the message is for a person, in Italian."""


@dataclass(frozen=True)
class Rule:
    """What a pair of states asks for besides being in the table."""

    note_required: bool = False
    actors: frozenset | None = None  # the kinds of actor who may make this change (citizen, office, system)
    allowed: Callable | None = None  # (obj, by) -> bool: which person may make this change


@dataclass
class Machine:
    model: type[models.Model]
    table: dict[str, frozenset[str]]
    field: str = "status"
    rules: dict[tuple[str, str], Rule] = dataclass_field(default_factory=dict)
    labels: Callable[[str], str] | None = None  # state -> what a person reads
    record: Callable | None = None  # (obj, from_state, to_state, by, actor, note, details) -> the app's history row
    touch: tuple[str, ...] = ()  # auto_now fields saved with every change

    def can_move(self, current: str, to: str) -> bool:
        return to in self.table.get(current, frozenset())

    def label(self, state: str) -> str:
        return str(self.labels(state)) if self.labels else state

    def states(self) -> list[str]:
        return sorted(set(self.table) | {to for targets in self.table.values() for to in targets})


_machines: dict[type[models.Model], Machine] = {}


def register(model: type[models.Model], table: dict, *, field: str = "status", rules: dict | None = None,
             labels: Callable[[str], str] | None = None, record: Callable | None = None) -> Machine:
    """Called from the app's AppConfig.ready(): `table` maps each state to the states it may move to."""
    touch = tuple(f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False))
    machine = Machine(model=model, table={str(k): frozenset(str(v) for v in targets) for k, targets in table.items()},
                      field=field, rules={(str(a), str(b)): r for (a, b), r in (rules or {}).items()}, labels=labels,
                      record=record, touch=touch)
    _machines[model] = machine
    return machine


def machines() -> list[Machine]:
    return list(_machines.values())


def machine_for(model) -> Machine:
    try:
        return _machines[model if isinstance(model, type) else type(model)]
    except KeyError as error:
        raise LookupError(f"no state machine registered for {model}") from error


def state_of(obj) -> str:
    return str(getattr(obj, machine_for(obj).field))


def _refusal(machine: Machine, obj, current: str, to: str, *, by, actor, note: str | None) -> str:
    """Why this change may not be made now, or "". `note=None`: the note is not asked yet (what the page offers)."""
    if not machine.can_move(current, to):
        return f"Non si può passare da «{machine.label(current)}» a «{machine.label(to)}»."
    rule = machine.rules.get((current, to))
    if rule is None:
        return ""
    if rule.actors is not None and actor is not None and str(actor) not in rule.actors:
        return "Questa operazione non è consentita a chi la sta facendo."
    if rule.note_required and note is not None and not note.strip():
        return "Scrivi il motivo: serve per questo passaggio."
    if rule.allowed and not rule.allowed(obj, by):
        return "Non hai il permesso per questo passaggio."
    return ""


def check(obj, to, *, by=None, actor=None, note: str = "") -> None:
    """Raise TransitionError if `obj` may not move to `to` now (the same test `transition` makes)."""
    machine = machine_for(obj)
    refusal = _refusal(machine, obj, state_of(obj), str(to), by=by, actor=actor, note=note)
    if refusal:
        raise TransitionError(refusal)


def available(obj, by=None, actor=None) -> list[str]:
    """The states this object may move to now, for this person (a note the move needs is asked for on the page)."""
    machine = machine_for(obj)
    current = state_of(obj)
    return sorted(to for to in machine.table.get(current, ())
                  if not _refusal(machine, obj, current, to, by=by, actor=actor, note=None))


def needs_note(obj, to) -> bool:
    rule = machine_for(obj).rules.get((state_of(obj), str(to)))
    return bool(rule and rule.note_required)


@transaction.atomic
def transition(obj, to, *, by=None, actor=None, note: str = "", locked: bool = False, details: dict | None = None,
               **fields):
    """Move `obj` to `to`: the row locked (unless the caller says it holds the lock and passes that row), the table
    and the pair's rule checked, `fields` written with the state, one event row, and `transitioned` sent after
    commit. Returns the updated row."""
    machine = machine_for(obj)
    model = type(obj)
    row = obj if locked else model.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    current, to = state_of(row), str(to)
    refusal = _refusal(machine, row, current, to, by=by, actor=actor, note=note)
    if refusal:
        raise TransitionError(refusal)
    setattr(row, machine.field, to)
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=list(dict.fromkeys([machine.field, *fields, *machine.touch])))
    event = _record(machine, [(row, current)], to, by=by, actor=actor, note=note, details=details)[0]
    row.transition_event = event  # the history row just written, for the caller's messages
    _announce(model, [(row.pk, current, to, event)], by=by, actor=actor)
    return row


def save_many(model, rows: list, fields: list[str]) -> None:
    """Write `fields` of `rows` as they are in memory (as Django's `bulk_update`, which it calls only for what differs).
    A field with the same value in every row is set once, in one UPDATE of all the rows; only the fields whose values
    differ go through `bulk_update`, which builds a CASE with a branch per row for each field it is given: for a batch
    of 25 dispatches moved with six fields, that was two thirds of the batch's time (bench/README.md, Messages)."""
    same, varying = {}, []
    for name in fields:
        attname = model._meta.get_field(name).attname
        first = getattr(rows[0], attname)
        if all(getattr(row, attname) == first for row in rows[1:]):
            same[attname] = first
        else:
            varying.append(name)
    if same:
        pks = [row.pk for row in rows]
        for start in range(0, len(pks), 1000):  # within every database's limit of parameters
            model.objects.filter(pk__in=pks[start:start + 1000]).update(**same)
    if varying:
        model.objects.bulk_update(rows, varying)


@transaction.atomic
def transition_many(rows: list, to_of, *, by=None, actor=None, note: str = "", fields: Iterable[str] = (),
                    details: dict | None = None) -> list:
    """Move a batch of rows the caller has locked: `to_of` is the target state, or a function row -> target (None
    leaves the row where it is). The table is checked for each; the rows are saved in one UPDATE with `fields`, and
    their events written in one INSERT. Returns the rows that moved."""
    if not rows:
        return []
    machine = machine_for(rows[0])
    model = type(rows[0])
    moves = []
    for row in rows:
        to = to_of(row) if callable(to_of) else to_of
        if to is None:
            continue
        current, to = state_of(row), str(to)
        refusal = _refusal(machine, row, current, to, by=by, actor=actor, note=note)
        if refusal:
            raise TransitionError(refusal)
        setattr(row, machine.field, to)
        moves.append((row, current))
    moved = [row for row, _current in moves]
    if moved:
        save_many(model, moved, list(dict.fromkeys([machine.field, *fields, *machine.touch])))
        by_target: dict[str, list] = {}
        for row, current in moves:
            by_target.setdefault(state_of(row), []).append((row, current))
        for target, group in by_target.items():
            events = _record(machine, group, target, by=by, actor=actor, note=note, details=details)
            _announce(model, [(row.pk, current, target, event) for (row, current), event in zip(group, events, strict=True)],
                      by=by, actor=actor)
    return moved


@transaction.atomic
def update(queryset, to, *, by=None, actor=None, note: str = "", skip_locked: bool = False, **fields) -> int:
    """The rows of `queryset` that may move to `to`, locked and moved with `fields` (values or expressions); rows the
    table does not let move are left alone (a compare-and-set: another worker got there first). Returns how many."""
    machine = machine_for(queryset.model)
    sources = [state for state, targets in machine.table.items() if str(to) in targets]
    rows = list(queryset.select_for_update(skip_locked=skip_locked, of=("self",))
                .filter(**{f"{machine.field}__in": sources}).order_by("pk"))
    rows = [row for row in rows if not _refusal(machine, row, state_of(row), str(to), by=by, actor=actor, note=note)]
    if not rows:
        return 0
    expressions = {name: value for name, value in fields.items() if hasattr(value, "resolve_expression")}
    for row in rows:
        for name, value in fields.items():
            setattr(row, name, value)
    moved = transition_many(rows, to, by=by, actor=actor, note=note, fields=fields)
    if expressions:  # F() and the like were written by the UPDATE: read back what they became
        values = queryset.model.objects.filter(pk__in=[r.pk for r in moved]).in_bulk(field_name="pk")
        for row in moved:
            for name in expressions:
                setattr(row, name, getattr(values[row.pk], name))
    return len(moved)


def _record(machine: Machine, group: list, to: str, *, by, actor, note: str, details) -> list:
    from .models import TransitionEvent

    if machine.record is not None:
        return [machine.record(row, current, to, by=by, actor=actor, note=note, details=details or {}) for row, current in group]
    label = machine.model._meta.label_lower
    by_id = getattr(by, "pk", None)
    by_name = (_name(by) if by_id else "")[:150]
    return TransitionEvent.objects.bulk_create([
        TransitionEvent(model=label, object_pk=str(row.pk), from_state=current, to_state=to, by_id=by_id, by_name=by_name,
                        note=(note or "")[:500]) for row, current in group])


def _announce(model, changes: list, *, by, actor) -> None:
    def send():
        for pk, current, to, event in changes:
            transitioned.send(sender=model, pk=pk, from_state=current, to_state=to, by=by, actor=actor, event=event)

    transaction.on_commit(send)


def _name(user) -> str:
    return (user.get_full_name() if hasattr(user, "get_full_name") else "") or str(user)


def history(obj) -> Iterable:
    """The object's changes of state in the kernel's own rows, oldest first (apps with their own history read that)."""
    from .models import TransitionEvent

    return TransitionEvent.objects.filter(model=type(obj)._meta.label_lower, object_pk=str(obj.pk)).order_by("at", "pk")


def _rows(machine: Machine, events) -> list[dict]:
    return [{"at": e.at, "from": machine.label(e.from_state), "to": machine.label(e.to_state), "by": e.by_name, "note": e.note}
            for e in events]


def history_rows(obj) -> list[dict]:
    """The object's changes of state as its record page shows them: when, from and to (as a person reads them), who,
    why."""
    return _rows(machine_for(obj), history(obj))


def histories(model, pks) -> dict:
    """The changes of state of many objects of one model, in one query: {pk: [rows]} (a list page's records)."""
    from .models import TransitionEvent

    machine = machine_for(model)
    found: dict = {}
    events = TransitionEvent.objects.filter(model=model._meta.label_lower, object_pk__in=[str(pk) for pk in pks]).order_by("at", "pk")
    for event in events:
        found.setdefault(event.object_pk, []).append(event)
    return {pk: _rows(machine, found.get(str(pk), [])) for pk in pks}

"""Writes of the schools' portal: the Master's activation (one per school, the previous one disabled), the users the
Master adds by codice fiscale, their functions, suspension, removal and renewal. Each change is one transaction with
its row in the log; the message to a replaced Master goes through the outbox, in the same transaction."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from services.core import fiscal_code as cf
from services.core import observability, workflow
from services.core.clock import SchoolYear
from services.notifications import actions as notifications

from .models import School, SchoolFunction, SchoolRole, SchoolRoleEvent, functions_for
from .states import OPEN

MASTER_REPLACED = "schools.master_replaced"


class RoleError(ValueError):
    """The message is for the Master, in Italian."""


def _log(role, action, by=None, note=""):
    observability.security("role.changed", kind="school", action=action, role_id=role.pk, school_id=role.school_id,
                           by_id=getattr(by, "pk", None))
    return SchoolRoleEvent.objects.create(role=role, action=action, by=by, note=note[:300])


def record_event(role, from_state: str, to_state: str, *, by, actor, note: str, details: dict) -> SchoolRoleEvent:
    """The kernel's event row for a role: the school's log, which the Master and the Comune read."""
    return _log(role, details["action"], by, note)


def _move(role, to, *, action: str, by, note: str = "") -> SchoolRole:
    return workflow.transition(role, to, by=by, note=note, locked=True, details={"action": action})


@transaction.atomic
def master_activate(*, school: School, fiscal_code: str, user=None, by=None, note: str = "") -> tuple[SchoolRole, SchoolRole | None]:
    """Make this person the school's Master; the active Master, if any, is disabled (kept in the log) and told.
    The school's row is locked, and the database allows one active Master per school, so two approvals at once
    cannot make two."""
    School.objects.select_for_update().get(pk=school.pk)
    code = cf.normalize(fiscal_code)
    previous = SchoolRole.objects.filter(school=school, kind=SchoolRole.Kind.MASTER, state=SchoolRole.State.ACTIVE).first()
    if previous is not None and previous.fiscal_code == code:
        return previous, None
    if previous is not None:
        previous = _move(previous, SchoolRole.State.REPLACED, action="replaced", by=by, note=note)
        if previous.user_id:
            notifications.message_send(kind=MASTER_REPLACED, event=f"school-master-replaced:{previous.pk}", user=previous.user,
                                       context={"school": school.name})
    # The new Master's generic role at the same school, if any, ends: one open role per person and school.
    for role in SchoolRole.objects.select_for_update().filter(school=school, fiscal_code=code, state__in=OPEN):
        _move(role, SchoolRole.State.REMOVED, action="remove", by=by, note=_("Diventa Utente Master"))
    role = SchoolRole.objects.create(school=school, fiscal_code=code, user=user, kind=SchoolRole.Kind.MASTER)
    _log(role, "master_activated", by, note)
    return role, previous


def _valid_functions(functions, school) -> list[str]:
    chosen = sorted(set(functions))
    allowed = {value for value, _label in functions_for(school)}
    if not chosen or any(f not in allowed for f in chosen):
        raise RoleError(_("Scegli almeno una funzione tra quelle dell'elenco."))
    return chosen


@transaction.atomic
def role_add(*, master: SchoolRole, fiscal_code: str, functions, by) -> SchoolRole:
    """A generic user of the Master's school, until the end of the school year; bound at their first login."""
    code = cf.normalize(fiscal_code)
    if not cf.is_valid(code):
        raise RoleError(_("Il codice fiscale non è valido: controlla di averlo scritto bene."))
    chosen = _valid_functions(functions, master.school)
    if SchoolRole.objects.filter(school_id=master.school_id, fiscal_code=code, state__in=OPEN).exists():
        raise RoleError(_("Questa persona è già tra gli utenti della scuola."))
    from services.accounts.selectors import attested_user

    user = attested_user(code)
    try:
        with transaction.atomic():
            role = SchoolRole.objects.create(school_id=master.school_id, fiscal_code=code, user=user, kind=SchoolRole.Kind.GENERIC,
                                             functions=chosen, valid_until=SchoolYear.current().end)
    except IntegrityError as error:  # the same person added twice at once
        raise RoleError(_("Questa persona è già tra gli utenti della scuola.")) from error
    _log(role, "added", by, ", ".join(str(SchoolFunction(f).label) for f in chosen))
    return role


def _generic_of(master: SchoolRole, role_id: int, *, removed_too: bool = False) -> SchoolRole:
    states = (*OPEN, SchoolRole.State.REMOVED) if removed_too else OPEN
    role = SchoolRole.objects.select_for_update().filter(pk=role_id, school_id=master.school_id, state__in=states).first()
    if role is None:
        raise RoleError(_("Utente non trovato tra quelli della scuola."))
    if role.kind == SchoolRole.Kind.MASTER:
        raise RoleError(_("L'Utente Master non si modifica da qui: un nuovo Master si attiva con una richiesta di attivazione."))
    return role


@transaction.atomic
def role_functions_set(*, master: SchoolRole, role_id: int, functions, by) -> SchoolRole:
    role = _generic_of(master, role_id)
    role.functions = _valid_functions(functions, master.school)
    role.save(update_fields=["functions", "updated_at"])
    _log(role, "functions", by, ", ".join(str(SchoolFunction(f).label) for f in role.functions))
    return role


# What the Master may do to a generic user: the state it moves to.
ROLE_MOVES = {"suspend": SchoolRole.State.SUSPENDED, "reactivate": SchoolRole.State.ACTIVE, "remove": SchoolRole.State.REMOVED}


@transaction.atomic
def role_state_set(*, master: SchoolRole, role_id: int, action: str, by) -> SchoolRole:
    """Suspend, reactivate (also a removed user) or remove a generic user, through the state table."""
    if action not in ROLE_MOVES:
        raise RoleError(_("Operazione non consentita."))
    role = _generic_of(master, role_id, removed_too=action == "reactivate")
    if action == "reactivate" and role.state == SchoolRole.State.REMOVED and SchoolRole.objects.filter(
            school_id=master.school_id, fiscal_code=role.fiscal_code, state__in=OPEN).exclude(pk=role.pk).exists():
        raise RoleError(_("Questa persona è già tra gli utenti della scuola."))
    try:
        return _move(role, ROLE_MOVES[action], action=action, by=by)
    except workflow.TransitionError as error:
        raise RoleError(str(error)) from error


@transaction.atomic
def role_renew(*, master: SchoolRole, role_id: int, by) -> SchoolRole:
    """Keep a generic user until the end of the next school year (not a change of state)."""
    role = _generic_of(master, role_id)
    role.valid_until = SchoolYear.next().end
    role.save(update_fields=["valid_until", "updated_at"])
    _log(role, "renew", by)
    return role


def roles_bind(*, user) -> int:
    """At a login into an account whose codice fiscale SPID/CIE/CNS attested: the roles waiting for this person become
    theirs. A codice fiscale only typed at the local sign-up binds nothing."""
    code = getattr(user, "fiscal_code", "") or ""
    if not code or not getattr(user, "fiscal_code_attested", False):
        return 0
    roles = list(SchoolRole.objects.filter(fiscal_code=code, user__isnull=True, state__in=OPEN))
    for role in roles:
        SchoolRole.objects.filter(pk=role.pk, user__isnull=True).update(user=user)
        _log(role, "bound", user)
    return len(roles)

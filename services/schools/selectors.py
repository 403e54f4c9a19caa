"""Reads of the schools' portal: which schools a person works for and with which functions. Every school-facing
view asks `role_for` and answers 404 when it gives None, so a school never sees another school's data."""

from django.db.models import Q
from django.utils import timezone

from .models import SchoolRole


def active_roles(user, today=None):
    """The person's usable roles: active, bound to them, not expired (a Master's does not expire)."""
    if not getattr(user, "is_authenticated", False):
        return SchoolRole.objects.none()
    today = today or timezone.localdate()
    return (SchoolRole.objects.filter(user=user, state=SchoolRole.State.ACTIVE)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today)).select_related("school"))


def role_for(user, school_code: str, function: str = "", today=None) -> SchoolRole | None:
    """The person's role at this school, if it is usable and (when asked) gives this function."""
    role = active_roles(user, today).filter(school__code=school_code).first()
    if role is None or (function and not role.has_function(function)):
        return None
    return role


def master_for(user, school_code: str) -> SchoolRole | None:
    role = role_for(user, school_code)
    return role if role and role.kind == SchoolRole.Kind.MASTER else None


def school_users(master: SchoolRole):
    """The school's users as the Master manages them: open roles first, then the ended ones."""
    return SchoolRole.objects.filter(school_id=master.school_id).select_related("user").order_by("state", "kind", "fiscal_code")


def school_log(master: SchoolRole, limit: int = 50):
    from .models import SchoolRoleEvent

    return SchoolRoleEvent.objects.filter(role__school_id=master.school_id).select_related("role", "by")[:limit]


def desk_card(user) -> dict | None:
    """The personal area's card for people who work for a school, or None for everybody else."""
    roles = list(active_roles(user))
    return {"roles": roles} if roles else None


def municipio_of(school_code: str):
    """The Municipio competent for a school (its ambito's office), or None for a code not in the registry."""
    from .models import School

    school = School.objects.filter(code=school_code).select_related("ambito__office").first()
    return school.ambito.office if school else None

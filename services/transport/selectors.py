"""Reads of school transport for the meal account page, the family check and broadcasts."""

from django.contrib.auth import get_user_model

from services.core.clock import SchoolYear

from .models import TransportEnrollment


def transport_families(filters: dict, today):
    """Holders of an active enrollment for the current or the next school year (at the school, on the route)."""
    current = SchoolYear.current(today)
    enrollments = TransportEnrollment.objects.filter(active=True, school_year__in=[current.label, SchoolYear.next(today).label])
    if filters.get("school"):
        enrollments = enrollments.filter(school=filters["school"])
    if filters.get("route"):
        enrollments = enrollments.filter(stop__route=filters["route"])
    return get_user_model().objects.filter(transport_enrollments__in=enrollments)


def held_by_another(fiscal_code: str, user) -> bool:
    return TransportEnrollment.objects.filter(fiscal_code=fiscal_code).exclude(holder=user).exists()


def family_enrollments(user):
    return TransportEnrollment.objects.filter(holder=user, active=True).select_related("stop__route", "school")

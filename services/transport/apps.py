from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "services.transport"
    label = "transport"
    verbose_name = "Trasporto scolastico"

    def ready(self):
        from django.conf import settings

        from services.notifications import audiences
        from services.payments import purposes

        from . import procedure  # noqa: F401  (registers TRASPORTO)

        # Paid fees need nothing more: the position's receipt is the record. The family's debt counts unpaid ones.
        audiences.register("transport", label="Trasporto scolastico", holders=transport_families, by_route=True)
        purposes.register("transport-fee", label="Quota del trasporto scolastico", taxonomy=settings.TRANSPORT_FEE_TAXONOMY)


def transport_families(school, route, today):
    """Holders of an active enrollment for the current or the next school year (at the school, on the route)."""
    from django.contrib.auth import get_user_model

    from services.meals.enrollment import SchoolYear

    from .models import TransportEnrollment

    current = SchoolYear.starting(today.year if today.month >= 9 else today.year - 1)
    enrollments = TransportEnrollment.objects.filter(active=True, school_year__in=[current.label, SchoolYear.next(today).label])
    if school:
        enrollments = enrollments.filter(school=school)
    if route:
        enrollments = enrollments.filter(stop__route=route)
    return get_user_model().objects.filter(transport_enrollments__in=enrollments)

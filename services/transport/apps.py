from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "services.transport"
    label = "transport"
    verbose_name = "Trasporto scolastico"

    def ready(self):
        from services.core import demo

        from . import demo as transport_demo

        demo.register("transport.registries", transport_demo.load, order=30)
        from django.conf import settings
        from django.utils.translation import gettext_lazy as _

        from services.meals import enrollment
        from services.notifications import audiences
        from services.payments import purposes

        from . import (
            procedure,  # noqa: F401  (registers TRASPORTO)
            selectors,
        )
        from .models import Route

        # Paid fees need nothing more: the position's receipt is the record. The family's debt counts unpaid ones.
        audiences.register("transport", label=_("Trasporto scolastico"), holders=selectors.transport_families, filters=("school", "route"))
        audiences.register_filter("route", label=_("Solo il percorso dello scuolabus"), empty_label=_("Tutti i percorsi"),
                                  queryset=lambda: Route.objects.filter(active=True),
                                  not_applicable=_("Il percorso vale solo per le famiglie del trasporto scolastico."))
        purposes.register("transport-fee", label="Quota del trasporto scolastico", taxonomy=settings.TRANSPORT_FEE_TAXONOMY)
        from services.schools import sections
        from services.schools.models import SchoolFunction

        sections.register(SchoolFunction.TRANSPORT, label=_("Alunni sullo scuolabus"), url_name="transport_school:enrollments")
        enrollment.register_family_service("transport", held_by_another=selectors.held_by_another, enrollments=selectors.family_enrollments)

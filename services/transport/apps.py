from django.apps import AppConfig


class TransportConfig(AppConfig):
    name = "services.transport"
    label = "transport"
    verbose_name = "Trasporto scolastico"

    def ready(self):
        from django.conf import settings

        from services.payments import purposes

        from . import procedure  # noqa: F401  (registers TRASPORTO)

        # Paid fees need nothing more: the position's receipt is the record. The family's debt counts unpaid ones.
        purposes.register("transport-fee", label="Quota del trasporto scolastico", taxonomy=settings.TRANSPORT_FEE_TAXONOMY)

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "services.payments"
    label = "payments"
    verbose_name = "Pagamenti pagoPA"

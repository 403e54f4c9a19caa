from django.apps import AppConfig


class IstanzeConfig(AppConfig):
    name = "services.istanze"
    label = "istanze"
    verbose_name = "Istanze"

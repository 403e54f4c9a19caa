from django.apps import AppConfig


class OepacConfig(AppConfig):
    name = "services.oepac"
    label = "oepac"
    verbose_name = "OEPAC"

    def ready(self):
        from . import procedure  # noqa: F401  (registers OEPAC)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "services.core"
    label = "core"
    verbose_name = "Nucleo"

    def ready(self):
        from .exports import patch_wagtail_exports

        patch_wagtail_exports()  # Wagtail's CSV exports go through the core's formula-safe cells too

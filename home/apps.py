from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Sito pubblico"

    def ready(self):
        from . import signals  # noqa: F401

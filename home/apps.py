from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Sito pubblico"

    def ready(self):
        from services.core import demo

        from .demo import site

        demo.register("home.site", site.load, order=50)
        from services.catalogue import faq
        from services.core import ente

        from . import catalogue, signals  # noqa: F401
        from .models import EnteSettings

        ente.register_editorial_source(lambda: EnteSettings.editorial_cached())
        faq.register_provider(catalogue.CmsFaqProvider())
        catalogue.connect()

from django.apps import AppConfig


class OepacConfig(AppConfig):
    name = "services.oepac"
    label = "oepac"
    verbose_name = "OEPAC"

    def ready(self):
        from services.core import demo

        from . import demo as oepac_demo

        demo.register("oepac.registries", oepac_demo.load, order=20)  # ambiti, schools, organisations
        from django.utils.translation import gettext_lazy as _

        from services.schools import sections
        from services.schools.models import SchoolFunction

        from . import procedure  # noqa: F401  (registers OEPAC)

        sections.register(SchoolFunction.OEPAC, label=_("Iscrizioni OEPAC dei tuoi alunni"), url_name="oepac:school_enrollments")

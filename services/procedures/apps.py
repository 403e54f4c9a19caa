from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "services.procedures"
    label = "procedures"
    verbose_name = "Procedure"

    def ready(self):
        from . import ril03, serv06  # noqa: F401  (registers RIL03 and SERV06_UTENTI)

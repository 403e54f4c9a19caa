from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "services.procedures"
    label = "procedures"
    verbose_name = "Procedure"

    def ready(self):
        from . import serv06  # noqa: F401  (registers SERV06_UTENTI)

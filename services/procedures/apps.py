from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "services.procedures"
    label = "procedures"
    verbose_name = "Procedure"

    def ready(self):
        from . import ril03, school_activation, serv06  # noqa: F401  (registers RIL03, SCUOLA_ATTIVAZIONE, SERV06_UTENTI)

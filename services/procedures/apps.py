from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "services.procedures"
    label = "procedures"
    verbose_name = "Procedure"

    def ready(self):
        from services.core import demo

        from . import demo as procedures_demo

        demo.register("procedures.survey", procedures_demo.load, order=30)
        demo.register("procedures.protocol", procedures_demo.load_protocol_profiles, order=35)
        demo.register("procedures.school_activation", procedures_demo.load_activation_request, order=130, users=True)
        from . import ril03, school_activation, serv06  # noqa: F401  (registers RIL03, SCUOLA_ATTIVAZIONE, SERV06_UTENTI)

from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "services.procedures"
    label = "procedures"
    verbose_name = "Procedure"

    def ready(self):
        from services.accounts import area
        from services.core import demo, option_lists

        from . import comuni, views
        from . import demo as procedures_demo

        option_lists.register("province", comuni.provinces)
        option_lists.register("comuni", comuni.all_comuni)

        demo.register("procedures.survey", procedures_demo.load, order=30)
        demo.register("procedures.protocol", procedures_demo.load_protocol_profiles, order=35)
        demo.register("procedures.survey_sheets", procedures_demo.load_survey_sheets, order=135, users=True)
        area.register_desk_card("rilevazione-0-3", template="procedures/_desk_card.html", context=views.survey_card, order=15)
        demo.register("procedures.school_activation", procedures_demo.load_activation_request, order=130, users=True)
        from . import ril03, school_activation, serv06  # noqa: F401  (registers RIL03, RIL03_INTERVENTI, SCUOLA_ATTIVAZIONE, SERV06_UTENTI)

from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "services.assistance"
    label = "assistance"
    verbose_name = "Richieste di assistenza"

    def ready(self):
        from services.core import demo

        from . import demo as assistance_demo

        demo.register("assistance.canned", assistance_demo.load_canned, order=60)
        demo.register("assistance.protocol", assistance_demo.load_protocol_profile, order=36)
        demo.register("assistance.requests", assistance_demo.load_requests, order=140, users=True)
        from django.utils.translation import gettext_lazy as _

        from services.accounts import area, verification
        from services.core import workflow
        from services.notifications import kinds

        from . import actions, selectors
        from .models import AssistanceRequest
        from .states import TRANSITIONS, Status

        workflow.register(AssistanceRequest, TRANSITIONS, labels=lambda state: Status(state).label)
        from . import alerts

        workflow.transitioned.connect(alerts.on_transition, sender=AssistanceRequest, dispatch_uid="assistance-staff-alerts")

        from . import protocol

        protocol.register()
        verification.register_purpose(actions.PURPOSE, actions.on_address_confirmed)
        kinds.register("assistance.received", label=_("Richiesta di assistenza ricevuta"), mandatory=True)
        kinds.register("assistance.reply", label=_("Risposta a una richiesta di assistenza"), mandatory=True)
        kinds.register("assistance.resolved", label=_("Richiesta di assistenza risolta"), mandatory=True)
        area.register_tab("assistenza", label=_("Assistenza"), url_name="assistance:mine_list", order=70)
        area.register_desk_card("assistenza", template="assistance/_desk_card.html", context=selectors.desk_card, order=60)

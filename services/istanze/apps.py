from django.apps import AppConfig


class IstanzeConfig(AppConfig):
    name = "services.istanze"
    label = "istanze"
    verbose_name = "Pratiche"

    def ready(self):
        from . import invariants

        invariants.register()
        from django.utils.translation import gettext_lazy as _

        from services.accounts import area
        from services.core import workflow

        from . import actions, messages, selectors
        from .models import Istanza
        from .states import RULES, TRANSITIONS, Status

        workflow.register(Istanza, TRANSITIONS, rules=RULES, labels=lambda state: Status(state).label, record=actions.record_event)
        from . import alerts

        workflow.transitioned.connect(alerts.on_transition, sender=Istanza, dispatch_uid="istanze-staff-alerts")
        from . import metrics

        workflow.transitioned.connect(metrics.on_transition, sender=Istanza, dispatch_uid="istanze-submitted-metric")
        messages.register_kinds()
        from . import fees

        fees.register()
        from . import protocol

        protocol.register()
        from services.protocol.models import Registration

        workflow.transitioned.connect(protocol.on_registration, sender=Registration, dispatch_uid="istanze-protocol-number")
        area.register_tab("pratiche", label=_("Pratiche"), url_name="istanze:list", order=10)
        area.register_desk_card("pratiche", template="istanze/_desk_card.html", alert_template="istanze/_desk_alert.html",
                                context=selectors.desk_of, order=10)
        area.register_documents(selectors.documents_of)

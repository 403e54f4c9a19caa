from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolConfig(AppConfig):
    name = "services.protocol"
    label = "protocol"
    verbose_name = _("Protocollo informatico")

    def ready(self):
        from services.core import demo, health, invariants, ops, workflow

        from . import actions, port
        from . import demo as protocol_demo
        from . import health as protocol_health
        from . import invariants as protocol_invariants
        from .adapters.docarea import DocAreaAdapter
        from .adapters.manual import ManualAdapter
        from .adapters.sicraweb import SicrawebAdapter
        from .models import Registration
        from .states import TRANSITIONS, Status

        demo.register("protocol.profile", protocol_demo.load_profile, order=34)
        demo.register("protocol.registrations", protocol_demo.load_registrations, order=190, users=True)
        workflow.register(Registration, TRANSITIONS, labels=lambda state: Status(state).label)
        workflow.transitioned.connect(actions.on_transition, dispatch_uid="protocol-registrations")
        for adapter in (ManualAdapter(), DocAreaAdapter(), SicrawebAdapter()):
            port.register_adapter(adapter)
        health.register("protocol", protocol_health.registrations)
        ops.register_collector(protocol_health.registrations_by_state)
        invariants.register("protocol_registered_numbers", "ogni protocollazione riuscita ha numero e data, e nessun "
                            "numero è dato due volte nello stesso registro", protocol_invariants.numbers)

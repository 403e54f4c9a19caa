from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "services.notifications"
    label = "notifications"
    verbose_name = "Notifiche"

    def ready(self):
        from . import invariants

        invariants.register()
        from services.core import health as core_health
        from services.core import ops

        from . import health

        core_health.register("outbox", health.oldest_undelivered)
        core_health.register("app_io", health.app_io)
        ops.register_collector(health.outbox_depth)
        from django.utils.translation import gettext_lazy as _

        from services.accounts import area
        from services.core import sending, workflow

        from . import channels, kinds, selectors
        from .models import Broadcast, Dispatch
        from .senders import NotificationsSender
        from .states import BROADCAST_TRANSITIONS, TRANSITIONS

        workflow.register(Dispatch, TRANSITIONS, labels=lambda state: Dispatch.Status(state).label)
        workflow.register(Broadcast, BROADCAST_TRANSITIONS, labels=lambda state: Broadcast.Status(state).label)

        channels.register_builtin()
        sending.register_sender(NotificationsSender())
        area.register_messages(selectors.messages_of)
        kinds.register("notifications.broadcast", label=_("Comunicazione ai servizi scolastici"), io_service="default")
        # staff choose it with User.staff_digest, not per channel; not a citizen's message
        kinds.register("notifications.staff_digest", label=_("Riepilogo giornaliero per il personale"), mandatory=True, in_area=False)

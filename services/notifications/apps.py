from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "services.notifications"
    label = "notifications"
    verbose_name = "Notifiche"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from services.accounts import area
        from services.core import sending

        from . import kinds, selectors
        from .senders import NotificationsSender

        sending.register_sender(NotificationsSender())
        area.register_messages(selectors.messages_of)
        kinds.register("notifications.broadcast", label=_("Comunicazione ai servizi scolastici"), io_service="default")

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "services.notifications"
    label = "notifications"
    verbose_name = "Notifiche"

    def ready(self):
        from services.accounts import area
        from services.core import sending

        from . import selectors
        from .senders import NotificationsSender

        sending.register_sender(NotificationsSender())
        area.register_messages(selectors.messages_of)

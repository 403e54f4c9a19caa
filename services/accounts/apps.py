from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "services.accounts"
    label = "accounts"
    verbose_name = "Utenti e uffici"

    def ready(self):
        from . import signals  # noqa: F401
        from .spid import patches

        patches.apply()


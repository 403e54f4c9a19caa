from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "services.accounts"
    label = "accounts"
    verbose_name = "Utenti e uffici"

    def ready(self):
        from . import signals  # noqa: F401


from wagtail.users.apps import WagtailUsersAppConfig  # noqa: E402


class SportelloUsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users with our user forms (codice fiscale, offices)."""

    user_viewset = "services.accounts.viewsets.UserViewSet"

from wagtail.users.apps import WagtailUsersAppConfig


class SportelloUsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users with our user forms (codice fiscale, offices)."""

    user_viewset = "services.accounts.viewsets.UserViewSet"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "services.accounts"
    label = "accounts"
    verbose_name = "Utenti e uffici"

    def ready(self):
        from services.core import demo

        from . import demo as accounts_demo

        demo.register("accounts.offices", accounts_demo.load_offices, order=10)
        demo.register("accounts.users", accounts_demo.load_users, order=100, users=True)
        from django.utils.translation import gettext_lazy as _

        from . import area, signals  # noqa: F401
        from .spid import patches

        patches.apply()
        # The frame's own tabs; the domains add theirs (Pratiche 10, Pagamenti 20, Conto mensa 30, …).
        area.register_tab("dashboard", label=_("Scrivania"), url_name="accounts:dashboard", order=0)
        area.register_tab("messaggi", label=_("Messaggi"), url_name="accounts:messaggi", order=80)
        area.register_tab("documenti", label=_("Documenti"), url_name="accounts:documenti", order=85)
        area.register_tab("impostazioni", label=_("Impostazioni"), url_name="accounts:impostazioni", order=90)
        area.register_desk_card("dati", template="accounts/area/_card_profile.html", context=lambda user: {}, order=0)


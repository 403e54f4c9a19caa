from django.apps import AppConfig


class MealsConfig(AppConfig):
    name = "services.meals"
    label = "meals"
    verbose_name = "Refezione e conto mensa"

    def ready(self):
        from . import invariants

        invariants.register()
        from services.core import health as core_health

        from . import health

        core_health.register("daily_charges", health.daily_charges)
        from services.core import demo

        from . import demo as meals_demo

        demo.register("meals.registries", meals_demo.load, order=30)
        demo.register("meals.family", meals_demo.load_family, order=110, users=True)
        from django.conf import settings
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from services.accounts import area
        from services.catalogue import modules
        from services.notifications import audiences
        from services.payments import purposes

        from . import (
            procedure,  # noqa: F401  (registers MENSA)
            reminders,
            selectors,
        )
        from .actions import TOPUP, wallet_credit_topup

        audiences.register("meals", label=_("Refezione scolastica"), holders=selectors.meal_families, filters=("school",))
        purposes.register(
            TOPUP, label="Ricarica del conto mensa", taxonomy=settings.MEALS_TOPUP_TAXONOMY,
            on_settled=wallet_credit_topup, max_amount=settings.MEALS_TOPUP_MAX, min_amount=settings.MEALS_TOPUP_MIN,
        )
        area.register_tab("conto-mensa", label=_("Conto mensa"), url_name="meals:wallet", order=30)
        reminders.register_kind()
        area.register_documents(selectors.documents_of)
        # The online modules of the meal account; their windows are their service pages' (the catalogue's).
        from services.payments.suspension import suspension_message
        from services.schools import sections
        from services.schools.models import SchoolFunction

        sections.register(SchoolFunction.MEALS, label=_("Mensa: presenze e pasti di oggi"), url_name="meals_school:attendance")

        from . import panels

        spid = str(_("con SPID, CIE o credenziali del portale"))
        modules.register(modules.Module(key="meals-topup", label=str(_("Ricarica del conto mensa")), kind="payment",
                                        url=lambda: reverse("meals:topup"), audience=spid, panel=panels.topup_panel,
                                        notice=suspension_message))
        modules.register(modules.Module(key="meals-changes", label=str(_("Disdetta del pasto")), kind="account",
                                        url=lambda: reverse("meals:meals"), audience=spid, panel=panels.changes_panel))
        modules.register(modules.Module(key="meals-account", label=str(_("Saldo e movimenti del conto mensa")), kind="account",
                                        url=lambda: reverse("meals:wallet"), audience=spid, panel=panels.account_panel))

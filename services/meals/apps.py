from django.apps import AppConfig


class MealsConfig(AppConfig):
    name = "services.meals"
    label = "meals"
    verbose_name = "Refezione e conto mensa"

    def ready(self):
        from django.conf import settings

        from services.payments import purposes

        from . import procedure  # noqa: F401  (registers MENSA)
        from .actions import wallet_credit_topup

        purposes.register(
            "wallet-topup", label="Ricarica del conto mensa", taxonomy=settings.MEALS_TOPUP_TAXONOMY,
            on_settled=wallet_credit_topup, max_amount=settings.MEALS_TOPUP_MAX,
        )

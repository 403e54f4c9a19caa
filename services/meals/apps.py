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

        from services.notifications import audiences

        audiences.register("meals", label="Refezione scolastica", holders=meal_families)
        purposes.register(
            "wallet-topup", label="Ricarica del conto mensa", taxonomy=settings.MEALS_TOPUP_TAXONOMY,
            on_settled=wallet_credit_topup, max_amount=settings.MEALS_TOPUP_MAX,
        )


def meal_families(school, route, today):
    """Holders of a meal account with a child in service today or later (at the school, if given)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from .models import Child

    children = Child.objects.filter(Q(service_to__isnull=True) | Q(service_to__gte=today))
    if school:
        children = children.filter(school=school)
    return get_user_model().objects.filter(wallet__children__in=children)

from services.core.invariants import duplicates

from .models import Registration
from .states import Status


def numbers() -> list[str]:
    problems = []
    missing = Registration.objects.filter(status=Status.REGISTERED, registered_on__isnull=True).count()
    if missing:
        problems.append(f"{missing} protocollazioni riuscite senza data")
    twice = duplicates(Registration.objects.filter(status=Status.REGISTERED), "number", "register", "aoo")
    if twice:
        problems.append(f"{twice} numeri di protocollo dati a più documenti")
    return problems

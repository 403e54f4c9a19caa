"""The applications' invariants (core.invariants): none half-submitted — a draft, or numbered with its submission date
and its history — and the numbers gapless: each year's counter equals the numbers given, with none missing."""

from django.db.models import Q

from services.core import invariants
from services.core.models import Sequence

from .models import Istanza, IstanzaEvent
from .states import Status

UNSUBMITTED = [Status.BOZZA, Status.DA_INVIARE]


def none_half_submitted() -> list[str]:
    submitted = Istanza.objects.exclude(status__in=UNSUBMITTED)
    half = list(submitted.filter(Q(number__isnull=True) | Q(number="") | Q(submitted_at__isnull=True))
                .values_list("pk", flat=True)[:20])
    with_event = IstanzaEvent.objects.filter(to_status=Status.INVIATA).values("istanza")
    no_history = list(submitted.exclude(pk__in=with_event).values_list("pk", flat=True)[:20])
    numbered_drafts = list(Istanza.objects.filter(status__in=UNSUBMITTED, number__isnull=False).exclude(number="")
                           .values_list("pk", flat=True)[:20])
    return ([f"pratica {pk} inviata senza numero o data" for pk in half]
            + [f"pratica {pk} inviata senza l'evento d'invio" for pk in no_history]
            + [f"bozza {pk} con un numero" for pk in numbered_drafts])


def numbers_gapless() -> list[str]:
    problems = []
    for key, last in Sequence.objects.filter(key__startswith="istanza:").values_list("key", "last_value"):
        _, code, year = key.split(":")
        given = Istanza.objects.filter(number__startswith=f"{code}_{year}.")
        n = given.count()
        if n != last:
            problems.append(f"{key}: contatore a {last}, numeri dati {n}")
    duplicated = invariants.duplicates(Istanza.objects.exclude(number__isnull=True), "number")
    if duplicated:
        problems.append(f"{duplicated} numeri ripetuti")
    return problems


def register() -> None:
    invariants.register("istanze.none_half_submitted", "nessuna pratica inviata a metà", none_half_submitted)
    invariants.register("istanze.numbers_gapless", "numeri di pratica senza salti né ripetizioni", numbers_gapless)

from .models import Registration
from .states import WAITING


def registrations_of(obj) -> list[Registration]:
    return list(Registration.objects.filter(source_label=obj._meta.label_lower, source_pk=str(obj.pk)).order_by("created_at", "pk"))


def first_registration(obj, kind: str) -> Registration | None:
    """The registration of `obj`'s `kind` document (an application's own, for its stamp), or None."""
    return (Registration.objects.filter(source_label=obj._meta.label_lower, source_pk=str(obj.pk), kind=kind)
            .order_by("created_at", "pk").first())


def waiting(obj) -> bool:
    """A registration of `obj` still without its number (a citizen's withdrawal waits for it)."""
    return Registration.objects.filter(source_label=obj._meta.label_lower, source_pk=str(obj.pk), status__in=WAITING).exists()


def source_pks_for_number(model, number: str) -> list[str]:
    """The records of `model` whose documents carry protocol `number` (the office searches a case by it); the number
    matches without its leading zeros too (0001234 and 1234)."""
    number = (number or "").strip()
    if not number.isdigit():
        return []
    rows = Registration.objects.filter(source_label=model._meta.label_lower, number__regex=rf"^0*{int(number)}$")
    return list(rows.values_list("source_pk", flat=True).distinct())


def by_event(obj) -> dict[str, Registration]:
    """`obj`'s registrations by the event they were made for (the key's last part: the history row's id), so that a
    timeline shows each document's number beside its event."""
    return {registration.key.rsplit(":", 1)[-1]: registration for registration in registrations_of(obj)}

"""Reads of the applications engine for the personal area."""

from django.db.models import Q
from django.http import Http404

from . import registry
from .models import Istanza
from .states import IN_PROGRESS, Status


def istanze_of(owner):
    """The citizen's applications split as the personal area shows them."""
    rows = list(Istanza.objects.filter(owner=owner).select_related("office").order_by("-updated_at"))
    return {
        "in_lavorazione": [i for i in rows if i.status in IN_PROGRESS],
        "importanti": [i for i in rows if i.starred],
        "inviate": [i for i in rows if i.status not in IN_PROGRESS],
        "da_integrare": [i for i in rows if i.status == Status.IN_ATTESA_DI_INTEGRAZIONE],
    }


def istanza_of(owner, public_id) -> Istanza:
    """One of the citizen's applications; anyone else's is a 404, never a 403 that would confirm it exists."""
    try:
        return Istanza.objects.select_related("office").get(owner=owner, public_id=public_id)
    except (Istanza.DoesNotExist, ValueError) as error:
        raise Http404 from error


def search_istanze(owner, *, number="", status="", date_from=None, date_to=None):
    rows = Istanza.objects.filter(owner=owner)
    if number:
        rows = rows.filter(number__icontains=number.strip())
    if status in Status.values:
        rows = rows.filter(status=status)
    if date_from:
        rows = rows.filter(Q(submitted_at__date__gte=date_from) | Q(submitted_at__isnull=True, created_at__date__gte=date_from))
    if date_to:
        rows = rows.filter(Q(submitted_at__date__lte=date_to) | Q(submitted_at__isnull=True, created_at__date__lte=date_to))
    return rows.order_by("-updated_at")


def procedure_title(code: str) -> str:
    try:
        return registry.get(code).title
    except KeyError:
        return code

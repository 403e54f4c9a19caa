"""Reads of the applications engine for the personal area."""

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from services.accounts import area

from . import registry
from .models import Attachment, Istanza
from .states import DRAFT, IN_PROGRESS, OPEN_OFFICE, Status


def istanze_of(owner):
    """The citizen's applications split as the personal area shows them."""
    rows = list(Istanza.objects.filter(owner=owner).select_related("office").order_by("-updated_at"))
    return {
        "in_lavorazione": [i for i in rows if i.status in IN_PROGRESS],
        "importanti": [i for i in rows if i.starred],
        "inviate": [i for i in rows if i.status not in IN_PROGRESS],
        "da_integrare": [i for i in rows if i.status == Status.IN_ATTESA_DI_INTEGRAZIONE],
    }


def istanza_of(owner, public_id, defer=()) -> Istanza:
    """One of the citizen's applications; anyone else's is a 404, never a 403 that would confirm it exists."""
    try:
        return Istanza.objects.select_related("office").defer(*defer).get(owner=owner, public_id=public_id)
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


def procedure_or_none(code: str, version: int | None = None):
    try:
        return registry.get(code, version)
    except KeyError:
        return None


def catalogue_by_category() -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for procedure in registry.catalogue():
        groups.setdefault(procedure.category, []).append(procedure)
    return sorted(groups.items())


def attachment_for(user, public_id):
    """A file the user may read: the citizen's own application's, or one of their office's. Anything else: 404."""
    from .models import Attachment

    try:
        attachment = Attachment.objects.select_related("istanza").get(public_id=public_id)
    except (Attachment.DoesNotExist, ValueError) as error:
        raise Http404 from error
    istanza = attachment.istanza
    if istanza.owner_id == user.pk:
        return attachment
    if istanza.number and operator_may_open(user, istanza):
        return attachment
    raise Http404


# Back-office ---------------------------------------------------------------------------------


def operator_offices(user):
    return user.offices.all()


def istanze_for_operator(user):
    """Submitted applications of the operator's offices (all of them for superusers). Drafts are never shown."""
    rows = Istanza.objects.exclude(status__in=DRAFT).filter(number__isnull=False)
    if user.is_superuser:
        return rows
    if not user.is_staff:
        return rows.none()
    return rows.filter(office__in=user.offices.all())


def operator_may_open(user, istanza) -> bool:
    if not user.is_authenticated or not user.is_staff:
        return False
    return user.is_superuser or user.offices.filter(pk=istanza.office_id).exists()


def istanza_for_operator(user, pk) -> Istanza:
    try:
        return istanze_for_operator(user).select_related("owner", "office", "assigned_to").get(pk=pk)
    except (Istanza.DoesNotExist, ValueError) as error:
        raise Http404 from error




def office_dashboard(user) -> dict:
    from django.db.models import Count
    from django.utils import timezone

    rows = istanze_for_operator(user)
    counts = dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    overdue = rows.filter(status__in=OPEN_OFFICE, due_date__lt=timezone.localdate())
    return {
        "counts": [(Status(s).label, counts.get(s, 0), s) for s in Status.values if s not in (Status.BOZZA, Status.DA_INVIARE)],
        "overdue": overdue.select_related("office").order_by("due_date")[:10],
        "overdue_count": overdue.count(),
    }


def ratings_summary():
    from django.db.models import Avg, Count

    from .models import ProcedureRating

    rows = ProcedureRating.objects.values("procedure_code").annotate(n=Count("id"), avg=Avg("rating")).order_by("procedure_code")
    return [{**row, "title": procedure_title(row["procedure_code"])} for row in rows]


# What the engine adds to the personal area (registered in apps.py) -------------------------------------------


def desk_of(user) -> dict:
    return {"istanze": istanze_of(user)}


def documents_of(user, limit: int) -> list[area.Document]:
    """The receipt of every application sent, and the acts the offices issued."""
    docs = []
    sent = (Istanza.objects.filter(owner=user, number__isnull=False).exclude(status__in=DRAFT)
            .order_by("-submitted_at")[:limit])
    for istanza in sent:
        docs.append(area.Document(istanza.submitted_at, _("Ricevuta della pratica %(n)s") % {"n": istanza.number},
                                  istanza.procedure.title, reverse("istanze:receipt", args=[istanza.public_id])))
    acts = Attachment.objects.filter(istanza__owner=user, kind=Attachment.Kind.OFFICE).select_related("istanza").order_by("-created_at")
    for act in acts[:limit]:
        docs.append(area.Document(act.created_at, act.label, _("Atto della pratica %(n)s") % {"n": act.istanza.number},
                                  reverse("istanze:attachment", args=[act.public_id])))
    return docs

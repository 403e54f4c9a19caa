"""Reads of the URP desk: the categories and services a citizen chooses from (the service catalogue), the requests a
member of staff may see (their offices' only), the citizen's own, and the figures for the head of the URP."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from services.catalogue.models import Service
from services.core.parsing import parse_id
from services.core.tokens import matches
from services.istanze.models import Istanza
from services.istanze.states import DRAFT

from .actions import URP, token_hash
from .models import AssistanceRequest
from .states import OPEN, PAUSED


def categories() -> list[tuple[str, str]]:
    """*Categoria di servizio*: the catalogue's categories, and *Relazioni con il pubblico* for anything else."""
    found = dict(Service.objects.filter(live=True).exclude(category_slug="").values_list("category_slug", "category").distinct())
    return sorted(found.items(), key=lambda c: c[1]) + [(URP, _("Relazioni con il pubblico"))]


def services_by_category() -> dict[str, list[Service]]:
    grouped: dict[str, list[Service]] = {}
    for service in Service.objects.filter(live=True).exclude(category_slug="").order_by("title"):
        grouped.setdefault(service.category_slug, []).append(service)
    return grouped


def citizen_applications(user):
    """The citizen's own submitted applications, to ask about one of them."""
    if not getattr(user, "is_authenticated", False):
        return Istanza.objects.none()
    return Istanza.objects.filter(owner=user, number__isnull=False).exclude(status__in=DRAFT).order_by("-submitted_at")


def desk_requests(user):
    """What a member of staff sees: their offices' requests that reached the desk (every office's for superusers)."""
    rows = AssistanceRequest.objects.filter(submitted_at__isnull=False).select_related("office", "assignee", "service")
    return rows if user.is_superuser else rows.filter(office__in=user.offices.all())


def desk_request(user, pk: int) -> AssistanceRequest:
    """One request on the desk, or 404 for another office's (as if it did not exist)."""
    found = desk_requests(user).filter(pk=pk).select_related("istanza", "requester").first()
    if found is None:
        raise Http404
    return found


def desk_filter(rows, *, status="", office="", overdue=False, query=""):
    if status:
        rows = rows.filter(status=status)
    if parse_id(office):
        rows = rows.filter(office_id=parse_id(office))
    if overdue:
        rows = overdue_only(rows)
    if query:
        q = query.strip()
        rows = rows.filter(Q(number__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q) |
                           Q(message__icontains=q) | Q(entries__body__icontains=q)).distinct()
    return rows


def overdue_only(rows, today=None):
    """Open requests past a target, with the clocks stopped while waiting for the citizen."""
    today = today or timezone.localdate()
    running = rows.filter(status__in=OPEN).exclude(status__in=PAUSED)
    return running.filter(Q(first_reply_at__isnull=True, first_reply_due__lt=today) | Q(resolution_due__lt=today))


def is_overdue(request: AssistanceRequest, today=None) -> bool:
    today = today or timezone.localdate()
    if request.status not in OPEN or request.status in PAUSED:
        return False
    late_first = request.first_reply_at is None and request.first_reply_due and request.first_reply_due < today
    return bool(late_first or (request.resolution_due and request.resolution_due < today))


def thread(request: AssistanceRequest, *, staff: bool):
    entries = request.entries.select_related("author")
    return entries if staff else entries.exclude(kind="note")


def citizen_requests(user):
    return AssistanceRequest.objects.filter(requester=user, submitted_at__isnull=False).select_related("office", "service")


def citizen_request(user, public_id) -> AssistanceRequest:
    found = citizen_requests(user).filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def by_token(secret: str) -> AssistanceRequest:
    """The request an e-mail's reply link opens: the latest link only, until it expires or the request closes."""
    found = (AssistanceRequest.objects.filter(token_hash=token_hash(secret), token_expires_at__gt=timezone.now(),
                                              submitted_at__isnull=False).exclude(token_hash="").select_related("office").first())
    if found is None or not matches(found.token_hash, "assistance-reply", secret):
        raise Http404
    return found


def desk_card(user) -> dict | None:
    rows = list(citizen_requests(user).filter(status__in=OPEN | {"risolta"}).order_by("-submitted_at")[:3])
    return {"requests": rows} if rows else None


def faq_suggestions(request: AssistanceRequest, limit: int = 5) -> list:
    """The FAQ that may answer before sending: those of the chosen service first, then those of its category, then the
    rest by the words of the question (a diet question no longer gets OEPAC answers first)."""
    from services.catalogue import faq

    found = faq.provider().search(request.message, limit=20)
    service_slug = request.service.slug if request.service_id else ""
    category_services = {s.slug for s in services_by_category().get(request.category_slug, [])}

    def rank(entry):
        if service_slug and entry.service_slug == service_slug:
            return 0
        return 1 if entry.service_slug and entry.service_slug in category_services else 2

    return sorted(found, key=rank)[:limit]  # stable: within a rank, the search's own order

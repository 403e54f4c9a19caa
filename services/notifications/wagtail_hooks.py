"""Admin: messages to the families of a school or a service, confirmed with the number of families reached."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from services.core import workflow
from services.core.decorators import private_no_store
from services.core.parsing import parse_id

from . import actions, channels, states
from .forms import BroadcastForm
from .models import Broadcast, Dispatch, StaffAlert


@private_no_store
@permission_required("notifications.view_broadcast", raise_exception=True)
def broadcast_list(request):
    rows = list(Broadcast.objects.select_related("created_by")[:200])
    counts = {row["message__event"]: row for row in Dispatch.objects.filter(
        message__event__in=[f"broadcast:{b.pk}" for b in rows]).values("message__event").annotate(
        delivered=Count("id", filter=Q(status__in=states.DONE)), failed=Count("id", filter=~Q(status__in=states.ACTIVE)))}
    for b in rows:
        found = counts.get(f"broadcast:{b.pk}", {})
        b.delivered, b.failed = found.get("delivered", 0), found.get("failed", 0)
    return TemplateResponse(request, "notifications/admin/list.html", {"rows": rows})


@private_no_store
@permission_required("notifications.add_broadcast", raise_exception=True)
def broadcast_new(request):
    """Write, then confirm with the number of families reached; the confirmation's token makes sending idempotent."""
    form = BroadcastForm(request.POST or None, initial={"token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reached = actions.recipients(audience=data["audience"], filters=form.chosen_filters())
        if request.POST.get("conferma") != "1":
            # only the channels chosen, and only what each can really reach (App IO: a codice fiscale the Comune can
            # stand behind; SMS: a verified mobile, and only if SMS was ticked)
            # for each channel chosen, the families it can reach who want it (App IO: a codice fiscale the Comune can stand
            # behind; SMS: a verified mobile)
            reach = [{"label": channels.get(code).label, "count": sum(
                code in (wanted or []) for wanted in channels.get(code).reachable(reached).values_list("notify_channels", flat=True))}
                for code in data["channels"]]
            return TemplateResponse(request, "notifications/admin/confirm.html", {"form": form, "families": reached.count(),
                                                                                   "reach": reach})
        broadcast, created = actions.broadcast_create(by=request.user, filters=form.chosen_filters(), channels=tuple(data["channels"]),
                                                      **{k: data[k] for k in ("token", "subject", "body", "audience")})
        if created:
            messages.success(request, _g("Comunicazione in invio. L'esito per ogni famiglia compare qui sotto in pochi minuti."))
        return redirect("notifications_broadcast", broadcast.pk)
    return TemplateResponse(request, "notifications/admin/new.html", {"form": form}, status=400 if form.errors else 200)


@private_no_store
@permission_required("notifications.view_broadcast", raise_exception=True)
def broadcast_detail(request, pk):
    broadcast = get_object_or_404(Broadcast, pk=pk)
    deliveries = (Dispatch.objects.filter(message__event=f"broadcast:{broadcast.pk}").select_related("message__user")
                  .order_by("message__user__last_name", "message__user__first_name", "channel"))
    return TemplateResponse(request, "notifications/admin/detail.html", {"broadcast": broadcast, "deliveries": deliveries,
                                                                          "transitions": workflow.history_rows(broadcast)})


@private_no_store
@permission_required("notifications.view_dispatch", raise_exception=True)
def dead_letters(request):
    """What the outbox could not send after its attempts, or a channel refused: *Rinvia* queues it again."""
    if request.method == "POST":
        if not request.user.has_perm("notifications.change_dispatch"):
            raise PermissionDenied
        pk = request.POST.get("invio", "")
        dispatch = get_object_or_404(Dispatch, pk=parse_id(pk) or 0)
        if actions.dispatch_resend(dispatch=dispatch, by=request.user):
            messages.success(request, _g("Messaggio di nuovo in coda."))
        return redirect("notifications_dead_letters")
    rows = list(Dispatch.objects.filter(Q(status__in=states.UNSENT) | Q(channel="none"))
                .select_related("message__user").prefetch_related("message__dispatches").order_by("-updated_at")[:300])
    history = workflow.histories(Dispatch, [row.pk for row in rows])  # each attempt's change of state, one query
    for row in rows:  # did the message reach the family another way? Then nothing is left to do for it.
        row.history = history[row.pk]
        row.reached_by = [d.get_channel_display() for d in row.message.dispatches.all() if d.status in states.DONE]
        row.resendable = row.channel != "none" and not row.reached_by
    unreached = [r for r in rows if not r.reached_by]
    return TemplateResponse(request, "notifications/admin/dead_letters.html", {
        "unreached": unreached, "reached": [r for r in rows if r.reached_by]})


@private_no_store
def staff_alerts(request):
    """The member of staff's alerts: what arrived at their offices, was assigned to them, or the citizen answered;
    mark them read, and choose the morning e-mail."""
    if not request.user.is_staff:
        raise PermissionDenied
    if request.method == "POST":
        if "riepilogo" in request.POST:
            request.user.staff_digest = request.POST.get("riepilogo") == "1"
            request.user.save(update_fields=["staff_digest"])
            messages.success(request, _g("Riepilogo giornaliero via e-mail attivato.") if request.user.staff_digest
                             else _g("Riepilogo giornaliero via e-mail disattivato: gli avvisi restano qui."))
        else:
            count = actions.staff_alerts_read(user=request.user)
            messages.success(request, _g("%(n)s avvisi segnati come letti.") % {"n": count})
        return redirect("notifications_staff_alerts")
    page = Paginator(StaffAlert.objects.filter(user=request.user), 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "notifications/admin/staff_alerts.html", {"page": page})


class StaffAlertsPanel(Component):
    name = "staff_alerts"
    order = 40
    template_name = "notifications/admin/staff_alerts_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        unread = StaffAlert.objects.filter(user=self.user, read_at__isnull=True)
        return {"alerts": list(unread[:10]), "unread": unread.count(), "url": reverse("notifications_staff_alerts")}


@hooks.register("construct_homepage_panels")
def add_staff_alerts_panel(request, panels):
    if request.user.is_staff:
        panels.append(StaffAlertsPanel(request.user))


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff


@hooks.register("register_admin_menu_item")
def register_staff_alerts_menu():
    return StaffMenuItem(_("Avvisi"), reverse("notifications_staff_alerts"), icon_name="info-circle", order=10)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("avvisi/", staff_alerts, name="notifications_staff_alerts"),
        path("comunicazioni/", broadcast_list, name="notifications_broadcasts"),
        path("comunicazioni/nuova/", broadcast_new, name="notifications_broadcast_new"),
        path("comunicazioni/<id:pk>/", broadcast_detail, name="notifications_broadcast"),
        path("messaggi-non-inviati/", dead_letters, name="notifications_dead_letters"),
    ]


class BroadcastMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm("notifications.view_broadcast")


@hooks.register("register_admin_menu_item")
def register_menu():
    return BroadcastMenuItem(_("Comunicazioni alle famiglie"), reverse("notifications_broadcasts"), icon_name="mail", order=186)


class DeadLettersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm("notifications.view_dispatch")


@hooks.register("register_admin_menu_item")
def register_dead_letters_menu():
    return DeadLettersMenuItem(_("Messaggi non inviati"), reverse("notifications_dead_letters"), icon_name="warning", order=187)

"""Admin: messages to the families of a school or a service, confirmed with the number of families reached."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from services.core.decorators import private_no_store

from . import actions
from .forms import BroadcastForm
from .models import Broadcast


@private_no_store
@permission_required("notifications.view_broadcast", raise_exception=True)
def broadcast_list(request):
    rows = Broadcast.objects.select_related("created_by").annotate(
        delivered=Count("deliveries", filter=Q(deliveries__delivered=True)),
        failed=Count("deliveries", filter=Q(deliveries__delivered=False)),
    )[:200]
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
            counts = {"families": reached.count(), "email": reached.exclude(email="").count(),
                      "sms": reached.filter(mobile_verified=True).exclude(mobile_phone="").count()}
            return TemplateResponse(request, "notifications/admin/confirm.html", {"form": form, "counts": counts})
        broadcast, created = actions.broadcast_create(by=request.user, filters=form.chosen_filters(), **{k: data[k] for k in (
            "token", "subject", "body", "audience", "by_email", "by_sms")})
        if created:
            messages.success(request, _g("Comunicazione in invio. L'esito per ogni famiglia compare qui sotto in pochi minuti."))
        return redirect("notifications_broadcast", broadcast.pk)
    return TemplateResponse(request, "notifications/admin/new.html", {"form": form}, status=400 if form.errors else 200)


@private_no_store
@permission_required("notifications.view_broadcast", raise_exception=True)
def broadcast_detail(request, pk):
    broadcast = get_object_or_404(Broadcast, pk=pk)
    deliveries = broadcast.deliveries.select_related("user").order_by("user__last_name", "user__first_name", "channel")
    return TemplateResponse(request, "notifications/admin/detail.html", {"broadcast": broadcast, "deliveries": deliveries})


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("comunicazioni/", broadcast_list, name="notifications_broadcasts"),
        path("comunicazioni/nuova/", broadcast_new, name="notifications_broadcast_new"),
        path("comunicazioni/<int:pk>/", broadcast_detail, name="notifications_broadcast"),
    ]


class BroadcastMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm("notifications.view_broadcast")


@hooks.register("register_admin_menu_item")
def register_menu():
    return BroadcastMenuItem(_("Comunicazioni alle famiglie"), reverse("notifications_broadcasts"), icon_name="mail", order=186)

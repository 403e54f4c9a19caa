"""Personal area: which messages the citizen wants on which channel (the kinds that must reach them are listed,
and cannot be switched off)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from services.accounts import area
from services.core.decorators import private_no_store

from . import channels, kinds
from .models import OptOut


@login_required
@private_no_store
def preferences(request):
    optional, codes = kinds.optional(), channels.codes()
    if request.method == "POST":
        wanted = {(k.code, c) for k in optional for c in codes if request.POST.get(f"{k.code}:{c}") == "on"}
        with transaction.atomic():
            OptOut.objects.filter(user=request.user).delete()
            OptOut.objects.bulk_create([OptOut(user=request.user, kind=k.code, channel=c)
                                        for k in optional for c in codes if (k.code, c) not in wanted])
        messages.success(request, _("Preferenze dei messaggi salvate."))
        return redirect("notifications:preferences")
    out = set(OptOut.objects.filter(user=request.user).values_list("kind", "channel"))
    rows = [{"kind": k, "channels": [{"code": c.code, "name": c.label, "on": (k.code, c.code) not in out} for c in channels.ordered()]}
            for k in optional]
    return area.render_area(request, "impostazioni", "notifications/preferences.html", {"rows": rows, "mandatory": kinds.mandatory()})

"""The URP desk's alerts (notifications.staff_alert): a request reached an office (arrived or forwarded), was assigned
to a colleague, or the citizen wrote on it. Arrival is told where the request reaches the desk; the rest hangs on
the workflow kernel's after-commit signal."""

from django.urls import reverse
from django.utils.translation import gettext as _

from services.accounts.selectors import office_staff
from services.notifications.actions import staff_alert

from .models import AssistanceRequest
from .states import Status


def page(request) -> str:
    return reverse("assistance_desk_detail", args=[request.pk])


def arrived(request, key: str) -> None:
    staff_alert(users=office_staff(request.office_id), event=f"assistance-{key}:{request.pk}:{request.office_id}", url=page(request),
                text=_("Nuova richiesta di assistenza %(number)s all'ufficio %(office)s") % {"number": request.number,
                                                                                          "office": request.office.name})


def on_transition(sender, pk, from_state, to_state, by=None, actor=None, event=None, **kwargs):
    request = AssistanceRequest.objects.select_related("office", "assignee").get(pk=pk)
    key = getattr(event, "pk", None)
    if by is None and to_state in (Status.NUOVA, Status.ASSEGNATA) and from_state in (Status.IN_ATTESA, Status.RISOLTA, Status.NUOVA,
                                                                                       Status.ASSEGNATA):
        if request.submitted_at is None:
            return
        users = [request.assignee] if request.assignee_id else office_staff(request.office_id)
        staff_alert(users=users, event=f"assistance-citizen:{key}", url=page(request),
                    text=_("Il cittadino ha scritto sulla richiesta %(number)s") % {"number": request.number})
    elif to_state == Status.NUOVA and by is not None:  # forwarded to another office
        arrived(request, f"forwarded-{key}")
    elif to_state == Status.ASSEGNATA and request.assignee_id and request.assignee != by:
        staff_alert(users=[request.assignee], event=f"assistance-assigned:{key}", url=page(request),
                    text=_("%(name)s ti ha assegnato la richiesta %(number)s") % {
                        "name": by.get_full_name() or by.get_username() if by else _("Il sistema"), "number": request.number})

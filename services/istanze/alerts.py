"""The office's alerts about applications (notifications.staff_alert), hung on the workflow kernel's after-commit
signal: an application arrived at the office, the citizen sent what the office asked for. Assignment tells the
colleague in istanza_assign, in its own transaction."""

from django.urls import reverse
from django.utils.translation import gettext as _

from services.accounts.selectors import office_staff
from services.notifications.actions import staff_alert

from .models import Istanza
from .states import Status


def page(istanza) -> str:
    return reverse("istanze_istanza_modeladmin_inspect", args=[istanza.pk])


def on_transition(sender, pk, from_state, to_state, by=None, actor=None, event=None, **kwargs):
    if to_state == Status.INVIATA:
        istanza = Istanza.objects.select_related("office").get(pk=pk)
        staff_alert(users=office_staff(istanza.office_id), event=f"istanza-arrived:{pk}", url=page(istanza),
                    text=_("Nuova pratica %(number)s: %(title)s") % {"number": istanza.number, "title": istanza.procedure.title})
    elif from_state == Status.IN_ATTESA_DI_INTEGRAZIONE and to_state == Status.PRESA_IN_CARICO:
        istanza = Istanza.objects.select_related("assigned_to").get(pk=pk)
        users = [istanza.assigned_to] if istanza.assigned_to_id else office_staff(istanza.office_id)
        staff_alert(users=users, event=f"istanza-integrated:{getattr(event, 'pk', pk)}", url=page(istanza),
                    text=_("Il cittadino ha inviato l'integrazione della pratica %(number)s") % {"number": istanza.number})


def assigned(istanza, to_user, by, event) -> None:
    if to_user != by:
        staff_alert(users=[to_user], event=f"istanza-assigned:{event.pk}", url=page(istanza),
                    text=_("%(name)s ti ha assegnato la pratica %(number)s") % {"name": by.get_full_name() or by.get_username(),
                                                                              "number": istanza.number})

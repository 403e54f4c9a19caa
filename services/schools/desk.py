"""What the Master does to the school's generic users, as desk actions (services/core/desk.py): suspension,
reactivation and removal are the kernel's table for a role, functions and renewal are actions of their own."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services.core import desk
from services.core.desk import Action, ActionError

from . import actions, selectors
from .forms import RoleFunctionsForm
from .models import SchoolRole
from .states import OPEN

S = SchoolRole.State


def _lookup(user, pk):
    """The role, with the Master acting on it (`role.master`), when this person is the Master of its school."""
    role = SchoolRole.objects.filter(pk=pk).select_related("school", "user").first()
    master = selectors.master_for(user, role.school.code) if role else None
    if master is None:
        return None
    role.master = master
    return role


def _render(request, role, *, bound=None, confirm=None, status=200):
    from .views import users_page

    if not confirm:
        return redirect("schools:users", code=role.school.code)
    return users_page(request, role.master, confirm=confirm, status=status)


DESK = desk.register("schools", SchoolRole, lookup=_lookup, render=_render, errors=(actions.RoleError,), url_name="schools:desk",
                     page_url=lambda role: reverse("schools:users", kwargs={"code": role.school.code}))


class RoleAction(Action):
    def is_available(self, role, user):
        return role.kind == SchoolRole.Kind.GENERIC and super().is_available(role, user)

    def who(self, role):
        return (role.user.get_full_name() if role.user else "") or role.fiscal_code


class Move(RoleAction):
    done = ""

    def execute(self, request, role, form):
        actions.role_state_set(master=role.master, role_id=role.pk, action=self.name, by=request.user)
        return str(self.done) % {"who": self.who(role)}


@DESK.action
class Suspend(Move):
    name, label, target = "suspend", gettext_lazy("Sospendi"), S.SUSPENDED
    confirm = gettext_lazy("Sospendere %(who)s? Non vedrà più i dati della scuola finché non lo riattivi.")
    confirm_label = gettext_lazy("Sì, sospendi")
    done = gettext_lazy("%(who)s è sospeso: non vede più i dati della scuola.")


@DESK.action
class Reactivate(Move):
    name, label, target = "reactivate", gettext_lazy("Riattiva"), S.ACTIVE
    done = gettext_lazy("%(who)s è di nuovo attivo, con le funzioni che aveva.")


@DESK.action
class Remove(Move):
    name, label, target, style = "remove", gettext_lazy("Rimuovi"), S.REMOVED, "warning"
    confirm = gettext_lazy("Rimuovere %(who)s dagli utenti della scuola? Potrai riattivarlo dal registro degli utenti.")
    confirm_label = gettext_lazy("Sì, rimuovi")
    done = gettext_lazy("%(who)s è stato rimosso dagli utenti della scuola.")


@DESK.action
class Renew(RoleAction):
    name, label = "renew", gettext_lazy("Rinnova per il prossimo anno")

    def is_available(self, role, user):
        return super().is_available(role, user) and role.state in OPEN

    def execute(self, request, role, form):
        actions.role_renew(master=role.master, role_id=role.pk, by=request.user)
        return _("%(who)s resta utente della scuola fino alla fine del prossimo anno scolastico.") % {"who": self.who(role)}


@DESK.action
class Functions(RoleAction):
    name, label = "funzioni", gettext_lazy("Salva le funzioni")

    def is_available(self, role, user):
        return super().is_available(role, user) and role.state in OPEN

    def execute(self, request, role, form):
        form = RoleFunctionsForm(request.POST, school=role.school)
        if not form.is_valid():
            raise ActionError(_("Scegli almeno una funzione."))
        actions.role_functions_set(master=role.master, role_id=role.pk, functions=form.cleaned_data["functions"], by=request.user)
        return _("Funzioni di %(who)s salvate.") % {"who": self.who(role)}

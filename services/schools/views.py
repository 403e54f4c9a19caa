"""Area scuola: the schools a person works for, the sections their functions open, and for the Master the school's
users. Every view finds the person's role at the school in the URL, or answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.accounts import area
from services.core import desk as core_desk
from services.core.decorators import private_no_store

from . import actions, desk, sections, selectors
from .forms import RoleAddForm, RoleFunctionsForm

TAB = "scuola"


@login_required
@private_no_store
def school_home(request):
    roles = [{"role": role, "sections": sections.for_role(role)} for role in selectors.active_roles(request.user)]
    return area.render_area(request, TAB, "schools/home.html", {"roles": roles})


def _master(request, code):
    master = selectors.master_for(request.user, code)
    if master is None:
        raise Http404
    return master


def users_page(request, master, form=None, status=200, confirm=None):
    return area.render_area(request, TAB, "schools/users.html", {
        "master": master, "school": master.school, "users": selectors.school_users(master), "log": selectors.school_log(master),
        "confirm": confirm,
        "form": form or RoleAddForm(school=master.school), "function_choices": RoleFunctionsForm(school=master.school).fields["functions"].choices,
    }, status=status)


@login_required
@private_no_store
def school_users(request, code):
    master = _master(request, code)
    if request.method != "POST":
        return users_page(request, master)
    form = RoleAddForm(request.POST, school=master.school)
    if form.is_valid():
        try:
            actions.role_add(master=master, fiscal_code=form.cleaned_data["fiscal_code"],
                             functions=form.cleaned_data["functions"], by=request.user)
        except actions.RoleError as error:
            form.add_error("fiscal_code", str(error))
        else:
            messages.success(request, _("Utente aggiunto: al primo accesso con SPID o CIE troverà la scuola nella sua area personale."))
            return redirect("schools:users", code=code)
    return users_page(request, master, form, status=400)


@require_POST
@login_required
@private_no_store
def school_user_change(request, code, role_id):
    """Every change the Master makes to a user goes through the schools' desk (desk.py): the button names the action."""
    role = desk.DESK.lookup(request.user, role_id)
    if role is None or role.school.code != code:
        raise Http404
    return core_desk.dispatch(request, desk.DESK, role, request.POST.get("azione", ""))

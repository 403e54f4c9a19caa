"""Area scuola: the schools a person works for, the sections their functions open, and for the Master the school's
users. Every view finds the person's role at the school in the URL, or answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from services.accounts import area
from services.core.decorators import private_no_store

from . import actions, sections, selectors
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


def _users_page(request, master, form=None, status=200, confirm=None):
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
        return _users_page(request, master)
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
    return _users_page(request, master, form, status=400)


@require_POST
@login_required
@private_no_store
def school_user_change(request, code, role_id):
    master = _master(request, code)
    action = request.POST.get("azione", "")
    role = selectors.school_users(master).filter(pk=role_id).first()
    who = (role.user.get_full_name() if role and role.user else "") or (role.fiscal_code if role else "")
    if action in CONFIRM and role is not None and not request.POST.get("conferma"):
        return _users_page(request, master, confirm={"role": role, "action": action, "button": CONFIRM[action]["button"],
                                                      "question": CONFIRM[action]["question"] % {"who": who}})
    try:
        if action == "funzioni":
            form = RoleFunctionsForm(request.POST, school=master.school)
            if not form.is_valid():
                raise actions.RoleError(_("Scegli almeno una funzione."))
            actions.role_functions_set(master=master, role_id=role_id, functions=form.cleaned_data["functions"], by=request.user)
        else:
            actions.role_state_set(master=master, role_id=role_id, action=action, by=request.user)
    except actions.RoleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, DONE.get(action, _("Funzioni di %(who)s salvate.")) % {"who": who})
    return redirect("schools:users", code=code)


# Asked before acting (no JavaScript needed: the page comes back with the question).
CONFIRM = {
    "suspend": {"question": _l("Sospendere %(who)s? Non vedrà più i dati della scuola finché non lo riattivi."),
                "button": _l("Sì, sospendi")},
    "remove": {"question": _l("Rimuovere %(who)s dagli utenti della scuola? Potrai riattivarlo dal registro degli utenti."),
               "button": _l("Sì, rimuovi")},
}
DONE = {
    "suspend": _l("%(who)s è sospeso: non vede più i dati della scuola."),
    "reactivate": _l("%(who)s è di nuovo attivo, con le funzioni che aveva."),
    "remove": _l("%(who)s è stato rimosso dagli utenti della scuola."),
    "renew": _l("%(who)s resta utente della scuola fino alla fine del prossimo anno scolastico."),
}

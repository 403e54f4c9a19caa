"""Personal area, tab Pratiche: the citizen's applications and their detail."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from services.core.decorators import private_no_store

from . import selectors
from .forms import SearchForm
from .states import Status

TAB_CONTEXT = {"active_tab": "pratiche"}


def _tabs():
    from services.accounts.views import TABS  # the personal area's tab bar

    return TABS


@login_required
@private_no_store
def istanze_list(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = selectors.search_istanze(request.user, **form.cleaned_data)
    return render(
        request,
        "istanze/list.html",
        {**TAB_CONTEXT, "tabs": _tabs(), "groups": selectors.istanze_of(request.user), "form": form, "results": results},
    )


@login_required
@private_no_store
def istanza_detail(request, public_id):
    istanza = selectors.istanza_of(request.user, public_id)
    return render(
        request,
        "istanze/detail.html",
        {**TAB_CONTEXT, "tabs": _tabs(), "istanza": istanza, "events": istanza.events.select_related("actor"),
         "procedure_title": selectors.procedure_title(istanza.procedure_code), "Status": Status},
    )


@require_POST
@login_required
@private_no_store
def istanza_star(request, public_id):
    istanza = selectors.istanza_of(request.user, public_id)
    istanza.starred = not istanza.starred
    istanza.save(update_fields=["starred"])
    return redirect("istanze:detail", public_id=istanza.public_id)

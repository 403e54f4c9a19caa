"""The office's actions as classes, registered per model, and one way to run them (issue 26).

An action has a name (in the POST), a label (the button), an optional form, `is_available(obj, user)`, and
`execute(request, obj, form)`, which does it through the app's actions and returns what was done to whom, for the
message the person reads. An action that moves the record to a state names it as `target`: it is offered only where
the workflow kernel's table lets this actor make that move, and the note it asks for is the table's rule.

    desk = desk.register("assistenza", AssistanceRequest, lookup=selectors.desk_request_or_none,
                         page_url=lambda r: reverse("assistance_desk_detail", args=[r.pk]), render=detail_page)
    @desk.action
    class Resolve(Action):
        name, label, target = "risolvi", _("Segna come risolta"), Status.RISOLTA
        def execute(self, request, obj, form): ...

Pages list `desk.entries(obj, user)` (each action with its form and the URL it posts to) and every POST goes through
`dispatch`, either from `action_view` (mounted once per desk) or from the record's own page."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import workflow


class ActionError(ValueError):
    """The action cannot be done; the message is for the person, in Italian."""


class Action:
    name = ""
    label = ""
    form_class = None
    prefix = False  # the form's fields carry the action's name (several forms of one kind on one page)
    target = None  # the state this action moves the record to, if any
    actor = None  # the kind of actor the kernel's rules check (the applications' office, citizen, system)
    permission = ""  # a Django permission the person needs besides access to the record
    confirm = ""  # asked before acting: the page comes back with the question and a button that confirms
    confirm_label = ""  # that button ("Sì, rimuovi"); the label otherwise
    style = ""  # "warning" for an action that takes something away

    def is_available(self, obj, user) -> bool:
        if self.permission and not user.has_perm(self.permission):
            return False
        return self.target is None or str(self.target) in workflow.available(obj, user, actor=self.actor)

    def form_kwargs(self, request, obj) -> dict:
        return {}

    def get_form(self, request, obj, data=None, files=None):
        if self.form_class is None:
            return None
        kwargs = self.form_kwargs(request, obj)
        if self.prefix:
            kwargs["prefix"] = self.name
        return self.form_class(data, files, **kwargs) if data is not None else self.form_class(**kwargs)

    def note_required(self, obj) -> bool:
        return self.target is not None and workflow.needs_note(obj, self.target)

    def question(self, obj) -> str:
        return str(self.confirm) % {"who": self.who(obj)} if "%(who)" in str(self.confirm) else str(self.confirm)

    def who(self, obj) -> str:
        """How the messages name the record or the person it is about."""
        return str(obj)

    def execute(self, request, obj, form) -> str:
        raise NotImplementedError


@dataclass
class Desk:
    name: str
    model: type
    lookup: Callable  # (user, pk) -> the record this person may act on, or None
    page_url: Callable  # record -> its page
    render: Callable  # (request, record, bound={name: form}, confirm=entry or None, status=int) -> response
    errors: tuple = ()  # the app's own "cannot do this" exceptions, shown like ActionError
    url_name: str = ""  # the name its `urls()` is reversed by (with the app's namespace, if any)
    actions: dict[str, Action] = field(default_factory=dict)

    def action(self, cls):
        """Class decorator: register an action of this desk."""
        instance = cls()
        self.actions[instance.name] = instance
        return cls

    def available(self, obj, user) -> list[Action]:
        return [a for a in self.actions.values() if a.is_available(obj, user)]

    def url(self, obj, action: Action) -> str:
        return reverse(self.url_name or f"desk_{self.name}", args=[obj.pk, action.name])

    def entries(self, request, obj, bound: dict | None = None) -> list[dict]:
        """What the page shows: each available action with its form (bound, after a refused POST) and its URL."""
        bound = bound or {}
        return [{"name": a.name, "label": a.label, "action": a, "style": a.style, "url": self.url(obj, a),
                 "form": bound.get(a.name) or a.get_form(request, obj), "note_required": a.note_required(obj),
                 "failed": a.name in bound}
                for a in self.available(obj, request.user)]


_desks: dict[str, Desk] = {}


def register(name: str, model, *, lookup, page_url, render, errors=(), url_name: str = "") -> Desk:
    desk = Desk(name=name, model=model, lookup=lookup, page_url=page_url, render=render, errors=tuple(errors), url_name=url_name)
    _desks[name] = desk
    return desk


def get(name: str) -> Desk:
    return _desks[name]


def desks() -> list[Desk]:
    return list(_desks.values())


def dispatch(request, desk: Desk, obj, name: str):
    """Run one action from a POST: refused (not available, form invalid, the app says no) → the record's page with
    the form and the reason, status 400; asked to confirm → the page with the question; done → back to the page
    with a message that says what was done."""
    action = desk.actions.get(name)
    if action is None or not action.is_available(obj, request.user):
        messages.error(request, _("Questa operazione non è possibile ora: la pagina mostra quelle che si possono fare."))
        return redirect(desk.page_url(obj))
    if action.confirm and not request.POST.get("conferma"):
        entry = {"name": action.name, "label": action.label, "button": action.confirm_label or action.label,
                 "url": desk.url(obj, action), "question": action.question(obj), "object": obj,
                 "fields": {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "conferma")}}
        return desk.render(request, obj, bound={}, confirm=entry, status=200)
    form = action.get_form(request, obj, request.POST, request.FILES)
    if form is None or form.is_valid():
        try:
            done = action.execute(request, obj, form)
        except (ActionError, workflow.TransitionError, *desk.errors) as error:
            if form is None:
                messages.error(request, str(error))
                return redirect(desk.page_url(obj))
            form.add_error("note" if "note" in form.fields and action.note_required(obj) else None, str(error))
        else:
            messages.success(request, done)
            return redirect(desk.page_url(obj))
    return desk.render(request, obj, bound={name: form}, confirm=None, status=400)


def action_view(request, pk, action="", *, desk: str):
    """The one view every desk mounts: POST only, the record found for this person (404 otherwise); the action is in
    the URL, or in the POST's `azione` (a form with one button per action)."""
    if request.method != "POST":
        raise Http404
    chosen = get(desk)
    obj = chosen.lookup(request.user, pk)
    if obj is None:
        raise Http404
    return dispatch(request, chosen, obj, action or request.POST.get("azione", ""))


def urls(route: str, name: str, *decorators, url_name: str = "") -> "list":
    """The desk's URL (POST an action on a record) at `route` ("pratiche/<id:pk>/azione/") + the action's name, and at
    `route` alone for a form whose buttons name the action (`azione`); with the app's access decorators."""
    from functools import partial, update_wrapper

    from django.urls import path

    from .decorators import private_no_store

    view = update_wrapper(partial(action_view, desk=name), action_view)
    for decorator in decorators:
        view = decorator(view)
    view = private_no_store(view)
    name = url_name or f"desk_{name}"
    return [path(route + "<str:action>/", view, name=name), path(route, view, name=f"{name}_post")]

"""Page shells: a public page's HTML rendered once per process and generation, with holes for what differs per
request.

A page rendered without the full-page cache (anyone with a session, or the cache switched off) used to run its whole
template on every request, though all of it but a few parts is the same for every visitor: the header of a signed-in
person, the `<body>` attributes of the idle timeout, *Accedi al servizio* with the citizen's own panel, and Wagtail's
user bar. Those parts are marked in the templates with ``{% hole %}…{% endhole %}`` (home/templatetags/sportello.py).
A hole that differs only for signed-in people (``{% hole signed_in_only %}``: the header, the idle timeout, the user
bar) is rendered into the shell kept for anonymous visitors, so theirs has a single hole left: *Accedi al servizio*,
which changes when the online window opens or closes.

A page that opts in (``SportelloPage.shell_cache``) is rendered once with each hole left as a marker, and that shell is
kept in this process (`home.cache.live_objects`) under the publish generation, for the site, the page's revision,
its template and whether the visitor is signed in, for SHELL_TIMEOUT seconds at most (as long as the body fragments
it holds). Each request then renders only the holes, with the page's context and the context processors, and fills
them in. A hole's output is never kept.

What a hole may use: the page's context (``page``, ``request``, what ``get_context`` adds), the context processors'
values, and what it binds itself (``{% hole ente=settings.home.EnteSettings %}``): not the variables of a ``{% with %}``
or ``{% for %}`` around it, because on a kept shell nothing around it runs. A shell is not kept when rendering it,
outside its holes, read request.user (watched while the shell renders), used the CSRF token or the CSP nonce or read
the messages: then something personal sat outside a hole, a warning is logged, and the page is rendered whole, as
before, for the rest of the generation (an hour at most, then the shell is tried again).
"""

import logging
import re
import secrets
import time

from django.template import Node
from django.template.context import make_context
from django.template.response import TemplateResponse

from .cache import live_objects, request_generation

logger = logging.getLogger(__name__)

SHELL_TIMEOUT = 3600  # the body fragments' own lifetime (templates/home/service_page.html)
RECORDER = "_sportello_shell"  # templates cannot read a name starting with an underscore
_TOKEN = secrets.token_hex(8)  # a marker no page content can fake: random per process
_MARKER = re.compile(f"\x00{_TOKEN}:(\\d+)\x00")


class Recorder:
    """Collects the holes met while a shell is rendered, in order. An anonymous visitor's shell keeps what the holes
    for signed-in people render."""

    def __init__(self, anonymous):
        self.anonymous = anonymous
        self.holes = []
        self.in_hole = False  # rendering a hole into the shell (signed_in_only, for an anonymous visitor)
        self.user_read = False  # the shell itself read request.user: something personal outside a hole

    def mark(self, hole):
        self.holes.append(hole)
        return f"\x00{_TOKEN}:{len(self.holes) - 1}\x00"


class _WatchedUser:
    """request.user while a shell is rendered: reading it outside a hole marks the shell as personal."""

    def __init__(self, user, recorder):
        object.__setattr__(self, "_user", user)
        object.__setattr__(self, "_recorder", recorder)

    def _read(self):
        recorder = object.__getattribute__(self, "_recorder")
        if not recorder.in_hole:
            recorder.user_read = True
        return object.__getattribute__(self, "_user")

    def __getattr__(self, name):
        return getattr(self._read(), name)

    def __str__(self):
        return str(self._read())

    def __bool__(self):
        return bool(self._read())


class HoleNode(Node):
    """A part of a page rendered for each request (see the module's docstring)."""

    def __init__(self, nodelist, extra_context, signed_in_only=False):
        self.nodelist = nodelist
        self.extra_context = extra_context
        self.signed_in_only = signed_in_only

    def render(self, context):
        recorder = context.get(RECORDER)
        if recorder is None:
            return self.render_alone(context)
        if not (self.signed_in_only and recorder.anonymous):
            return recorder.mark(self)
        recorder.in_hole = True
        try:
            return self.render_alone(context)
        finally:
            recorder.in_hole = False

    def render_alone(self, context):
        values = {name: value.resolve(context) for name, value in self.extra_context.items()}
        with context.push(**values):
            return self.nodelist.render(context)


def _personal_marks(request):
    """What rendering something personal leaves on the request: the CSRF token asked for, the CSP nonce, the messages
    read."""
    messages = getattr(request, "_messages", None)
    return (
        bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")),
        getattr(request, "_csp_nonce", None) is not None,
        bool(getattr(messages, "used", False)),
    )


def record(template, context_data, request, anonymous):
    """(expires, pieces, holes) for the template, or None when something personal was rendered outside a hole."""
    before = _personal_marks(request)
    recorder = Recorder(anonymous)
    user = getattr(request, "user", None)
    if user is not None:
        request.user = _WatchedUser(user, recorder)  # the auth context processor's `user` and `perms` read it too
    try:
        html = template.render({**context_data, RECORDER: recorder}, request)
    finally:
        if user is not None:
            request.user = user
    after = _personal_marks(request)
    if recorder.user_read or any(a and not b for a, b in zip(after, before, strict=True)):
        logger.warning("page shell not kept: %s read the user, the CSRF token, the nonce or the messages outside a hole",
                       template.origin.name)
        return None
    parts = _MARKER.split(html)
    pieces = tuple(parts[0::2])
    holes = tuple(recorder.holes[int(i)] for i in parts[1::2])
    if len(holes) != len(recorder.holes):  # a marker lost in a filter or a fragment cache: not a shell to trust
        return None
    return (time.time() + SHELL_TIMEOUT, pieces, holes)


def fill(template, context_data, request, shell):
    """The page: the shell's pieces with this request's holes rendered in between."""
    _, pieces, holes = shell
    if not holes:  # an anonymous visitor's home: nothing differs per request
        return pieces[0]
    django_template = template.template
    context = make_context(context_data, request, autoescape=django_template.engine.autoescape)
    with context.render_context.push_state(django_template), context.bind_template(django_template):
        context.template_name = django_template.name
        rendered = [hole.render_alone(context) for hole in holes]
    out = [pieces[0]]
    for hole, piece in zip(rendered, pieces[1:], strict=True):
        out.append(hole)
        out.append(piece)
    return "".join(out)


class ShellResponse(TemplateResponse):
    """A page's TemplateResponse rendered from its kept shell (see the module's docstring)."""

    def __init__(self, request, template, context, key):
        super().__init__(request, template, context)
        self.shell_key = key

    @property
    def rendered_content(self):
        request = self._request
        template = self.resolve_template(self.template_name)
        context = self.resolve_context(self.context_data)
        gen = request_generation(request)
        user = getattr(request, "user", None)
        anonymous = user is None or not user.is_authenticated
        key = (*self.shell_key, template.origin.name, anonymous)
        shell = live_objects.get(gen, key)
        if shell is None or shell[0] < time.time():
            shell = record(template, context, request, anonymous)
            if shell is None:  # remembered, so the page is not rendered twice on every request
                live_objects.set(gen, key, (time.time() + SHELL_TIMEOUT, None, None))
                return template.render(context, request)
            live_objects.set(gen, key, shell)
        if shell[1] is None:
            return template.render(context, request)
        return fill(template, context, request, shell)

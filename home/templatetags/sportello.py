from django import template
from django.conf import settings
from django.template.base import token_kwargs
from django.template.loader import render_to_string
from django.utils.html import format_html

from home import selectors
from home.shell import HoleNode
from services.core import money

register = template.Library()


def _relative(request, url_path, root):
    """URL of a page from its url_path, relative to the current site root."""
    return "/" + url_path[len(root.url_path):] if root and url_path.startswith(root.url_path) else url_path


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    root = selectors.site_root_for(request)
    current = getattr(context.get("page"), "url_path", "")
    items = [
        {"title": t, "url": _relative(request, p, root), "element": e, "active": current.startswith(p)}
        for t, p, e in (selectors.main_menu(root) if root else [])
    ]
    return {"items": items}


@register.simple_tag(takes_context=True)
def footer_links(context):
    request = context["request"]
    root = selectors.site_root_for(request)
    links = selectors.footer_links(root) if root else {}
    return {k: ({"title": v["title"], "url": _relative(request, v["url_path"], root)} if v else None) for k, v in links.items()}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page, current=None):
    """The page's ancestors; with `current`, a sub-page of a routable page (an office, a topic) below the page."""
    request = context["request"]
    root = selectors.site_root_for(request)
    chain = list(page.breadcrumb_pages()) + ([page] if current else [])
    crumbs = [{"title": c.title, "url": _relative(request, c.url_path, root)} for c in chain]
    if crumbs and root:
        crumbs[0]["title"] = "Home"
    return {"crumbs": crumbs, "current": current or page.title}


@register.simple_tag(takes_context=True)
def page_path(context, url_path):
    root = selectors.site_root_for(context["request"])
    return _relative(context["request"], url_path, root)


@register.simple_tag(takes_context=True)
def office_link(context, office):
    """The office's name, linked to its page under *Uffici* when the site has that page."""
    index = footer_links(context).get("offices")
    if not index:
        return office.name
    return format_html('<a href="{}">{}</a>', index["url"] + office.slug + "/", office.name)


@register.filter
def module_notice(page):
    """What the page's online module tells everybody while it cannot be used (e.g. payments suspended), or ""."""
    module = page.module()
    return module.notice() if module and module.notice else ""


@register.simple_tag(takes_context=True)
def service_panel(context, page):
    """A signed-in citizen's own state for the page's online module, rendered, or "" (anonymous, preview, no panel).
    The response is then personal: SecurityHeadersMiddleware makes it `private, no-store`, and the full-page
    cache never stores a request with a session."""
    request = context.get("request")
    module = page.module()
    if request is None or getattr(request, "is_preview", False) or not request.user.is_authenticated or not module or not module.panel:
        return ""
    panel = module.panel(request, request.path)
    return render_to_string(panel.template, panel.context, request=request) if panel else ""


@register.filter
def euro(value):
    """Italian money format: € 1.234,56 (services/core/money.py)."""
    return money.euro(value)


@register.simple_tag
def debug_enabled():
    return settings.DEBUG


@register.filter
def json_ld(page, request):
    from home.models import EnteSettings

    return page.json_ld(request, EnteSettings.load(request_or_site=request))


@register.simple_tag(takes_context=True)
def cache_generation(context):
    """The page-cache generation: part of every fragment cache key, bumped on publish."""
    from home.cache import request_generation

    return request_generation(context["request"])


@register.filter
def top_section(path):
    """First segment of a URL path: what the header's active menu item depends on."""
    return path.strip("/").split("/", 1)[0][:50]


@register.filter
def dict_get(mapping, key):
    """`{{ mapping|dict_get:key }}`: a dictionary lookup with a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def procedure_title(code):
    """The title of a registered procedure (the code if it is no longer registered)."""
    from services.istanze.selectors import procedure_title as title

    return title(code)


@register.filter
def with_class(field, css_class):
    """A bound field's widget with `css_class` added (for forms of other apps, e.g. allauth's)."""
    attrs = {"class": f"{field.field.widget.attrs.get('class', '')} {css_class}".strip()}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.tag
def hole(parser, token):
    """``{% hole [signed_in_only] name=value … %}…{% endhole %}``: a part of a page rendered for each request even when
    the rest of the page is a kept shell (home/shell.py); with ``signed_in_only``, only for signed-in people (an
    anonymous visitor's shell keeps it). The values are resolved against the page's context when the hole renders."""
    bits = token.split_contents()[1:]
    signed_in_only = bool(bits) and bits[0] == "signed_in_only"
    if signed_in_only:
        bits = bits[1:]
    extra_context = token_kwargs(bits, parser, support_legacy=False)
    if bits:
        raise template.TemplateSyntaxError("'hole' takes only 'signed_in_only' and name=value arguments")
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist, extra_context, signed_in_only)

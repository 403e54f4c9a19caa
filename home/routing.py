"""One-query routing from the site root.

Wagtail's default routing walks the tree with one query per URL segment and a
second for the specific page. Here the whole chain (root → page) is read in one
query, liveness of every ancestor is checked, and the specific page is loaded in a
second query with the related rows its template needs. The chain is kept on the
request so breadcrumbs cost nothing. Paths that are not pages (routable sub-paths
such as a news feed) fall back to Wagtail's own routing.
"""

from django.http import Http404
from wagtail.models import Page


def route_from(root, request, path_components):
    if not path_components:
        return None
    prefixes = []
    current = root.url_path
    for component in path_components:
        current = f"{current}{component}/"
        prefixes.append(current)
    chain = list(
        Page.objects.filter(url_path__in=prefixes)
        .order_by("depth")
        .values("id", "title", "url_path", "live", "content_type_id", "depth")
    )
    if not chain or chain[-1]["url_path"] != prefixes[-1] or len(chain) != len(prefixes):
        return None  # not a page path: let Wagtail route (sub-routes, 404)
    if not all(item["live"] for item in chain):
        raise Http404
    target = chain[-1]
    model = _model_for(target["content_type_id"])
    if model is None:
        return None
    related = getattr(model, "route_select_related", ())
    page = model._default_manager.select_related(*related).get(id=target["id"])
    page._sportello_chain = [root] + [_Crumb(i["title"], i["url_path"]) for i in chain[:-1]]
    return page.route(request, [])


def _model_for(content_type_id):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_id(content_type_id).model_class()


class _Crumb:
    """An ancestor as the breadcrumbs need it, built from the routing query."""

    def __init__(self, title, url_path):
        self.title = title
        self.url_path = url_path

"""Template tags of the Wagtail admin's own templates."""

from django import template

from wagtail.admin.search import admin_search_areas

register = template.Library()


@register.simple_tag(takes_context=True)
def first_search_area(context):
    """The first search area the user may see (as the sidebar's search box uses), or None."""
    areas = admin_search_areas.search_items_for_request(context["request"])
    return areas[0] if areas else None

"""The readiness panel on the admin's dashboard, for administrators: the same checks as /salute/pronto/."""

from django.core.cache import cache

from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import health


class HealthPanel(Component):
    name = "health"
    order = 10
    template_name = "core/admin/health_panel.html"

    def get_context_data(self, parent_context):
        # the dashboard is opened often: the same report for 30 seconds, not a storage write and partner calls each time
        return cache.get_or_set("health:dashboard", health.readiness, 30)


@hooks.register("construct_homepage_panels")
def add_health_panel(request, panels):
    if request.user.is_superuser:
        panels.append(HealthPanel())


@hooks.register("insert_global_admin_css")
def admin_css():
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("sportello/admin.css"))

"""The readiness panel on the admin's dashboard, for administrators: the same checks as /salute/pronto/."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import health


class HealthPanel(Component):
    name = "health"
    order = 10
    template_name = "core/admin/health_panel.html"

    def get_context_data(self, parent_context):
        return health.readiness()


@hooks.register("construct_homepage_panels")
def add_health_panel(request, panels):
    if request.user.is_superuser:
        panels.append(HealthPanel())

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import selectors


class FeedbackSummaryView(WagtailAdminTemplateMixin, TemplateView):
    """Ratings per page for editors: how many, the average, lowest first."""

    page_title = _("Valutazioni per pagina")
    header_icon = "pick"
    template_name = "home/admin/feedback_summary.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("home.view_pagefeedback"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.feedback_summary()
        return context

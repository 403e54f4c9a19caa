"""Admin: payments listing with detail, reconciliation report."""

from django.contrib.admin import SimpleListFilter
from django.utils.translation import gettext_lazy as _

from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InspectView

from services.core.admin import ReadOnlyPermissionHelper

from . import purposes
from .models import PaymentPosition, ReconciliationIssue


class PositionsPermissionHelper(ReadOnlyPermissionHelper):
    list_permission = "payments.view_paymentposition"


class IssuesPermissionHelper(ReadOnlyPermissionHelper):
    list_permission = "payments.view_reconciliationissue"


class PurposeFilter(SimpleListFilter):
    title = _("causale")
    parameter_name = "causale"

    def lookups(self, request, model_admin):
        return [(code, p.label) for code, p in sorted(purposes._purposes.items())]

    def queryset(self, request, queryset):
        return queryset.filter(purpose=self.value()) if self.value() else queryset


class PositionInspectView(InspectView):
    def get_template_names(self):
        return ["payments/admin/inspect.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(position=self.instance, receipts=self.instance.receipts.all(), events=self.instance.events.all())
        return context


class PaymentPositionAdmin(ModelAdmin):
    model = PaymentPosition
    menu_label = _("Pagamenti")
    menu_icon = "tag"
    permission_helper_class = PositionsPermissionHelper
    inspect_view_enabled = True
    inspect_view_class = PositionInspectView
    list_display = ("nav", "purpose_label", "debtor", "amount", "status", "created_at", "paid_at")
    list_filter = ("status", PurposeFilter, "created_at", "paid_at")
    search_fields = ("nav", "iuv", "debtor_fiscal_code", "debtor_name")
    list_export = ("nav", "iuv", "purpose", "debtor_fiscal_code", "debtor_name", "amount", "status", "created_at", "paid_at")
    export_filename = "pagamenti"

    def purpose_label(self, obj):
        try:
            return purposes.get(obj.purpose).label
        except KeyError:
            return obj.purpose

    purpose_label.short_description = _("causale")

    def debtor(self, obj):
        return f"{obj.debtor_name} ({obj.debtor_fiscal_code})"

    debtor.short_description = _("debitore")


class ReconciliationIssueAdmin(ModelAdmin):
    model = ReconciliationIssue
    menu_label = _("Riconciliazione")
    menu_icon = "warning"
    permission_helper_class = IssuesPermissionHelper
    list_display = ("found_on", "kind", "iuv", "position", "resolved_at")
    list_filter = ("kind", "found_on")
    search_fields = ("iuv",)
    list_export = ("found_on", "kind", "iuv", "detail", "resolved_at")
    export_filename = "riconciliazione"


@modeladmin_register
class PaymentsGroup(ModelAdminGroup):
    menu_label = _("Pagamenti pagoPA")
    menu_icon = "tag"
    menu_order = 170
    items = (PaymentPositionAdmin, ReconciliationIssueAdmin)

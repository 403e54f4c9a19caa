"""Admin: the access register of the consultations of ANPR and INPS, read-only, for the Administrators (the DPO's
view of who read whose registry data, when and why)."""

from django.utils.translation import gettext_lazy as _

from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from services.core.admin import ReadOnlyPermissionHelper

from .models import Consultation


class ConsultationPermissionHelper(ReadOnlyPermissionHelper):
    list_permission = "pdnd.view_consultation"


@modeladmin_register
class ConsultationAdmin(ModelAdmin):
    model = Consultation
    menu_label = _("Consultazioni PDND")
    menu_icon = "list-ul"
    menu_order = 860
    permission_helper_class = ConsultationPermissionHelper
    list_display = ("created_at", "eservice", "outcome", "user", "reason", "reference", "duration_ms")
    list_filter = ("eservice", "outcome", "created_at")
    search_fields = ("reference", "tracking_id")
    ordering = ("-created_at",)

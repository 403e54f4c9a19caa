"""OEPAC in the admin: accredited organisations (editable), enrollments (read-only). Schools: services/schools."""

from django.contrib.admin import SimpleListFilter
from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from services.core.admin import ReadOnlyPermissionHelper

from .models import Enrollment, Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organismi accreditati")
    add_to_admin_menu = True
    menu_order = 160
    list_display = ["name", "fiscal_code", "active"]
    list_filter = ["ambiti", "active"]
    search_fields = ["name"]
    search_backend_name = None  # ORM search: parts of a name or code match; the search backend fails on SQLite when given fields


register_snippet(OrganisationViewSet)


class EnrollmentPermissionHelper(ReadOnlyPermissionHelper):
    list_permission = "istanze.view_istanza"  # the Municipio's operators


class OrganisationFilter(SimpleListFilter):
    title = _("organismo")
    parameter_name = "organismo"

    def lookups(self, request, model_admin):
        return [(str(o.pk), o.name) for o in Organisation.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(organisation_id=self.value()) if self.value() else queryset


class EnrollmentAdmin(ModelAdmin):
    """Active enrollments of the operator's Municipio: pupil, school, organisation."""

    model = Enrollment
    menu_label = _("Iscrizioni OEPAC")
    menu_icon = "list-ul"
    menu_order = 161
    permission_helper_class = EnrollmentPermissionHelper
    list_display = ("pupil_name", "school", "school_year", "organisation", "active")
    list_filter = ("school_year", "active", OrganisationFilter)
    search_fields = ("pupil_name", "pupil_fiscal_code", "school__name")
    list_export = ("pupil_name", "pupil_fiscal_code", "school", "school_year", "organisation", "active")
    export_filename = "iscrizioni-oepac"

    def get_queryset(self, request):
        rows = Enrollment.objects.select_related("school__ambito__office", "organisation")
        if request.user.is_superuser:
            return rows
        return rows.filter(school__ambito__office__in=request.user.offices.all())


modeladmin_register(EnrollmentAdmin)

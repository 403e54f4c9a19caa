"""Back-office in the Wagtail admin: applications of the operator's offices, their actions, ratings, dashboard."""

from django.contrib.admin import SimpleListFilter
from django.urls import path, reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem, SubmenuMenuItem
from wagtail.admin.search import SearchArea
from wagtail.admin.ui.components import Component

from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView, InspectView

from services.accounts.models import Office
from services.core import desk as core_desk
from services.core import rating as model_rating
from services.core.admin import ReadOnlyPermissionHelper

from . import admin_views, desk, registry, selectors, states
from .models import Istanza, ProcedureRating


class ProcedureFilter(SimpleListFilter):
    title = _("procedura")
    parameter_name = "procedura"

    def lookups(self, request, model_admin):
        return [(p.code, p.title) for p in registry.catalogue()]

    def queryset(self, request, queryset):
        return queryset.filter(procedure_code=self.value()) if self.value() else queryset


class OfficeFilter(SimpleListFilter):
    """Only the operator's own offices are offered (all of them to superusers)."""

    title = _("ufficio")
    parameter_name = "ufficio"

    def lookups(self, request, model_admin):
        offices = Office.objects.all() if request.user.is_superuser else request.user.offices.all()
        return [(str(o.pk), o.name) for o in offices.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(office_id=self.value()) if self.value() else queryset


class OverdueFilter(SimpleListFilter):
    title = _("scadenza")
    parameter_name = "scadenza"

    def lookups(self, request, model_admin):
        return [("scadute", _("Oltre la data massima di conclusione"))]

    def queryset(self, request, queryset):
        if self.value() == "scadute":
            from django.utils import timezone

            return queryset.filter(status__in=states.OPEN_OFFICE, due_date__lt=timezone.localdate())
        return queryset


class IstanzaPermissionHelper(ReadOnlyPermissionHelper):
    """Read and work only (actions are separate views); nobody creates, edits or deletes an application here."""

    list_permission = "istanze.view_istanza"

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user) and selectors.operator_may_open(user, obj)


class IstanzaIndexView(IndexView):
    def get_page_title(self):
        code = self.request.GET.get("procedura")
        return selectors.procedure_title(code) if code else _("Pratiche")


class IstanzaInspectView(InspectView):
    """The detail of one application with the actions the office can take now."""

    def __init__(self, model_admin, instance_pk):
        super().__init__(model_admin, instance_pk)
        self.instance_pk = instance_pk

    def dispatch(self, request, *args, **kwargs):
        self.instance = selectors.istanza_for_operator(request.user, self.instance_pk)  # 404 outside the offices
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return ["istanze/admin/inspect.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(desk.inspect_context(self.request, self.instance))
        return context


class IstanzaAdmin(ModelAdmin):
    model = Istanza
    menu_label = _("Pratiche")
    menu_icon = "form"
    add_to_admin_menu = False  # the "Istanze" submenu below lists one entry per procedure
    permission_helper_class = IstanzaPermissionHelper
    index_view_class = IstanzaIndexView
    inspect_view_enabled = True
    inspect_view_class = IstanzaInspectView
    list_display = ("number_link", "procedure_title", "applicant", "status_label", "submitted_at", "due_date_display", "office", "assigned_to")
    list_filter = ("status", ProcedureFilter, OfficeFilter, OverdueFilter, "submitted_at")
    search_fields = ("number", "owner__fiscal_code", "owner__first_name", "owner__last_name")

    def get_search_results(self, request, queryset, search_term):
        """By the application's number, the applicant, or a protocol number of any of its documents."""
        from services.protocol.selectors import source_pks_for_number

        found = super().get_search_results(request, queryset, search_term)
        pks = source_pks_for_number(Istanza, search_term)
        return (found | queryset.filter(pk__in=pks)) if pks else found
    list_export = ("number", "procedure_title", "applicant_name", "applicant_fiscal_code", "status_label", "submitted_at",
                   "taken_in_charge_at", "due_date", "office", "assigned_to")
    export_filename = "istanze"
    list_per_page = 50
    ordering = ("-submitted_at",)

    def get_queryset(self, request):
        return selectors.istanze_for_operator(request.user).select_related("owner", "office", "assigned_to").order_by("-submitted_at")

    def number_link(self, obj):
        url = reverse(self.url_helper.get_action_url_name("inspect"), args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.number)

    number_link.short_description = _("numero")

    def procedure_title(self, obj):
        return selectors.procedure_title(obj.procedure_code)

    procedure_title.short_description = _("procedura")

    def applicant(self, obj):
        return f"{obj.owner.get_full_name()} ({obj.owner.fiscal_code})"

    applicant.short_description = _("richiedente")

    def applicant_name(self, obj):
        return obj.owner.get_full_name()

    applicant_name.short_description = _("richiedente")

    def applicant_fiscal_code(self, obj):
        return obj.owner.fiscal_code

    applicant_fiscal_code.short_description = _("codice fiscale")

    def status_label(self, obj):
        return obj.get_status_display()

    status_label.short_description = _("stato")

    def due_date_display(self, obj):
        from django.utils import timezone

        if obj.due_date and obj.due_date < timezone.localdate() and obj.status in states.OPEN_OFFICE:
            return format_html('<strong class="w-text-critical-200">{} ({})</strong>', obj.due_date.strftime("%d/%m/%Y"), _("scaduta"))
        return obj.due_date.strftime("%d/%m/%Y") if obj.due_date else "—"

    due_date_display.short_description = _("conclusione entro")


modeladmin_register(IstanzaAdmin)


class RatingPermissionHelper(ReadOnlyPermissionHelper):
    list_permission = "istanze.view_procedurerating"


class RatingIndexView(IndexView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ratings_summary"] = selectors.ratings_summary()
        return context


class RatingAdmin(ModelAdmin):
    model = ProcedureRating
    menu_label = _("Valutazioni dei servizi")
    menu_icon = "pick"
    menu_order = 910
    add_to_settings_menu = False
    permission_helper_class = RatingPermissionHelper
    index_view_class = RatingIndexView
    index_template_name = "istanze/admin/ratings_index.html"
    list_display = ("procedure_title", "rating", "answer_label", "comment", "created_at")
    list_filter = ("rating", ProcedureFilter, "created_at")
    list_export = ("procedure_code", "rating", "answer", "comment", "created_at")
    export_filename = "valutazioni-servizi"

    def procedure_title(self, obj):
        return selectors.procedure_title(obj.procedure_code)

    procedure_title.short_description = _("procedura")

    def answer_label(self, obj):
        return model_rating.label(obj.answer)

    answer_label.short_description = _("risposta")


modeladmin_register(RatingAdmin)


class IstanzeMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm("istanze.view_istanza")


@hooks.register("register_admin_menu_item")
def register_istanze_menu():
    from wagtail.admin.menu import Menu

    index = reverse("istanze_istanza_modeladmin_index")
    items = [MenuItem(_("Tutte le pratiche"), index, icon_name="list-ul", order=1)]
    for n, procedure in enumerate(registry.catalogue(), start=2):
        items.append(MenuItem(procedure.title, f"{index}?procedura={procedure.code}", icon_name="form", order=n))
    return IstanzeMenuItem(_("Pratiche"), Menu(items=items), icon_name="form", order=150)


@hooks.register("register_admin_urls")
def register_office_action_urls():
    return [
        *core_desk.urls("pratiche/<id:pk>/azione/", "istanze"),
        path("pratiche/<id:pk>/ricevuta/", admin_views.office_receipt, name="istanze_office_receipt"),
    ]


class OfficeDashboardPanel(Component):
    name = "istanze_office"
    order = 50
    template_name = "istanze/admin/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {**selectors.office_dashboard(self.user), "index_url": reverse("istanze_istanza_modeladmin_index")}


@hooks.register("construct_homepage_panels")
def add_office_panel(request, panels):
    if request.user.is_superuser or request.user.has_perm("istanze.view_istanza"):
        panels.append(OfficeDashboardPanel(request.user))


class ApplicationsSearchArea(SearchArea):
    """Staff who work applications but edit no page search the applications (number, fiscal code, name):
    the admin's search box then lands on what they may see."""

    def is_shown(self, request):
        return request.user.has_perm("istanze.view_istanza")


@hooks.register("register_admin_search_area")
def register_applications_search_area():
    # A plain str: Wagtail's is_active() calls request.path.startswith(url), which refuses a lazy string (a 500 on every
    # admin search of a user who sees this area).
    return ApplicationsSearchArea(_("Pratiche"), str(reverse_lazy("istanze_istanza_modeladmin_index")), name="pratiche",
                                  icon_name="form", order=1000)

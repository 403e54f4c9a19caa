"""The builder in Wagtail's admin: procedures as snippets (revisions, locking, preview, the moderation workflow),
their published versions read-only, export and import of the shared JSON document."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import LOGIN_CHOICES, BuiltProcedure


class BuiltProcedureForm(WagtailAdminModelForm):
    class Meta:
        widgets = {"office": forms.Select}  # a Comune has a handful of offices: a menu, not a chooser

    login_methods = forms.MultipleChoiceField(
        label=_("Accesso con"), choices=LOGIN_CHOICES, widget=forms.CheckboxSelectMultiple, initial=["spid", "cie"],
        error_messages={"required": _("Scegli almeno un modo di accesso.")})


class BuiltProcedureViewSet(SnippetViewSet):
    model = BuiltProcedure
    icon = "form"
    menu_label = _("Procedure costruite")
    menu_order = 185
    add_to_admin_menu = True
    search_fields = ["title", "code"]

    list_display = ["title", "code", "office", "live", "version_links", "try_link"]
    inspect_view_enabled = True
    edit_handler = ObjectList(BuiltProcedure.panels, base_form_class=BuiltProcedureForm)


register_snippet(BuiltProcedureViewSet)


@hooks.register("register_admin_urls")
def register_builder_urls():
    return [
        path("procedure-costruite/importa/", admin_views.procedure_import, name="builder_import"),
        path("procedure-costruite/<int:pk>/esporta/", admin_views.procedure_export, name="builder_export"),
        path("procedure-costruite/<int:pk>/prova/", admin_views.procedure_try, name="builder_try"),
        path("procedure-costruite/<int:pk>/esporta/<int:number>/", admin_views.procedure_export, name="builder_export_version"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_import_menu():
    return PermissionMenuItem(_("Importa una procedura"), reverse("builder_import"), icon_name="upload", order=186,
                              permission="builder.add_builtprocedure")

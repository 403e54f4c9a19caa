"""Admin: the registrations, with the queue of those that failed or wait for a number typed by hand."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wagtail import hooks

from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InspectView

from services.core.admin import ReadOnlyPermissionHelper
from services.core.workflow import TransitionError

from . import actions, port
from .forms import ManualNumberForm
from .models import Profile, Registration
from .states import Status

ACT = "protocol.change_registration"


class RegistrationsPermissionHelper(ReadOnlyPermissionHelper):
    list_permission = "protocol.view_registration"


class RegistrationInspectView(InspectView):
    def get_template_names(self):
        return ["protocol/admin/inspect.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration = self.instance
        adapter = port.adapter(registration.adapter)
        context.update(registration=registration, adapter_label=adapter.label if adapter else registration.adapter,
                       can_act=self.request.user.has_perm(ACT),
                       manual_form=ManualNumberForm(),
                       offers_manual=registration.status in (Status.MANUAL, Status.FAILED),
                       offers_retry=registration.status == Status.FAILED)
        return context


class RegistrationAdmin(ModelAdmin):
    model = Registration
    menu_label = _("Protocollazioni")
    menu_icon = "doc-full"
    permission_helper_class = RegistrationsPermissionHelper
    inspect_view_enabled = True
    inspect_view_class = RegistrationInspectView
    list_display = ("created_at", "kind", "direction", "subject", "status", "number", "registered_on", "attempts")
    list_filter = ("status", "kind", "direction", "created_at")
    search_fields = ("number", "subject")
    ordering = ("-created_at",)


class ProfileAdmin(ModelAdmin):
    """Where each document goes: the ente's IPA code, AOO and register, and per procedure the classification, file
    and office. A scoped row's empty fields take the ente's."""

    model = Profile
    menu_label = _("Impostazioni di protocollo")
    menu_icon = "cog"
    list_display = ("__str__", "aoo", "register", "classification", "file_reference", "office")
    ordering = ("scope",)


class ProtocolGroup(ModelAdminGroup):
    menu_label = _("Protocollo")
    menu_icon = "doc-full"
    menu_order = 450
    items = (RegistrationAdmin, ProfileAdmin)


modeladmin_register(ProtocolGroup)


def _registration(request, pk):
    if not request.user.has_perm(ACT):
        raise PermissionDenied
    return get_object_or_404(Registration, pk=pk)


def _back(registration):
    return redirect(RegistrationAdmin().url_helper.get_action_url("inspect", registration.pk))


@require_POST
def retry_view(request, pk):
    registration = _registration(request, pk)
    try:
        actions.registration_retry(registration=registration, by=request.user)
        messages.success(request, _("Protocollazione inviata di nuovo al sistema di protocollo."))
    except TransitionError as error:
        messages.error(request, str(error))
    return _back(registration)


@require_POST
def manual_view(request, pk):
    registration = _registration(request, pk)
    form = ManualNumberForm(request.POST)
    if form.is_valid():
        try:
            actions.registration_record_manual(registration=registration, number=form.cleaned_data["number"],
                                               on=form.cleaned_data["registered_on"], by=request.user)
            messages.success(request, _("Numero di protocollo registrato."))
            return _back(registration)
        except actions.ManualNumberError as error:
            form.add_error("number", str(error))
        except TransitionError as error:
            messages.error(request, str(error))
            return _back(registration)
    view = RegistrationInspectView.as_view(model_admin=RegistrationAdmin(), instance_pk=str(pk))
    request.method = "GET"  # the inspect page again, with the form's errors next to its fields and the values kept
    response = view(request, instance_pk=str(pk))
    response.context_data["manual_form"] = form
    return response


@hooks.register("register_admin_urls")
def urls():
    return [path("protocollo/<int:pk>/riprova/", retry_view, name="protocol_retry"),
            path("protocollo/<int:pk>/numero/", manual_view, name="protocol_manual")]

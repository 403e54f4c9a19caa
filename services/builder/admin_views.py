"""Admin views around a built procedure: its JSON document to share with other Comuni, and the import of one."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from services.accounts.models import Office
from services.core.decorators import private_no_store

from . import actions
from .models import BuiltProcedure, ProcedureVersion

MAX_DOCUMENT_BYTES = 512 * 1024


@private_no_store
def procedure_export(request, pk: int, number: int | None = None):
    """The published version (or a given one) as the shared document, downloaded as a file."""
    if not request.user.has_perm("builder.change_builtprocedure"):
        raise PermissionDenied
    procedure = get_object_or_404(BuiltProcedure, pk=pk)
    versions = ProcedureVersion.objects.filter(procedure=procedure).order_by("-number")
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise Http404
    response = JsonResponse(actions.export_document(version), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{procedure.code.lower()}-v{version.number}.json"'
    return response


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Documento JSON della procedura"),
                           error_messages={"required": _("Scegli il file da importare.")})
    office = forms.ModelChoiceField(label=_("Ufficio competente"), queryset=Office.objects.order_by("name"), required=False,
                                    help_text=_("Si può scegliere anche dopo, prima di pubblicare."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("Il file è troppo grande per una procedura (massimo 512 kB)."))
        try:
            document = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise forms.ValidationError(_("Il file non è un documento JSON leggibile.")) from error
        problems = actions.import_problems(document)
        if problems:
            raise forms.ValidationError(problems)
        return document


@private_no_store
def procedure_import(request):
    if not request.user.has_perm("builder.add_builtprocedure"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            procedure = actions.procedure_import(document=form.cleaned_data["file"], office=form.cleaned_data["office"])
        except actions.DefinitionError as error:
            form.add_error("file", error.problems)
        else:
            messages.success(request, _g("Procedura «%(title)s» importata come bozza: controllala, scegli l'ufficio e "
                                         "pubblicala.") % {"title": procedure.title})
            return redirect("wagtailsnippets_builder_builtprocedure:edit", procedure.pk)
    return TemplateResponse(request, "builder/admin/import.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@private_no_store
def procedure_try(request, pk: int):
    """Prova come cittadino: what a test is (GET), then (POST) the latest draft frozen as a test version and its start
    page in the personal area."""
    if not request.user.has_perm("builder.change_builtprocedure"):
        raise PermissionDenied
    procedure = get_object_or_404(BuiltProcedure, pk=pk)
    if request.method == "GET":
        return TemplateResponse(request, "builder/admin/try.html", {"procedure": procedure})
    try:
        version = actions.version_for_test(procedure=procedure, by=request.user)
    except actions.DefinitionError as error:
        messages.error(request, _g("La bozza non si può provare: %(problems)s") % {"problems": " ".join(error.problems)})
        return redirect("wagtailsnippets_builder_builtprocedure:edit", procedure.pk)
    return redirect("istanze:start", version.code)

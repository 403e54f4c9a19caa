"""The regional office's pages in the admin: the survey's dashboard (with its exports) and the yearly upload of the
ISTAT population table."""

import csv
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from services.core import charts
from services.core.decorators import private_no_store
from services.core.exports import csv_response, xlsx_bytes

from . import dashboard
from .models import ChildPopulation, Cpt, SurveyComune
from .ril03 import EDITION
from .views import deadline


class DashboardFilters(forms.Form):
    provincia = forms.ChoiceField(label=_("Provincia"), required=False)
    cpt = forms.ModelChoiceField(label=_("CPT"), required=False, queryset=Cpt.objects.all(), empty_label=_("Tutti i CPT"))
    comune = forms.ModelChoiceField(label=_("Comune"), required=False, queryset=SurveyComune.objects.all(), empty_label=_("Tutti i Comuni"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = SurveyComune.objects.exclude(province="").values_list("province", flat=True).distinct().order_by("province")
        self.fields["provincia"].choices = [("", _g("Tutte le province"))] + [(p, p) for p in provinces]

    def options(self) -> list[dict]:
        """The three selects as plain values, drawn by the template: a Region has ~1,200 Comuni, and Django's widget
        templates take a third of a second for a select that long."""
        chosen = {name: str(self.data.get(name, "")) for name in self.fields}
        lists = {"provincia": [(v, label) for v, label in self.fields["provincia"].choices],
                 "cpt": [("", _g("Tutti i CPT"))] + [(str(pk), name) for pk, name in Cpt.objects.values_list("pk", "name")],
                 "comune": [("", _g("Tutti i Comuni"))] + [(str(pk), name) for pk, name in SurveyComune.objects.values_list("pk", "name")]}
        return [{"name": name, "id": f"id_{name}", "label": self.fields[name].label,
                 "options": format_html_join("", '<option value="{}"{}>{}</option>',
                                             ((v, mark_safe(" selected") if v == chosen[name] else "", label) for v, label in lists[name])),
                 "errors": self.errors.get(name, []) if self.is_bound else []} for name in self.fields]

    def filters(self) -> dashboard.Filters:
        if not self.is_valid():
            return dashboard.Filters()
        data = self.cleaned_data
        return dashboard.Filters(province=data.get("provincia") or "", cpt=data["cpt"].pk if data.get("cpt") else None,
                                 comune=data["comune"].pk if data.get("comune") else None)


@private_no_store
def survey_dashboard(request):
    if not request.user.has_perm("procedures.view_survey_dashboard"):
        raise PermissionDenied
    form = DashboardFilters(request.GET or None)
    blocks = dashboard.build(EDITION.year, form.filters(), deadline=deadline(), today=timezone.localdate())
    wanted = request.GET.get("esporta", "")
    if wanted:
        block = next((b for b in blocks if b.key == request.GET.get("blocco")), None)
        if block is not None and wanted in ("csv", "xlsx"):
            name = f"rilevazione-0-3-{EDITION.year}-{block.key}"
            if wanted == "csv":
                return csv_response(f"{name}.csv", block.header, block.rows)
            response = HttpResponse(xlsx_bytes(block.header, block.rows, title=block.title),
                                    content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
    query = request.GET.copy()
    query.pop("esporta", None)
    query.pop("blocco", None)
    return TemplateResponse(request, "procedures/admin/dashboard.html", {
        "filters": form.options(), "blocks": [(b, charts.horizontal_bars(b.chart)) for b in blocks], "edition": EDITION,
        "query": query.urlencode(), "deadline": deadline()})


class PopulationUploadForm(forms.Form):
    year = forms.IntegerField(label=_("Anno (1° gennaio)"), min_value=2000, max_value=2100,
                              error_messages={"required": _("Indica l'anno della rilevazione ISTAT."), "invalid": _("Scrivi un anno, ad esempio 2026.")})
    file = forms.FileField(label=_("File CSV (codice_istat;bambini_0_2)"),
                           error_messages={"required": _("Scegli il file CSV dell'ISTAT.")})

    MAX_BYTES = 2 * 1024 * 1024
    MAX_CHILDREN = 1_000_000  # more than any Comune has: a larger figure is a typing error (and would overflow the column)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Il file supera 2 MB: carica la sola tabella dei Comuni della Regione."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Il file non è un CSV in UTF-8.")) from error
        rows, problems = [], []
        reader = csv.reader(io.StringIO(text), delimiter=";")
        for number, row in enumerate(reader, 1):
            if not row or (number == 1 and not row[0].strip().isdigit()):
                continue  # blank lines and the header
            if (len(row) < 2 or not row[0].strip().isdigit() or len(row[0].strip()) > 6 or not row[1].strip().isdigit()
                    or int(row[1]) > self.MAX_CHILDREN):
                problems.append(number)
                continue
            rows.append((row[0].strip().zfill(6), int(row[1].strip())))
        if problems:
            raise forms.ValidationError(_("Righe non valide: %(rows)s. Ogni riga è codice ISTAT;numero di bambini.")
                                        % {"rows": ", ".join(map(str, problems[:20]))})
        if not rows:
            raise forms.ValidationError(_("Il file non contiene righe di dati."))
        return rows


@private_no_store
def population_upload(request):
    if not request.user.has_perm("procedures.add_childpopulation"):
        raise PermissionDenied
    form = PopulationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        year, rows = form.cleaned_data["year"], form.cleaned_data["file"]
        comuni = dict(SurveyComune.objects.values_list("istat_code", "pk"))
        unknown = [code for code, _n in rows if code not in comuni]
        with transaction.atomic():
            for code, children in rows:
                if code in comuni:
                    ChildPopulation.objects.update_or_create(comune_id=comuni[code], year=year, defaults={"children": children})
        messages.success(request, _g("Popolazione %(year)d caricata per %(n)d Comuni.") % {"year": year, "n": len(rows) - len(unknown)}
                         + ((" " + _g("Codici ISTAT non nella rilevazione, ignorati: %(codes)s.") % {"codes": ", ".join(unknown[:20])}) if unknown else ""))
        return redirect("procedures_population_upload")
    return TemplateResponse(request, "procedures/admin/population_upload.html", {"form": form})

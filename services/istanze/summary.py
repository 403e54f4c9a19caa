"""What the citizen filled in, as JSON values (Istanza.data) and as text rows (Istanza.summary)."""

import datetime
from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

from services.core.money import format_euro, format_number


def json_value(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UploadedFile):
        return value.name
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if hasattr(value, "__iter__") and not isinstance(value, (str, dict)):  # querysets of multiple choices
        return [json_value(v) for v in value]
    return value


def display_value(field: forms.Field, value) -> str:
    if value in (None, "", [], ()):
        return "—"
    if isinstance(field, forms.BooleanField):
        return _("Sì") if value else _("No")
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):

        from services.core.forms import EuroField

        if isinstance(field, EuroField):
            return f"€ {format_euro(value)}"
        return format_number(value)
    if isinstance(value, UploadedFile):
        return value.name
    if isinstance(value, Model):
        return str(value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = dict((str(k), v) for k, v in _flat_choices(field.choices))
        if isinstance(value, (list, tuple)):
            return ", ".join(str(choices.get(str(v), v)) for v in value)
        return str(choices.get(str(value), value))
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return ", ".join(str(v) for v in value)
    return str(value)


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield key, label


def form_rows(form: forms.Form) -> list:
    if hasattr(form, "summary_rows"):
        return form.summary_rows()
    return field_rows(form)


def field_rows(form: forms.Form) -> list:
    """Label and display value of every field, in order."""
    return [
        [str(form[name].label), display_value(field, form.cleaned_data.get(name))]
        for name, field in form.fields.items()
        if name not in ("DELETE", "ORDER")
    ]


def form_values(form) -> dict | list:
    if isinstance(form, BaseFormSet):
        return [{k: json_value(v) for k, v in f.cleaned_data.items() if k != "DELETE"} for f in kept_rows(form)]
    return {name: json_value(value) for name, value in form.cleaned_data.items()}


def kept_rows(formset):
    if getattr(formset, "fixed", False):  # rows given by the procedure (e.g. preloaded services): all of them count
        return list(formset.forms)
    return [f for f in formset.forms if f.has_changed() and not (formset.can_delete and f.cleaned_data.get("DELETE"))]


def section(title: str, form) -> dict:
    if isinstance(form, BaseFormSet):
        item_label = getattr(form, "item_label", _("Elemento"))
        items = [
            {"title": getattr(f, "legend", None) or f"{item_label} {n}", "rows": form_rows(f)}
            for n, f in enumerate(kept_rows(form), start=1)
        ]
        return {"title": title, "rows": [], "items": items}
    return {"title": title, "rows": form_rows(form), "items": []}

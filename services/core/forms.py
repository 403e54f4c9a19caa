"""The form kit every app uses: the base form (Bootstrap Italia classes, ARIA links between a field and its error, no
`maxlength` that cuts pasted text) and the shared fields — attachments checked on their content, codice fiscale, phone
numbers, Italian decimals, euro amounts and dates."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

import filetype

from . import fiscal_code
from .money import NumberError, parse_decimal
from .phones import PhoneError, normalise_phone


class SportelloFormMixin:
    """Bootstrap Italia classes and the ARIA links between a field and its error."""

    required_css_class = "required"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            self.style(field)

    @staticmethod
    def style(field):
        """Classes for a field, and no `maxlength`: a browser cuts pasted text at it without a word,
        so the server says how long it may be, next to the field (fields added later call this too)."""
        widget = field.widget
        widget.attrs.pop("maxlength", None)
        if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.FileInput):
            widget.attrs.setdefault("class", "form-control upload")
        else:
            widget.attrs.setdefault("class", "form-control")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self.add_prefix(name)}-error"


class SportelloForm(SportelloFormMixin, forms.Form):
    pass


def lazy_format(template, values):
    """A string formatted when it is shown, so settings changed later are reflected."""
    from django.utils.functional import lazy

    return lazy(lambda: str(template) % values(), str)()


PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
TYPE_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
# A file name is kept as the citizen gave it (Attachment.original_name) and the wizard stores the
# file under it until the application is sent: well below the file systems' 255 bytes.
MAX_NAME_LENGTH = 120


class AttachmentField(forms.FileField):
    """A file whose real type (magic bytes, not the name or the browser's word) is in the allow-list."""

    def __init__(self, *, allowed=(PDF, JPEG, PNG), max_bytes=None, sensitive=False, **kwargs):
        self.allowed = tuple(allowed)
        self._max_bytes = max_bytes
        self.sensitive = sensitive
        kwargs.setdefault(
            "help_text",
            lazy_format(
                _("Formati ammessi: %(types)s. Dimensione massima %(size)s."),
                lambda: {"types": ", ".join(TYPE_NAMES.get(t, t) for t in self.allowed), "size": filesizeformat(self.max_bytes)},
            ),
        )
        kwargs.setdefault("error_messages", {"required": _("Allega il documento.")})
        super().__init__(**kwargs)

    @property
    def max_bytes(self):
        return self._max_bytes or settings.ATTACHMENT_MAX_BYTES

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if upload.size == 0:
            raise forms.ValidationError(_("Il file è vuoto."), code="empty")
        if len(upload.name or "") > MAX_NAME_LENGTH:
            raise forms.ValidationError(
                _("Il nome del file è troppo lungo (%(length)d caratteri): rinominalo con al massimo %(max)d caratteri e allegalo di nuovo.")
                % {"length": len(upload.name), "max": MAX_NAME_LENGTH},
                code="name_too_long",
            )
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("Il file pesa %(size)s: il massimo è %(max)s.") % {"size": filesizeformat(upload.size), "max": filesizeformat(self.max_bytes)},
                code="too_big",
            )
        upload.seek(0)
        kind = filetype.guess(upload.read(262))
        upload.seek(0)
        if kind is None or kind.mime not in self.allowed:
            raise forms.ValidationError(
                _("Il contenuto del file non è di un formato ammesso (%(types)s).")
                % {"types": ", ".join(TYPE_NAMES.get(t, t) for t in self.allowed)},
                code="type",
            )
        upload.content_type = kind.mime  # the checked type, not the browser's claim
        return upload


class FiscalCodeField(forms.CharField):
    default_error_messages = {"invalid": _("Il codice fiscale non è valido: controlla di averlo scritto bene.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 16)
        kwargs.setdefault("min_length", None)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocapitalize": "characters", "spellcheck": "false"})

    def to_python(self, value):
        return fiscal_code.normalize(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and not fiscal_code.is_valid(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")




class PhoneField(forms.CharField):
    """A telephone number, checked and kept in E.164 by the project's one rule (services/core/phones.py)."""

    def __init__(self, *, mobile: bool = False, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.mobile = mobile
        self.widget.input_type = "tel"
        self.widget.attrs.setdefault("autocomplete", "tel")

    def clean(self, value):
        value = super().clean(value)
        try:
            return normalise_phone(value, mobile=self.mobile)
        except PhoneError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


class ItalianDecimalField(forms.CharField):
    """A number as Italians write it (12,5 or 1.234,56), at least zero, with at most `decimals` decimals."""

    default_error_messages = {"invalid": _("Scrivi un numero, ad esempio 12,5."), "max": _("Il valore massimo è %(max)s.")}

    def __init__(self, *, decimals=2, max_value=None, **kwargs):
        self.decimals, self.max_value = decimals, max_value
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        from decimal import Decimal

        try:
            number = parse_decimal(super().to_python(value))
        except NumberError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if number is None:
            return None
        if number < 0 or number != number.quantize(Decimal(1).scaleb(-self.decimals)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if self.max_value is not None and number > self.max_value:
            raise forms.ValidationError(self.error_messages["max"], code="max", params={"max": self.max_value})
        return number.quantize(Decimal(1).scaleb(-self.decimals))


class EuroField(ItalianDecimalField):
    default_error_messages = {"invalid": _("Scrivi l'importo in euro, ad esempio 1.234,56 (anche 0,00).")}


class ItalianDateField(forms.DateField):
    """dd/mm/yyyy, as Italians write it; the HTML date picker's yyyy-mm-dd works too."""

    input_formats = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
    default_error_messages = {"invalid": _("Scrivi la data come gg/mm/aaaa.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "gg/mm/aaaa", "inputmode": "numeric"}))
        super().__init__(**kwargs)


def birth_date_from_fiscal_code(value: str):
    """The birth date encoded in a valid codice fiscale."""
    return fiscal_code.birth_date(value)


def check_birth_date(form, *, code_field="codice_fiscale", date_field="data_nascita") -> None:
    """In a form's clean(): the birth date typed must be the one encoded in the codice fiscale."""
    code, born = form.cleaned_data.get(code_field), form.cleaned_data.get(date_field)
    if code and born and birth_date_from_fiscal_code(code) != born:
        form.add_error(date_field, _("La data di nascita non corrisponde al codice fiscale."))

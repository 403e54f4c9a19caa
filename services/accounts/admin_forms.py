"""Wagtail admin user forms with the codice fiscale and office membership."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.users.forms import UserCreationForm, UserEditForm

from services.core import fiscal_code

from .models import Office


class _StaffFields(forms.ModelForm):
    fiscal_code = forms.CharField(label=_("Codice fiscale"), required=False, max_length=22)
    offices = forms.ModelMultipleChoiceField(
        label=_("Uffici"), queryset=Office.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Le pratiche e i dati visibili all'utente sono limitati a questi uffici."),
    )

    def clean_fiscal_code(self):
        value = fiscal_code.normalize(self.cleaned_data.get("fiscal_code", ""))
        if not value:
            return None
        if not fiscal_code.is_valid(value):
            raise forms.ValidationError(_("Il codice fiscale non è valido: controlla i caratteri e l'ultima lettera."))
        return value


class StaffCreationForm(_StaffFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"fiscal_code", "offices"}


class StaffEditForm(_StaffFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"fiscal_code", "offices"}

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SchoolFunction


class FunctionsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=SchoolFunction.choices, label=_("Funzioni"),
                         error_messages={"required": _("Scegli almeno una funzione.")}, **kwargs)


class RoleAddForm(forms.Form):
    fiscal_code = forms.CharField(label=_("Codice fiscale"), max_length=20,
                                  help_text=_("La persona entrerà con SPID o CIE: al primo accesso troverà la scuola nella sua area personale."),
                                  error_messages={"required": _("Scrivi il codice fiscale.")})
    functions = FunctionsField()


class RoleFunctionsForm(forms.Form):
    functions = FunctionsField()

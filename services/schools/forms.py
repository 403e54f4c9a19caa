from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SchoolFunction, functions_for


class FunctionsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=SchoolFunction.choices, label=_("Funzioni"),
                         error_messages={"required": _("Scegli almeno una funzione.")}, **kwargs)


class _SchoolForm(forms.Form):
    """The functions offered are the school's: those the Comune grants only where it granted them."""

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        if school is not None:
            self.fields["functions"].choices = functions_for(school)


class RoleAddForm(_SchoolForm):
    fiscal_code = forms.CharField(label=_("Codice fiscale"), max_length=20,
                                  help_text=_("La persona entrerà con SPID o CIE: al primo accesso troverà la scuola nella sua area personale."),
                                  error_messages={"required": _("Scrivi il codice fiscale.")})
    functions = FunctionsField()


class RoleFunctionsForm(_SchoolForm):
    functions = FunctionsField()

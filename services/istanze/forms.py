from django import forms
from django.utils.translation import gettext_lazy as _

from .states import Status


class SearchForm(forms.Form):
    number = forms.CharField(label=_("Numero"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("Stato"), required=False, choices=[("", _("Tutti gli stati"))] + Status.choices)
    date_from = forms.DateField(label=_("Dal"), required=False, error_messages={"invalid": _("Scrivi la data come gg/mm/aaaa.")})
    date_to = forms.DateField(label=_("Al"), required=False, error_messages={"invalid": _("Scrivi la data come gg/mm/aaaa.")})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_to"] < cleaned["date_from"]:
            self.add_error("date_to", _("La data finale deve venire dopo quella iniziale."))
        return cleaned

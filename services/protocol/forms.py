from django import forms
from django.utils.translation import gettext_lazy as _

from services.core.forms import ItalianDateField


class ManualNumberForm(forms.Form):
    """What the protocol office typed after registering the document by hand."""

    number = forms.CharField(label=_("Numero di protocollo"), max_length=30,
                             error_messages={"required": _("Scrivi il numero di protocollo.")},
                             help_text=_("Almeno 7 cifre, come lo dà il sistema di protocollo (es. 0001234)."))
    registered_on = ItalianDateField(label=_("Data di protocollo"), error_messages={"required": _("Scrivi la data di protocollo.")})

from django import forms
from django.utils.translation import gettext_lazy as _

from services.core.money import AmountError, format_euro
from services.payments import purposes

from .actions import TOPUP


class TopUpForm(forms.Form):
    amount = forms.CharField(label=_("Importo della ricarica (euro)"), max_length=12,
                             error_messages={"required": _("Scrivi l'importo della ricarica.")})
    how = forms.ChoiceField(
        label=_("Come vuoi pagare?"), widget=forms.RadioSelect,
        choices=[("online", _("Online ora, con pagoPA")), ("avviso", _("Con l'avviso di pagamento, in un punto abilitato (tabaccheria, banca, ufficio postale)"))],
        error_messages={"required": _("Scegli come pagare.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        purpose = purposes.get(TOPUP)  # the limits are the payment purpose's, shown here and checked by payments
        low, high = (format_euro(v) for v in (purpose.min_amount, purpose.max_amount))
        self.fields["amount"].help_text = _("Da € %(low)s a € %(high)s, con al massimo due decimali.") % {"low": low, "high": high}
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "class": "form-control", "autocomplete": "off"})

    def clean_amount(self):
        try:
            return purposes.get(TOPUP).amount(self.cleaned_data["amount"])
        except AmountError as error:
            raise forms.ValidationError(str(error)) from error

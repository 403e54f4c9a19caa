from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from services.core.money import AmountError, format_euro, parse_amount


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
        low, high = (format_euro(v) for v in (settings.MEALS_TOPUP_MIN, settings.MEALS_TOPUP_MAX))
        self.fields["amount"].help_text = _("Da € %(low)s a € %(high)s, con al massimo due decimali.") % {"low": low, "high": high}
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "class": "form-control", "autocomplete": "off"})

    def clean_amount(self):
        try:
            value = parse_amount(self.cleaned_data["amount"], maximum=settings.MEALS_TOPUP_MAX)
        except AmountError as error:
            raise forms.ValidationError(str(error)) from error
        if value < settings.MEALS_TOPUP_MIN:
            raise forms.ValidationError(_("La ricarica minima è € %(low)s.") % {"low": format_euro(settings.MEALS_TOPUP_MIN)})
        return value

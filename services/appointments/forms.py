from django import forms
from django.utils.translation import gettext_lazy as _

from services.core.forms import SportelloForm
from services.core.phones import PhoneError, normalise_phone

REASON_MAX = 200


class DetailsForm(SportelloForm):
    reason = forms.CharField(label=_("Motivo dell'appuntamento"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Al massimo %(n)s caratteri.") % {"n": REASON_MAX},
                             error_messages={"required": _("Scrivi in breve il motivo."),
                                             "max_length": _("Il motivo può avere al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")})


class ApplicantForm(SportelloForm):
    first_name = forms.CharField(label=_("Nome"), max_length=100, error_messages={"required": _("Scrivi il tuo nome.")})
    last_name = forms.CharField(label=_("Cognome"), max_length=100, error_messages={"required": _("Scrivi il tuo cognome.")})
    email = forms.EmailField(label=_("E-mail"), help_text=_("Ti scriveremo qui la conferma e il promemoria."),
                             error_messages={"required": _("Scrivi il tuo indirizzo e-mail."),
                                             "invalid": _("L'indirizzo e-mail non è valido: controlla di averlo scritto bene.")})
    phone = forms.CharField(label=_("Telefono"), max_length=30, required=False, help_text=_("Facoltativo, per avvisarti se l'ufficio chiude."))

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except PhoneError as error:
            raise forms.ValidationError(str(error)) from error


class CancelForm(SportelloForm):
    code = forms.CharField(label=_("Codice di annullamento"), max_length=60,
                           help_text=_("È nell'e-mail di conferma dell'appuntamento."),
                           error_messages={"required": _("Scrivi il codice di annullamento.")})

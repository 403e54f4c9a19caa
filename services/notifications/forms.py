from django import forms
from django.utils.translation import gettext_lazy as _

from . import audiences

SMS_MAX = 320  # two SMS segments
SUBJECT_MAX = 90  # App IO's subject is at most 120 characters, with the ente's name after it


class BroadcastForm(forms.Form):
    audience = forms.ChoiceField(label=_("Famiglie del servizio"), error_messages={"required": _("Scegli il servizio.")})
    by_io = forms.BooleanField(label=_("Invia in App IO (alle famiglie che la usano)"), required=False, initial=True)
    by_email = forms.BooleanField(label=_("Invia per e-mail"), required=False, initial=True)
    by_sms = forms.BooleanField(label=_("Invia per SMS (solo ai cellulari verificati)"), required=False)
    subject = forms.CharField(label=_("Oggetto"), error_messages={"required": _("Scrivi l'oggetto.")},
                              help_text=_("Al massimo %(n)s caratteri.") % {"n": SUBJECT_MAX})
    body = forms.CharField(label=_("Testo"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Per l'SMS al massimo 320 caratteri."), error_messages={"required": _("Scrivi il testo.")})
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [("", _("Scegli"))] + audiences.choices()
        for found in audiences.filters():  # registered by the apps that own them: a school, a bus route
            self.fields[found.name] = forms.ModelChoiceField(label=found.label, queryset=found.queryset(), required=False,
                                                             empty_label=found.empty_label)
        self.order_fields(["audience", *(f.name for f in audiences.filters())])

    def chosen_filters(self) -> dict:
        return {f.name: self.cleaned_data.get(f.name) for f in audiences.filters()}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("by_io") and not cleaned.get("by_email") and not cleaned.get("by_sms"):
            self.add_error("by_io", _("Scegli almeno un canale: App IO, e-mail o SMS."))
        if len(cleaned.get("subject") or "") > SUBJECT_MAX:
            self.add_error("subject", _("L'oggetto può avere al massimo %(n)s caratteri: ora ne ha %(len)s.")
                           % {"n": SUBJECT_MAX, "len": len(cleaned["subject"])})
        if cleaned.get("by_sms") and len(cleaned.get("body") or "") > SMS_MAX:
            self.add_error("body", _("Per l'SMS il testo può avere al massimo %(n)s caratteri: ora ne ha %(len)s.")
                           % {"n": SMS_MAX, "len": len(cleaned["body"])})
        if cleaned.get("audience"):
            accepted = audiences.get(cleaned["audience"]).filters
            for found in audiences.filters():
                if cleaned.get(found.name) and found.name not in accepted:
                    self.add_error(found.name, found.not_applicable or _("Questo filtro non vale per il servizio scelto."))
        return cleaned

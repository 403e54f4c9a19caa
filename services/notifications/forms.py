from django import forms
from django.utils.translation import gettext_lazy as _

from . import audiences, channels

SUBJECT_MAX = 90  # App IO's subject is at most 120 characters, with the ente's name after it


class BroadcastForm(forms.Form):
    audience = forms.ChoiceField(label=_("Famiglie del servizio"), error_messages={"required": _("Scegli il servizio.")})
    channels = forms.MultipleChoiceField(label=_("Canali"), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("Scegli almeno un canale.")})
    subject = forms.CharField(label=_("Oggetto"), error_messages={"required": _("Scrivi l'oggetto.")},
                              help_text=_("Al massimo %(n)s caratteri.") % {"n": SUBJECT_MAX})
    body = forms.CharField(label=_("Testo"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Per l'SMS al massimo 320 caratteri."), error_messages={"required": _("Scrivi il testo.")})
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [("", _("Scegli"))] + audiences.choices()
        offered = [c for c in channels.ordered() if c.broadcast_label]  # the registered channels a broadcast may use
        self.fields["channels"].choices = [(c.code, c.broadcast_label) for c in offered]
        self.fields["channels"].initial = [c.code for c in offered if c.broadcast_default]
        for found in audiences.filters():  # registered by the apps that own them: a school, a bus route
            self.fields[found.name] = forms.ModelChoiceField(label=found.label, queryset=found.queryset(), required=False,
                                                             empty_label=found.empty_label)
        self.order_fields(["audience", *(f.name for f in audiences.filters()), "channels"])

    def chosen_filters(self) -> dict:
        return {f.name: self.cleaned_data.get(f.name) for f in audiences.filters()}

    def clean(self):
        cleaned = super().clean()
        if len(cleaned.get("subject") or "") > SUBJECT_MAX:
            self.add_error("subject", _("L'oggetto può avere al massimo %(n)s caratteri: ora ne ha %(len)s.")
                           % {"n": SUBJECT_MAX, "len": len(cleaned["subject"])})
        for code in cleaned.get("channels") or []:  # a channel's own limits (the SMS's 320 characters)
            error = channels.get(code).broadcast_error(cleaned.get("subject") or "", cleaned.get("body") or "")
            if error and "body" not in self.errors:
                self.add_error("body", error)
        if cleaned.get("audience"):
            accepted = audiences.get(cleaned["audience"]).filters
            for found in audiences.filters():
                if cleaned.get(found.name) and found.name not in accepted:
                    self.add_error(found.name, found.not_applicable or _("Questo filtro non vale per il servizio scelto."))
        return cleaned

from django import forms
from django.utils.translation import gettext_lazy as _

from services.oepac.models import School

from . import audiences

SMS_MAX = 320  # two SMS segments


class BroadcastForm(forms.Form):
    audience = forms.ChoiceField(label=_("Famiglie del servizio"), error_messages={"required": _("Scegli il servizio.")})
    school = forms.ModelChoiceField(label=_("Solo la scuola"), queryset=School.objects.filter(active=True).order_by("name"), required=False,
                                    empty_label=_("Tutte le scuole"))
    route = forms.ModelChoiceField(label=_("Solo il percorso dello scuolabus"), queryset=None, required=False, empty_label=_("Tutti i percorsi"))
    by_email = forms.BooleanField(label=_("Invia per e-mail"), required=False, initial=True)
    by_sms = forms.BooleanField(label=_("Invia per SMS (solo ai cellulari verificati)"), required=False)
    subject = forms.CharField(label=_("Oggetto"), max_length=120, error_messages={"required": _("Scrivi l'oggetto.")})
    body = forms.CharField(label=_("Testo"), max_length=1000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Per l'SMS al massimo 320 caratteri."), error_messages={"required": _("Scrivi il testo.")})
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from services.transport.models import Route

        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [("", _("Scegli"))] + audiences.choices()
        self.fields["route"].queryset = Route.objects.filter(active=True)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("by_email") and not cleaned.get("by_sms"):
            self.add_error("by_email", _("Scegli almeno un canale: e-mail o SMS."))
        if cleaned.get("by_sms") and len(cleaned.get("body") or "") > SMS_MAX:
            self.add_error("body", _("Per l'SMS il testo può avere al massimo %(n)s caratteri: ora ne ha %(len)s.")
                           % {"n": SMS_MAX, "len": len(cleaned["body"])})
        if cleaned.get("route") and cleaned.get("audience") and not audiences.get(cleaned["audience"]).by_route:
            self.add_error("route", _("Il percorso vale solo per le famiglie del trasporto scolastico."))
        return cleaned

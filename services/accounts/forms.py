from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class ContactSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "mobile_phone", "notify_by_email", "notify_by_sms"]
        labels = {
            "email": _("E-mail"),
            "mobile_phone": _("Cellulare"),
            "notify_by_email": _("Ricevi gli avvisi via e-mail"),
            "notify_by_sms": _("Ricevi gli avvisi via SMS"),
        }
        error_messages = {"email": {"invalid": _("Inserisci un indirizzo e-mail valido, ad esempio nome@esempio.it.")}}

    def clean_mobile_phone(self):
        value = self.cleaned_data["mobile_phone"].replace(" ", "")
        if value and not (value.lstrip("+").isdigit() and 9 <= len(value.lstrip("+")) <= 15):
            raise forms.ValidationError(_("Inserisci un numero di cellulare valido, ad esempio +39 333 1234567."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_by_sms") and not cleaned.get("mobile_phone"):
            self.add_error("mobile_phone", _("Per ricevere gli SMS indica il numero di cellulare."))
        if cleaned.get("notify_by_email") and not cleaned.get("email"):
            self.add_error("email", _("Per ricevere gli avvisi via e-mail indica l'indirizzo."))
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        if "mobile_phone" in self.changed_data:
            user.mobile_verified = False
        if commit:
            user.save()
        return user

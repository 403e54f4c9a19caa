from django import forms
from django.utils.translation import gettext_lazy as _

from services.core.phones import PhoneError, normalise_phone

from .models import User


class ContactSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "mobile_phone", "notify_by_io", "notify_by_email", "notify_by_sms"]
        labels = {
            "email": _("E-mail"),
            "mobile_phone": _("Cellulare"),
            "notify_by_io": _("Ricevi gli avvisi nell'App IO"),
            "notify_by_email": _("Ricevi gli avvisi via e-mail"),
            "notify_by_sms": _("Ricevi gli avvisi via SMS"),
        }
        error_messages = {"email": {"invalid": _("Inserisci un indirizzo e-mail valido, ad esempio nome@esempio.it.")}}

    def clean_mobile_phone(self):
        try:
            return normalise_phone(self.cleaned_data["mobile_phone"], mobile=True)
        except PhoneError as error:
            raise forms.ValidationError(str(error)) from error

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
        if "email" in self.changed_data:
            user.email_verified = False
        if commit:
            user.save()
        return user


def declared_username(code: str) -> str:
    """A local account's username: never the bare codice fiscale, which is the attested account's."""
    return f"locale-{code}"


class LocalSignupForm(forms.Form):
    """Extra fields of the local sign-up (django-allauth): name and a valid, unused codice fiscale."""

    first_name = forms.CharField(label=_("Nome"), max_length=150)
    last_name = forms.CharField(label=_("Cognome"), max_length=150)
    fiscal_code = forms.CharField(label=_("Codice fiscale"), max_length=22, help_text=_("16 caratteri, come sulla tessera sanitaria."))

    field_order = ["first_name", "last_name", "fiscal_code", "email", "password1", "password2"]

    def clean_fiscal_code(self):
        from services.core import fiscal_code

        value = fiscal_code.normalize(self.cleaned_data["fiscal_code"])
        if not fiscal_code.is_valid(value):
            raise forms.ValidationError(_("Il codice fiscale non è valido: controlla i caratteri e l'ultima lettera."))
        if User.objects.filter(fiscal_code=value).exists():
            raise forms.ValidationError(
                _("Non è possibile registrarsi con questo codice fiscale. Se hai già un accesso, entra con SPID o CIE o recupera la password.")
            )
        return value

    def signup(self, request, user):
        """The codice fiscale is only declared: it binds nothing and no SPID/CIE login signs into this account
        (accounts/linking.py)."""
        from .models import FiscalCodeSource

        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.fiscal_code = self.cleaned_data["fiscal_code"]
        user.fiscal_code_source = FiscalCodeSource.DECLARED
        user.username = declared_username(user.fiscal_code)
        user.save()


class MobileCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Codice ricevuto via SMS"), max_length=6, min_length=6,
        error_messages={"required": _("Scrivi il codice di 6 cifre."), "min_length": _("Il codice ha 6 cifre."),
                        "max_length": _("Il codice ha 6 cifre.")},
    )


class LinkAccountForm(forms.Form):
    password = forms.CharField(label=_("Password dell'account registrato"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}), max_length=256,
        error_messages={"required": _("Scrivi la password dell'account che hai registrato con e-mail e password.")})

from django import forms
from django.utils.translation import gettext_lazy as _

from services.core.phones import PhoneError, normalise_phone

from . import preferences
from .models import User


class ContactSettingsForm(forms.ModelForm):
    """The person's addresses and, for each channel registered (accounts.preferences), whether they want the Comune's
    messages on it: a checkbox `canale_<code>` each, kept as the set of codes in `notify_channels`."""

    class Meta:
        model = User
        fields = ["email", "mobile_phone"]
        labels = {"email": _("E-mail"), "mobile_phone": _("Cellulare")}
        error_messages = {"email": {"invalid": _("Inserisci un indirizzo e-mail valido, ad esempio nome@esempio.it.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = set(self.instance.notify_channels or [])
        for choice in preferences.choices():
            self.fields[f"canale_{choice.code}"] = forms.BooleanField(label=choice.label, required=False, help_text=choice.help,
                                                                      initial=choice.code in chosen)

    def channel_fields(self) -> list:
        return [self[f"canale_{c.code}"] for c in preferences.choices()]

    def clean_mobile_phone(self):
        try:
            return normalise_phone(self.cleaned_data["mobile_phone"], mobile=True)
        except PhoneError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        for choice in preferences.choices():
            if cleaned.get(f"canale_{choice.code}") and choice.needs and not cleaned.get(choice.needs) and choice.needs not in self.errors:
                self.add_error(choice.needs, choice.needs_message)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        registered = {c.code for c in preferences.choices()}
        kept = [code for code in (user.notify_channels or []) if code not in registered]  # a channel no longer offered
        user.notify_channels = kept + [c.code for c in preferences.choices() if self.cleaned_data.get(f"canale_{c.code}")]
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

from django import forms
from django.utils.translation import gettext_lazy as _

from services.core import rating as model_rating
from services.core.forms import SportelloForm

from .states import Status


class WizardStepForm(SportelloForm):
    """A step that reads earlier steps (wizard.cleaned_step) or the user (wizard.request.user)."""

    wants_wizard = True

    def __init__(self, *args, wizard=None, **kwargs):
        self.wizard = wizard
        super().__init__(*args, **kwargs)


class DeclarationsForm(SportelloForm):
    """The last step of a procedure: the privacy notice read and the self-certification (DPR 445/2000).
    Subclasses add what their service needs (e.g. the meal service's rules) and set the intro."""

    privacy = forms.BooleanField(label=_("Ho letto l'informativa sul trattamento dei dati personali"),
                                 error_messages={"required": _("Per inviare la domanda devi dichiarare di aver letto l'informativa.")})
    veridicita = forms.BooleanField(
        label=_("Dichiaro che i dati sono veri, consapevole delle conseguenze delle dichiarazioni false (artt. 75 e 76 DPR 445/2000)"),
        error_messages={"required": _("Per inviare la domanda devi confermare che i dati sono veri.")},
    )


class SearchForm(forms.Form):
    number = forms.CharField(label=_("Numero"), required=False, max_length=60)
    status = forms.ChoiceField(label=_("Stato"), required=False, choices=[("", _("Tutti gli stati"))] + Status.choices)
    date_from = forms.DateField(label=_("Dal"), required=False, error_messages={"invalid": _("Scrivi la data come gg/mm/aaaa.")})
    date_to = forms.DateField(label=_("Al"), required=False, error_messages={"invalid": _("Scrivi la data come gg/mm/aaaa.")})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_to"] < cleaned["date_from"]:
            self.add_error("date_to", _("La data finale deve venire dopo quella iniziale."))
        return cleaned


class RatingForm(forms.Form):
    """C.SE.1.7: how easy the service was, a follow-up answer that depends on the stars, a comment."""

    rating = forms.TypedChoiceField(
        coerce=int, choices=[(n, str(n)) for n in range(1, 6)],
        error_messages={"required": _("Scegli da 1 a 5 stelle."), "invalid_choice": _("Scegli da 1 a 5 stelle.")},
    )
    answer = forms.ChoiceField(
        choices=model_rating.ANSWERS,
        error_messages={"required": _("Scegli una delle risposte."), "invalid_choice": _("Scegli una delle risposte.")},
    )
    comment = forms.CharField(required=False, max_length=200, error_messages={"max_length": _("Massimo 200 caratteri.")})

    def clean(self):
        cleaned = super().clean()
        rating, answer = cleaned.get("rating"), cleaned.get("answer")
        if rating and answer:
            allowed = model_rating.answers_for(rating)
            if answer not in allowed:
                self.add_error("answer", _("Scegli una risposta alla domanda che corrisponde alle stelle date."))
        return cleaned


class OfficeNoteForm(forms.Form):
    note = forms.CharField(label=_("Nota"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False)


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Collega"), queryset=None, error_messages={"required": _("Scegli il collega.")})

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = colleagues


class ActForm(forms.Form):
    label = forms.CharField(label=_("Descrizione dell'atto"), max_length=200, error_messages={"required": _("Descrivi l'atto.")})
    file = forms.FileField(label=_("File PDF"))

    def clean_file(self):
        from services.core.forms import PDF, AttachmentField

        return AttachmentField(allowed=(PDF,)).clean(self.cleaned_data.get("file"))

"""Visitor forms on public pages: the page rating and the problem report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from services.core import rating as model_rating

from .models import InefficiencyReport


class FeedbackForm(forms.Form):
    page = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("Valutazione"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        error_messages={
            "required": _("Scegli da 1 a 5 stelle."),
            "invalid_choice": _("La valutazione deve essere un numero di stelle da 1 a 5."),
        },
    )
    answer = forms.ChoiceField(
        label=_("Risposta"),
        choices=model_rating.ANSWERS,
        error_messages={
            "required": _("Scegli una delle risposte."),
            "invalid_choice": _("La risposta scelta non è tra quelle proposte."),
        },
    )
    comment = forms.CharField(
        label=_("Dettaglio"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Il commento può avere al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")},
    )

    def clean_page(self):
        page_id = self.cleaned_data["page"]
        page = Page.objects.live().filter(id=page_id).first()
        if page is None:
            raise forms.ValidationError(_("La pagina da valutare non esiste."))
        return page

    def clean(self):
        cleaned = super().clean()
        rating, answer = cleaned.get("rating"), cleaned.get("answer")
        if rating and answer:
            allowed = model_rating.answers_for(rating)
            if answer not in allowed:
                group = _("tra gli aspetti che hai preferito") if rating >= 4 else _("tra le difficoltà incontrate")
                self.add_error("answer", _("Con %(n)d stelle scegli una risposta %(group)s.") % {"n": rating, "group": group})
        return cleaned


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = InefficiencyReport
        fields = ["category", "description", "page_url", "email"]
        labels = {
            "category": _("Categoria del disservizio"),
            "description": _("Descrizione"),
            "page_url": _("Pagina o servizio interessato (facoltativo)"),
            "email": _("E-mail per ricevere una risposta (facoltativa)"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        error_messages = {
            "category": {"required": _("Scegli la categoria del disservizio."), "invalid_choice": _("Categoria non valida.")},
            "description": {
                "required": _("Descrivi il problema che hai incontrato."),
                "max_length": _("La descrizione può avere al massimo %(limit_value)d caratteri."),
            },
            "email": {"invalid": _("Inserisci un indirizzo e-mail valido, ad esempio nome@esempio.it.")},
            "page_url": {"max_length": _("L'indirizzo può avere al massimo %(limit_value)d caratteri.")},
        }

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) < 10:
            raise forms.ValidationError(_("Descrivi il problema con almeno 10 caratteri."))
        return text

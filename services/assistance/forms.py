from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Office
from services.catalogue.models import Service
from services.core.forms import JPEG, PDF, PNG, AttachmentField, SportelloForm

from . import selectors
from .actions import MESSAGE_MAX, URP
from .models import CannedReply

MESSAGE_ERRORS = {"required": _("Scrivi la tua domanda."),
                  "max_length": _("La domanda può avere al massimo %(limit_value)d caratteri (ne hai scritti %(show_value)d).")}


class RequestForm(SportelloForm):
    """*Richiedi assistenza* (the model's template): who asks, the service category and service, optionally one of
    the citizen's applications, the message, a file, the privacy notice; `sito_web` is a field people never see."""

    first_name = forms.CharField(label=_("Nome"), max_length=100, error_messages={"required": _("Scrivi il tuo nome.")})
    last_name = forms.CharField(label=_("Cognome"), max_length=100, error_messages={"required": _("Scrivi il tuo cognome.")})
    email = forms.EmailField(label=_("E-mail"), max_length=254, help_text=_("Ti scriveremo qui: se non hai fatto l'accesso, "
                                                                        "ti chiederemo di confermarlo con un collegamento."),
                             error_messages={"required": _("Scrivi il tuo indirizzo e-mail."),
                                             "invalid": _("L'indirizzo e-mail non è valido: controlla di averlo scritto bene.")})
    category = forms.ChoiceField(label=_("Categoria di servizio"), error_messages={
        "required": _("Scegli la categoria di servizio."), "invalid_choice": _("Scegli una categoria dall'elenco.")})
    service = forms.ChoiceField(label=_("Servizio"), required=False, help_text=_("Facoltativo: il servizio a cui si riferisce la domanda."),
                                error_messages={"invalid_choice": _("Scegli un servizio dall'elenco.")})
    application = forms.ChoiceField(label=_("La tua pratica"), required=False,
                                    help_text=_("Se la domanda riguarda una pratica già inviata, la riceve direttamente l'ufficio che la segue."),
                                    error_messages={"invalid_choice": _("Scegli una delle tue pratiche dall'elenco.")})
    message = forms.CharField(label=_("Messaggio"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Al massimo %(n)s caratteri.") % {"n": MESSAGE_MAX}, error_messages=MESSAGE_ERRORS)
    attachment = AttachmentField(label=_("Allegato"), required=False, allowed=(PDF, JPEG, PNG))
    privacy = forms.BooleanField(label=_("Ho letto l'informativa sul trattamento dei dati personali"),
                                 error_messages={"required": _("Per inviare la richiesta devi dichiarare di aver letto l'informativa.")})
    sito_web = forms.CharField(label=_("Lascia vuoto questo campo"), required=False)  # the honeypot

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.categories = selectors.categories()
        self.grouped = selectors.services_by_category()
        self.fields["category"].choices = [("", _("Scegli la categoria"))] + self.categories
        labels = dict(self.categories)
        self.fields["service"].choices = [("", _("Nessun servizio in particolare"))] + [
            (str(labels.get(slug, slug)), [(s.slug, s.title) for s in services]) for slug, services in self.grouped.items()]
        self.applications = list(selectors.citizen_applications(user)[:50])
        if self.applications:
            self.fields["application"].choices = [("", _("Nessuna pratica"))] + [
                (str(i.public_id), f"{i.number} · {i.procedure.title}") for i in self.applications]
        else:
            del self.fields["application"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sito_web"):  # only programs fill a field people never see
            self.add_error(None, _("La richiesta sembra inviata da un programma automatico: lascia vuoto il campo nascosto e riprova."))
        category, slug = cleaned.get("category"), cleaned.get("service")
        cleaned["category_label"] = dict(self.categories).get(category, "")
        cleaned["service_obj"] = None
        if category and slug:
            service = Service.objects.filter(slug=slug, live=True).first()
            if service is None or (category != URP and service.category_slug != category):
                self.add_error("service", _("Questo servizio non appartiene alla categoria scelta: scegli di nuovo."))
            else:
                cleaned["service_obj"] = service
        chosen = cleaned.get("application")
        cleaned["istanza"] = next((i for i in self.applications if str(i.public_id) == chosen), None) if chosen else None
        return cleaned

    def action_data(self) -> dict:
        c = self.cleaned_data
        return {"first_name": c["first_name"], "last_name": c["last_name"], "email": c["email"], "category_slug": c["category"],
                "category_label": c["category_label"], "service": c["service_obj"], "istanza": c["istanza"], "message": c["message"]}


class CitizenReplyForm(SportelloForm):
    body = forms.CharField(label=_("Il tuo messaggio"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages=MESSAGE_ERRORS)
    attachment = AttachmentField(label=_("Allegato"), required=False, allowed=(PDF, JPEG, PNG))


class RatingForm(SportelloForm):
    rating = forms.TypedChoiceField(label=_("Quanto è stata utile la risposta?"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(n, str(n)) for n in range(1, 6)], error_messages={"required": _("Scegli un voto da 1 a 5.")})
    comment = forms.CharField(label=_("Commento (facoltativo)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Risposta"), widget=forms.Textarea(attrs={"rows": 8}), error_messages={"required": _("Scrivi la risposta.")})
    faq = forms.MultipleChoiceField(label=_("FAQ da indicare"), required=False, widget=forms.CheckboxSelectMultiple)
    attachment = AttachmentField(label=_("Allegato"), required=False, allowed=(PDF, JPEG, PNG))
    resolve = forms.BooleanField(label=_("La risposta risolve la richiesta"), required=False)

    def __init__(self, *args, faq_entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["faq"].choices = [(str(e.id), e.question) for e in faq_entries]


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Nota interna"), widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": _("Scrivi la nota.")})


class ForwardForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Ufficio"), queryset=None, error_messages={"required": _("Scegli l'ufficio.")})
    note = forms.CharField(label=_("Nota per il collega"), widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Scrivi una nota per il collega dell'altro ufficio.")})

    def __init__(self, *args, request_office=None, **kwargs):
        super().__init__(*args, **kwargs)
        offices = Office.objects.order_by("name")
        self.fields["office"].queryset = offices.exclude(pk=request_office.pk) if request_office else offices


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Collega"), queryset=None, error_messages={"required": _("Scegli il collega.")})

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(offices=office, is_active=True).order_by("last_name", "first_name")


def canned_choices():
    return list(CannedReply.objects.filter(active=True).values_list("pk", "title"))

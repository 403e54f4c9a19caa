"""Admin: the Region's registry for the 0-3 survey (CPT, Comuni, their early-years services and population), the
municipal users enabled on each Comune, the dashboard and the population upload."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from services.accounts.models import TRUSTED_FISCAL_CODE
from services.core import fiscal_code

from . import admin_views
from .models import ChildPopulation, ComuneEnablement, Cpt, EarlyYearsService, SurveyComune


class SurveyComuneViewSet(SnippetViewSet):
    model = SurveyComune
    icon = "site"
    menu_label = _("Comuni")
    list_display = ["name", "istat_code", "province", "cpt"]
    list_filter = ["province", "cpt"]
    search_fields = ["name", "istat_code"]


class CptViewSet(SnippetViewSet):
    model = Cpt
    icon = "group"
    menu_label = _("CPT")
    list_display = ["name", "code"]


class EarlyYearsServiceViewSet(SnippetViewSet):
    model = EarlyYearsService
    icon = "group"
    menu_label = _("Servizi 0-3")
    list_display = ["name", "comune", "kind", "ownership", "places", "authorised_on", "active"]
    list_filter = ["comune", "kind", "ownership", "active"]


class ChildPopulationViewSet(SnippetViewSet):
    model = ChildPopulation
    icon = "table"
    menu_label = _("Popolazione 0-2 anni")
    list_display = ["comune", "year", "children"]
    list_filter = ["year"]


class EnablementForm(WagtailAdminModelForm):
    """The municipal user by user name or codice fiscale (never a list of every account); who enables is recorded."""

    utente = forms.CharField(label=_("Utente comunale"), max_length=150,
                             help_text=_("Nome utente delle credenziali del portale, oppure codice fiscale di chi entra con SPID, CIE o CNS."),
                             error_messages={"required": _("Indica il nome utente o il codice fiscale.")})

    class Meta:
        model = ComuneEnablement
        fields = ["comune"]

    def clean_utente(self):
        value = self.cleaned_data["utente"].strip()
        User = get_user_model()
        # a codice fiscale names only an account whose code the Comune can stand behind (attested by SPID/CIE/CNS or
        # registered by an office): anyone can type someone else's code at a portal sign-up, or as a user name
        if fiscal_code.is_valid(value):
            user = User.objects.filter(TRUSTED_FISCAL_CODE, fiscal_code=fiscal_code.normalize(value)).first()
        else:
            user = User.objects.filter(username=value).first()
        if user is None:
            raise forms.ValidationError(_("Nessun utente con questo nome utente o codice fiscale: deve prima registrarsi o entrare una volta."))
        return user

    def clean(self):
        cleaned = super().clean()
        user, comune = cleaned.get("utente"), cleaned.get("comune")
        if user and comune and ComuneEnablement.objects.filter(user=user, comune=comune).exists():
            self.add_error("utente", _("L'utente è già abilitato su questo Comune."))
        return cleaned

    def save(self, commit=True):
        self.instance.user = self.cleaned_data["utente"]
        if self.instance.enabled_by_id is None and getattr(self, "for_user", None) is not None:
            self.instance.enabled_by = self.for_user
        return super().save(commit=commit)


class EnablementViewSet(SnippetViewSet):
    """Enabling (add) and disabling (delete) are written in Wagtail's history with who did it."""

    model = ComuneEnablement
    icon = "user"
    menu_label = _("Utenti comunali abilitati")
    list_display = ["user", "comune", "enabled_by", "enabled_at"]
    list_filter = ["comune"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "comune__name"]
    edit_handler = ObjectList([FieldPanel("comune"), FieldPanel("utente")], base_form_class=EnablementForm)


class SurveyGroup(SnippetViewSetGroup):
    items = (EarlyYearsServiceViewSet, SurveyComuneViewSet, CptViewSet, EnablementViewSet, ChildPopulationViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Rilevazione 0-3")
    menu_name = "rilevazione-03"
    menu_order = 190


register_snippet(SurveyGroup)


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_survey_urls():
    return [
        path("rilevazione-03/cruscotto/", admin_views.survey_dashboard, name="procedures_survey_dashboard"),
        path("rilevazione-03/popolazione/carica/", admin_views.population_upload, name="procedures_population_upload"),
    ]


@hooks.register("register_admin_menu_item")
def register_dashboard_menu():
    return PermissionMenuItem(_("Cruscotto 0-3"), reverse("procedures_survey_dashboard"), icon_name="table", order=189,
                              permission="procedures.view_survey_dashboard")


@hooks.register("register_admin_menu_item")
def register_population_menu():
    return PermissionMenuItem(_("Carica popolazione 0-2"), reverse("procedures_population_upload"), icon_name="upload", order=191,
                              permission="procedures.add_childpopulation")

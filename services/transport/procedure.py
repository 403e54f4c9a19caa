"""Procedure TRASPORTO (seed 003): enrollment on the school bus for the next school year, SPID/CIE only,
blocked while the family is in arrears; accepted, it issues one pagoPA notice per installment."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from services.core.clock import SchoolYear, rome
from services.core.money import format_euro
from services.istanze import registry
from services.istanze.forms import DeclarationsForm, WizardStepForm
from services.istanze.states import Status
from services.meals import enrollment
from services.payments.actions import position_create

from .models import Direction, FeePlan, PlanScope, Stop, TransportEnrollment

CODE = "TRASPORTO"


def previous_enrollments(user) -> list[dict]:
    if not user or not user.is_authenticated:
        return []
    seen, result = set(), []
    for e in TransportEnrollment.objects.filter(holder=user).select_related("school").order_by("-school_year", "-pk"):
        if e.fiscal_code in seen:
            continue
        seen.add(e.fiscal_code)
        result.append({"codice_fiscale": e.fiscal_code, "nome": e.first_name, "cognome": e.last_name, "scuola": e.school_id,
                       "scuola_nome": e.school.name, "classe": e.school_class, "anno": e.school_year,
                       "fermata": e.stop_id, "direzione": e.direction})
    return result


class TrasportoRinnovoForm(enrollment.RinnovoForm):
    previous = staticmethod(previous_enrollments)


class TrasportoBambinoForm(enrollment.BambinoForm):
    procedure_code = CODE
    rinnovo_form = TrasportoRinnovoForm


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, plan):
        parts = " + ".join(f"€ {format_euro(i.amount)} entro il {i.due_date:%d/%m/%Y}" for i in plan.installments.all())
        return f"{plan.name}: {parts}"


class TrasportoForm(WizardStepForm):
    intro = _("Scegli la fermata e se lo scuolabus serve all'andata, al ritorno o in entrambe le direzioni. "
              "Le quote si pagano con pagoPA: dopo l'accoglimento trovi gli avvisi in Pagamenti.")
    fermata = forms.ModelChoiceField(label=_("Fermata"), queryset=Stop.objects.none(),
                                     error_messages={"required": _("Scegli la fermata."), "invalid_choice": _("Scegli una fermata dell'elenco.")})
    direzione = forms.ChoiceField(label=_("Direzione"), widget=forms.RadioSelect, choices=Direction.choices,
                                  error_messages={"required": _("Scegli la direzione.")})
    piano = PlanChoiceField(label=_("Quota e rate"), queryset=FeePlan.objects.none(), widget=forms.RadioSelect,
                            error_messages={"required": _("Scegli come pagare la quota."), "invalid_choice": _("Scegli una delle quote elencate.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stops = Stop.objects.filter(route__active=True).select_related("route").order_by("route__code", "sort_order")
        self.fields["fermata"].queryset = stops
        groups: dict[str, list] = {}
        for stop in stops:
            time = f" · {stop.pickup_time:%H:%M}" if stop.pickup_time else ""
            groups.setdefault(str(stop.route), []).append((stop.pk, f"{stop.name}{time}"))
        self.fields["fermata"].choices = [("", _g("Scegli la fermata"))] + list(groups.items())
        year = SchoolYear.next().label
        self.fields["piano"].queryset = FeePlan.objects.filter(active=True, school_year=year).prefetch_related("installments")
        previous = self._previous_record()
        if previous and not self.is_bound:
            self.initial.setdefault("fermata", previous["fermata"])
            self.initial.setdefault("direzione", previous["direzione"])

    def _previous_record(self):
        if not self.wizard:
            return None
        bambino = self.wizard.cleaned_step("bambino")
        if not bambino:
            return None
        return next((p for p in TrasportoRinnovoForm.records(self.wizard) if p["codice_fiscale"] == bambino["codice_fiscale"]), None)

    def clean(self):
        cleaned = super().clean()
        plan, direction = cleaned.get("piano"), cleaned.get("direzione")
        if plan and direction and plan.scope != PlanScope.of(direction):
            self.add_error("piano", _("Questa quota vale per «%(scope)s»: scegli una quota adatta alla direzione indicata.")
                           % {"scope": plan.get_scope_display()})
        return cleaned


class DichiarazioniForm(DeclarationsForm):
    field_order = ["fermata_adulto", "privacy", "veridicita"]
    intro = _("Il Comune tratta i dati della famiglia e dell'alunno solo per il servizio di trasporto scolastico "
              "(Regolamento UE 2016/679). L'informativa è nella pagina Privacy.")
    fermata_adulto = forms.BooleanField(
        label=_("Al ritorno un genitore o un adulto delegato aspetta l'alunno alla fermata; per gli alunni della scuola secondaria "
                "posso invece autorizzare l'uscita autonoma con il modulo dell'Ufficio Scuola (L. 172/2017)"),
        error_messages={"required": _("Conferma chi aspetta l'alunno alla fermata.")},
    )


def on_transition(istanza, event, outcome):
    """Accepted: the child is enrolled for the school year and each installment becomes a pagoPA notice (once)."""

    if event.to_status != Status.ACCOLTA or TransportEnrollment.objects.filter(istanza=istanza).exists():
        return
    child, choice = istanza.data["bambino"], istanza.data["trasporto"]
    plan = FeePlan.objects.prefetch_related("installments").get(pk=choice["piano"])
    TransportEnrollment.objects.filter(holder=istanza.owner, fiscal_code=child["codice_fiscale"],
                                       school_year=child["anno_scolastico"], active=True).update(active=False)
    item = TransportEnrollment.objects.create(
        istanza=istanza, holder=istanza.owner, first_name=child["nome"], last_name=child["cognome"],
        fiscal_code=child["codice_fiscale"], school_id=child["scuola"], school_class=child["classe"],
        school_year=child["anno_scolastico"], stop_id=choice["fermata"], direction=choice["direzione"], fee_plan=plan,
    )
    installments = list(plan.installments.all())
    earliest = timezone.localdate() + timedelta(days=settings.TRANSPORT_DAYS_TO_PAY)  # never born overdue
    for n, installment in enumerate(installments, start=1):
        position_create(
            owner=istanza.owner, purpose="transport-fee", amount=installment.amount, due_date=max(installment.due_date, earliest),
            purpose_ref=f"transport:{item.pk}:{n}", notify=True,
            description=_g("Trasporto scolastico %(year)s, rata %(n)s di %(of)s, %(name)s") % {
                "year": item.school_year, "n": n, "of": len(installments), "name": f"{item.first_name} {item.last_name}"},
        )


PROCEDURE = registry.register(
    registry.Procedure(
        code=CODE,
        title=str(_("Iscrizione al trasporto scolastico")),
        category=str(_("Servizi educativi")),
        description=str(_("Scuolabus casa-scuola per il prossimo anno scolastico: fermata, direzione e quota pagata con pagoPA.")),
        steps=(
            registry.Step("rinnovo", str(_("Rinnovo")), TrasportoRinnovoForm, condition=enrollment.has_previous(TrasportoRinnovoForm),
                          when=str(_("solo se il Comune ha già un'iscrizione di tuo figlio"))),
            registry.Step("bambino", str(_("Alunno e scuola")), TrasportoBambinoForm),
            registry.Step("trasporto", str(_("Fermata e quota")), TrasportoForm),
            registry.Step("dichiarazioni", str(_("Dichiarazioni")), DichiarazioniForm),
        ),
        spid_level=2,
        allow_local_accounts=False,
        opens_at=rome(2027, 6, 1, 9, 0),
        closes_at=rome(2027, 8, 31, 23, 59),
        route_office=enrollment.school_office,
        completion_working_days=30,
        on_transition=on_transition,
        eligibility=enrollment.arrears_refusal,
    )
)

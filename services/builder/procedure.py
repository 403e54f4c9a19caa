"""A published version's definition as the engine's Procedure: one Django form per step (a formset for a repeatable
group), the conditions evaluated as data, and a last step with the privacy notice and the truthfulness declaration,
as the coded procedures end. Built once per version and kept: a version never changes."""

from datetime import date
from decimal import Decimal
from functools import partial

from django import forms
from django.core.validators import RegexValidator
from django.forms import formset_factory
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from services.core import option_lists
from services.core.forms import (
    JPEG,
    PDF,
    PNG,
    AttachmentField,
    EuroField,
    FiscalCodeField,
    ItalianDateField,
    ItalianDecimalField,
    PhoneField,
    SportelloForm,
)
from services.istanze import registry
from services.istanze.access import Refusal
from services.istanze.forms import DeclarationsForm
from services.istanze.summary import display_value
from services.pdnd import prefill

from . import checker
from .conditions import Condition, comparable

FILE_MIME = {"pdf": PDF, "jpeg": JPEG, "png": PNG}
PATTERN_MESSAGES = {"cap": "Il CAP è di 5 cifre.", "solo_cifre": "Scrivi solo cifre.",
                    "targa": "Scrivi la targa come AA123BB.", "protocollo": "Scrivi il numero come 123/2026."}
LAST_STEP = "dichiarazioni"


# fields -----------------------------------------------------------------------------------------------------------

class GuidanceWidget(forms.Widget):
    """Text for guidance among the fields: nothing to answer."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, name, value, attrs=None, renderer=None):
        paragraphs = mark_safe(linebreaks(self.text, autoescape=True))  # noqa: S308 - the editor's text is escaped first
        return format_html('<div class="callout note mb-4"><div class="callout-inner">{}</div></div>', paragraphs)

    def value_from_datadict(self, data, files, name):
        return None


class GuidanceField(forms.Field):
    guidance = True

    def __init__(self, text: str):
        super().__init__(required=False, label="", widget=GuidanceWidget(text))


class IbanField(forms.CharField):
    default_error_messages = {"invalid": "L'IBAN non è valido: controlla di averlo copiato per intero (IT e 25 caratteri)."}

    def to_python(self, value):
        return stdnum_iban.compact(super().to_python(value) or "")

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                stdnum_iban.validate(value)
            except StdnumError as error:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error


def _options(spec) -> list[tuple[str, str]]:
    if spec.get("elenco"):
        return option_lists.options(spec["elenco"])
    return [(str(o["valore"]), str(o.get("etichetta") or o["valore"])) if isinstance(o, dict) else (str(o), str(o))
            for o in spec.get("opzioni") or []]


def _bounded(field, spec, kind):
    """min and max of a number, amount or date, as the definition writes them (checked when it was saved)."""
    low, high = (value if isinstance(value := comparable(spec.get(key)), kind) else None for key in ("min", "max"))

    def check(value):
        if value is None:
            return
        if low is not None and value < low:
            raise forms.ValidationError(_("Il valore minimo è %(min)s.") % {"min": display_value(forms.Field(), low)})
        if high is not None and value > high:
            raise forms.ValidationError(_("Il valore massimo è %(max)s.") % {"max": display_value(forms.Field(), high)})
    field.validators.append(check)
    return field


def make_field(spec: dict, *, required: bool) -> forms.Field | list[tuple[str, forms.Field]]:
    kind, label, help_text = spec["tipo"], spec.get("etichetta", ""), spec.get("aiuto", "")
    common = {"label": label, "help_text": help_text, "required": required,
              "error_messages": {"required": _("Questo campo è obbligatorio: compilalo per proseguire.")}}
    if kind == "testo":
        field = forms.CharField(max_length=spec.get("lunghezza_max") or 200, min_length=spec.get("lunghezza_min"), **common)
        if spec.get("formato"):
            field.validators.append(RegexValidator(checker.PATTERNS[spec["formato"]], PATTERN_MESSAGES[spec["formato"]]))
        return field
    if kind == "testo_lungo":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=spec.get("lunghezza_max") or 2000,
                               min_length=spec.get("lunghezza_min"), **common)
    if kind == "numero":
        return _bounded(ItalianDecimalField(decimals=2, **common), spec, Decimal)
    if kind == "importo":
        return _bounded(EuroField(**common), spec, Decimal)
    if kind == "data":
        return _bounded(ItalianDateField(**common), spec, date)
    if kind == "scelta":
        choices = _options(spec)
        long_list = len(choices) > 12  # a registry's schools or Comuni: a menu, not hundreds of buttons
        widget = forms.Select if spec.get("aspetto") == "select" or long_list else forms.RadioSelect
        if widget is forms.Select:
            choices = [("", _("Scegli…"))] + choices
        return forms.ChoiceField(choices=choices, widget=widget, **{**common, "error_messages": {
            **common["error_messages"], "invalid_choice": _("Scegli una delle opzioni proposte.")}})
    if kind == "scelte_multiple":
        return forms.MultipleChoiceField(choices=_options(spec), widget=forms.CheckboxSelectMultiple, **{**common, "error_messages": {
            **common["error_messages"], "invalid_choice": _("Scegli tra le opzioni proposte.")}})
    if kind == "si_no":
        return forms.TypedChoiceField(choices=[("True", _("Sì")), ("False", _("No"))], coerce=lambda v: v == "True",
                                      empty_value=None, widget=forms.RadioSelect, **common)
    if kind == "email":
        return forms.EmailField(**{**common, "error_messages": {**common["error_messages"],
                                                                  "invalid": _("Scrivi un indirizzo e-mail valido, ad esempio nome@esempio.it.")}})
    if kind == "telefono":
        return PhoneField(**common)
    if kind == "codice_fiscale":
        return FiscalCodeField(**common)
    if kind == "iban":
        return IbanField(max_length=40, **common)
    if kind == "indirizzo":
        return forms.CharField(max_length=200, **{**common, "help_text": help_text or _("Via o piazza, numero civico, CAP e comune.")})
    if kind == "dichiarazione":
        return forms.BooleanField(**{**common, "error_messages": {"required": _("Per proseguire devi spuntare questa dichiarazione.")}})
    if kind == "file":
        allowed = tuple(FILE_MIME[t] for t in spec.get("tipi_file") or ["pdf"])
        count = spec.get("numero_file") or 1
        fields = []
        for n in range(1, count + 1):
            name = spec["codice"] if n == 1 else f"{spec['codice']}_{n}"
            text = label if count == 1 else _("%(label)s (%(n)d di %(count)d)") % {"label": label, "n": n, "count": count}
            fields.append((name, AttachmentField(allowed=allowed, label=text, required=required and n == 1,
                                                 **({"help_text": help_text} if help_text else {}))))
        return fields
    if kind == "guida":
        return GuidanceField(spec.get("testo", ""))
    raise ValueError(kind)


# forms ------------------------------------------------------------------------------------------------------------

def answers_before(wizard, step: str) -> dict:
    """The answers of the valid steps before `step` (for conditions), computed once per request."""
    if wizard is None:
        return {}
    cache = wizard.__dict__.setdefault("_builder_answers", {})
    if step not in cache:
        answers = {}
        for name in wizard.form_list:
            if name == step:
                break
            if name in cache.get("_steps", {}):
                cleaned = cache["_steps"][name]
            else:
                cleaned = wizard.cleaned_step(name)
                cache.setdefault("_steps", {})[name] = cleaned
            if isinstance(cleaned, dict):
                answers.update(cleaned)
        cache[step] = answers
    return cache[step]


class BuiltForm(SportelloForm):
    """Fields from a definition. A field whose condition reads an earlier step is left out when it does not hold; one
    whose condition reads a field of the same page stays (no JavaScript), is asked only when the condition holds, and
    its answer is dropped when it does not."""

    wants_wizard = True
    specs: list = []
    step_name = ""
    page_conditions: dict = {}  # field name -> (Condition, required)

    def __init__(self, *args, wizard=None, earlier=None, certified=None, preview=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = earlier if earlier is not None else answers_before(wizard, self.step_name)
        self.certified = certified  # in a group proposed from ANPR: {"map": …, "children": […]}
        same_page = {name for name, _spec in self.fields_specs()}
        for spec in self.specs:
            condition = spec.get("condizione")
            if not condition or condition["campo"] in same_page:
                continue
            if preview:  # the editor sees every field, with when it shows
                for name in self.names_of(spec):
                    note = _("Compare solo se hai risposto «%(value)s» a «%(field)s».") % {
                        "value": _condition_words(condition), "field": condition["campo"]}
                    self.fields[name].help_text = f"{self.fields[name].help_text} {note}".strip()
            elif not Condition.parse(condition).holds(self.earlier):
                for name in self.names_of(spec):
                    self.fields.pop(name, None)

    @classmethod
    def fields_specs(cls):
        return [(spec["codice"], spec) for spec in cls.specs]

    @staticmethod
    def names_of(spec) -> list[str]:
        count = spec.get("numero_file") or 1 if spec["tipo"] == "file" else 1
        return [spec["codice"]] + [f"{spec['codice']}_{n}" for n in range(2, count + 1)]

    def clean(self):
        cleaned = super().clean()
        answers = {**self.earlier}
        for spec in self.specs:
            names = [n for n in self.names_of(spec) if n in self.fields]
            if not names:
                continue
            condition, required = self.page_conditions.get(spec["codice"], (None, False))
            if condition is not None and not condition.holds(answers):
                for name in names:
                    self._errors.pop(name, None) if self._errors else None
                    cleaned[name] = None
                continue
            value = cleaned.get(names[0])
            empty = value is None or value == "" or value == [] or (value is False and spec["tipo"] == "dichiarazione")
            if condition is not None and required and empty and names[0] not in (self._errors or {}):
                self.add_error(names[0], _("Questo campo è obbligatorio: compilalo per proseguire."))
            if spec["tipo"] != "guida":
                answers[spec["codice"]] = cleaned.get(spec["codice"])
        for name, field in self.fields.items():
            if getattr(field, "guidance", False):
                cleaned.pop(name, None)
        if self.certified is not None:
            self._mark_source(cleaned)
        return cleaned

    def _mark_source(self, cleaned):
        """A child of the certified family keeps the registry's data, whatever was typed over it; anyone else is
        declared."""
        mapping = self.certified["map"]
        code = cleaned.get(mapping.get("codice_fiscale", ""))
        child = next((c for c in self.certified["children"] if code and c["codice_fiscale"] == code), None)
        if child is None:
            cleaned["fonte_dati"] = prefill.DECLARED
            return
        for key, field in mapping.items():
            if field in self.fields:
                cleaned[field] = _anpr_value(key, child[key])
                self._errors.pop(field, None) if self._errors else None
        cleaned["fonte_dati"] = prefill.CERTIFIED

    def summary_rows(self):
        rows = [[str(self[name].label), display_value(field, self.cleaned_data.get(name))]
                for name, field in self.fields.items()
                if not getattr(field, "guidance", False) and (name in self.cleaned_data)]
        source = self.cleaned_data.get("fonte_dati")
        if source:
            rows.append([_("Fonte dei dati"), _("dato certificato da ANPR") if source == prefill.CERTIFIED else _("dato dichiarato")])
        return rows


def form_class(step_name: str, specs: list) -> type:
    """A form for these field specs (a step's, or a group item's: its conditions may read the item's own fields or
    earlier steps)."""
    attrs, page_conditions = {}, {}
    codes_here = set()
    for spec in specs:
        condition = spec.get("condizione")
        on_page = bool(condition) and condition["campo"] in codes_here
        required = spec.get("obbligatorio", True) and spec["tipo"] != "guida"
        made = make_field(spec, required=required and not on_page)
        for name, field in made if isinstance(made, list) else [(spec["codice"], made)]:
            if on_page and not getattr(field, "guidance", False):
                note = _("Solo se hai risposto «%(value)s» a «%(field)s».") % {
                    "value": _condition_words(condition), "field": _label_of(specs, condition["campo"])}
                field.help_text = f"{field.help_text} {note}".strip() if field.help_text else note
            attrs[name] = field
        if on_page:
            page_conditions[spec["codice"]] = (Condition.parse(condition), required)
        codes_here.add(spec["codice"])
    attrs.update(specs=specs, step_name=step_name, page_conditions=page_conditions)
    return type(f"Built_{step_name}", (BuiltForm,), attrs)


def _condition_words(condition) -> str:
    value = condition["valore"]
    values = value if isinstance(value, list) else [value]
    words = [_("sì") if v is True else _("no") if v is False else str(v) for v in values]
    return (" " + _("o") + " ").join(words) if condition["operatore"] != "oltre" else _("oltre %(v)s") % {"v": words[0]}


def _label_of(specs, code) -> str:
    return next((s.get("etichetta", code) for s in specs if s.get("codice") == code), code)


class BuiltFormSet(forms.BaseFormSet):
    wants_wizard = True
    item_label = ""
    default_error_messages = {
        "too_many_forms": gettext_lazy("Puoi indicarne al massimo %(num)d: togli quelli in più."),
        "too_few_forms": gettext_lazy("Ne devi indicare almeno %(num)d."),
    }
    step_name = ""
    anagrafe: dict = {}  # ANPR's key -> the item's field, for a group of children proposed from the family

    def __init__(self, *args, wizard=None, preview=False, **kwargs):
        self.earlier, self.preview = answers_before(wizard, self.step_name), preview
        self.family = prefill.family_for(wizard, _("Domanda online: i figli minorenni dallo stato di famiglia")) \
            if self.anagrafe else None
        children = (self.family or {}).get("children") or []
        if children and kwargs.get("data") is None:
            kwargs["initial"] = [{field: _anpr_value(key, child[key]) for key, field in self.anagrafe.items()}
                                 for child in children]
        super().__init__(*args, **kwargs)
        if self.family is not None:
            self.intro = f"{type(self).intro or ''}\n\n{_family_notice(self.family)}".strip()

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "earlier": self.earlier, "preview": self.preview,
                "certified": {"map": self.anagrafe, "children": (self.family or {}).get("children") or []}
                if self.anagrafe else None}

    @property
    def empty_form(self):
        form = self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, earlier=self.earlier, certified=None, preview=self.preview,
                         renderer=self.renderer)
        self.add_fields(form, None)
        return form


def _anpr_value(key: str, value):
    return date.fromisoformat(value) if key == "data_nascita" and value else value


def _family_notice(record: dict) -> str:
    if record["status"] == "ok" and record.get("children"):
        return _("I figli minorenni del tuo stato di famiglia nell'Anagrafe nazionale (ANPR) sono già qui sotto, con i dati "
                 "certificati: togli chi non vuoi iscrivere. Per un altro bambino aggiungilo e scrivi tu i dati (dato "
                 "dichiarato).")
    return prefill.notice(record)


def anagrafe_map(spec: dict) -> dict:
    """For a group proposed from ANPR: which item field takes which certified value (the codice fiscale field, the
    fields coded nome and cognome, the first date)."""
    if not spec.get("anagrafe"):
        return {}
    inner, found = spec["campi"], {}
    for field in inner:
        if field["tipo"] == "codice_fiscale":
            found.setdefault("codice_fiscale", field["codice"])
        elif field["tipo"] == "data":
            found.setdefault("data_nascita", field["codice"])
        elif field["tipo"] == "testo" and field["codice"] in ("nome", "cognome"):
            found[field["codice"]] = field["codice"]
    return found


def group_formset(step_name: str, spec: dict) -> type:
    item = form_class(step_name, spec["campi"])
    least, most = spec.get("min_elementi") or 0, spec.get("max_elementi") or checker.MAX_GROUP_ITEMS
    formset = formset_factory(item, formset=BuiltFormSet, extra=0 if least else 1, min_num=least, max_num=most,
                              validate_min=True, validate_max=True, absolute_max=most, can_delete=True)
    formset.item_label = spec.get("etichetta_elemento") or spec.get("etichetta") or _("Elemento")
    formset.step_name = step_name
    formset.anagrafe = anagrafe_map(spec)
    return formset


class FinalForm(DeclarationsForm):
    intro = ""


# the procedure ----------------------------------------------------------------------------------------------------

def _step_condition(condition: dict, step_name: str):
    parsed = Condition.parse(condition)

    def applies(wizard):
        return parsed.holds(answers_before(wizard, step_name))
    return applies


def steps_of(definition: dict) -> tuple:
    steps = []
    for step in definition["passi"]:
        answered = [f for f in step["campi"] if f["tipo"] != "guida"]
        group = answered[0] if len(answered) == 1 and answered[0]["tipo"] == "gruppo" else None
        form = group_formset(step["codice"], group) if group else form_class(step["codice"], step["campi"])
        if group:
            guidance = [f.get("testo", "") for f in step["campi"] if f["tipo"] == "guida"]
            form.intro = "\n\n".join(guidance)
        condition = step.get("condizione")
        steps.append(registry.Step(
            step["codice"], step["titolo"], form,
            condition=_step_condition(condition, step["codice"]) if condition else None,
            when=(_("solo se hai risposto «%(value)s» a «%(field)s»") % {
                "value": _condition_words(condition), "field": condition["campo"]}) if condition else ""))
    final = type("Built_dichiarazioni", (FinalForm,), {"intro": definition.get("informativa", "")})
    steps.append(registry.Step(LAST_STEP, _("Dichiarazioni"), final))
    return tuple(steps)


def fee_of(definition: dict, data: dict) -> Decimal | None:
    """What the citizen pays at Invia for these answers: the fixed amount, or the amounts of the options chosen in the
    fee's field, added up over a repeatable group's items; None when the procedure asks for nothing."""
    fee = definition.get("pagamento")
    if not fee:
        return None
    if fee.get("importo") is not None:
        return Decimal(str(fee["importo"]))
    code, total, amounts = fee["campo"], Decimal("0"), {}
    for step in definition["passi"]:
        for field in _walk(step["campi"]):
            if field.get("codice") == code:
                amounts = {str(o["valore"]): Decimal(str(o["importo"])) for o in field.get("opzioni") or []}
    for answers in data.values():
        for item in answers if isinstance(answers, list) else [answers]:
            chosen = item.get(code) if isinstance(item, dict) else None
            for value in chosen if isinstance(chosen, list) else [chosen] if chosen not in (None, "") else []:
                total += amounts.get(str(value), Decimal("0"))
    return total


def _walk(fields):
    for field in fields:
        yield field
        yield from _walk(field.get("campi") or [])


def build(version) -> registry.Procedure:
    """The engine's Procedure for a ProcedureVersion row."""
    definition = version.definition
    notes = [definition["nota_ricevuta"]] if definition.get("nota_ricevuta") else []
    if version.test:  # an editor trying it: signed in as staff, nothing routed, charged or numbered
        return registry.Procedure(
            code=version.code, title=_("[Prova] %(title)s") % {"title": definition["titolo"]}, category=_("Prove"),
            description=definition.get("descrizione") or "", version=version.number, steps=steps_of(definition),
            allow_local_accounts=True, login_methods=("spid", "cie", "cns"), test=True, eligibility=_editors_only,
            notices=partial(_test_notices, definition), extra={"built": True, "definition": definition})
    return registry.Procedure(
        code=version.code, title=definition["titolo"], category=definition.get("categoria") or "",
        description=definition.get("descrizione") or "", version=version.number, steps=steps_of(definition),
        spid_level=int(definition.get("livello_spid") or 2),
        allow_local_accounts=bool(definition.get("credenziali_portale")),
        login_methods=tuple(definition.get("accesso") or ("spid", "cie")),
        route_office=partial(_office, definition),
        completion_working_days=int(definition.get("giorni_conclusione") or 30),
        retention_days=365 * int(definition.get("conservazione_anni") or 5),
        confirmation_notes=(lambda istanza: notes) if notes else None,
        fee=partial(_fee, definition) if definition.get("pagamento") else None,
        notices=_version_notices,
        extra={"built": True, "definition": definition},
    )


def _version_notices(istanza) -> list[str]:
    """A draft on an older version than the one published now says so: it is sent as it is, or started again."""
    from services.istanze.states import DRAFT

    from .models import ProcedureVersion

    if istanza.status not in DRAFT:
        return []
    current = ProcedureVersion.objects.filter(code=istanza.procedure_code, test=False).order_by("-number") \
        .values_list("number", flat=True).first()
    if current is None or current <= istanza.procedure_version:
        return []
    return [_("Il Comune ha aggiornato questa procedura dopo che hai iniziato la bozza: la tua domanda resta com'era "
              "(versione %(yours)d) e si invia così. Se preferisci la versione nuova (%(current)d), elimina la bozza e "
              "ricomincia.") % {"yours": istanza.procedure_version, "current": current}]


def _editors_only(user):
    """A test version is an unpublished draft: only who may build procedures tries it."""
    if user.has_perm("builder.change_builtprocedure"):
        return None
    return Refusal("eligibility", _("Questa è la prova di una procedura non ancora pubblicata: la possono usare solo "
                                    "gli uffici che la costruiscono."))


def _test_notices(definition: dict, istanza) -> list[str]:
    """What a test shows instead of charging: the fee these answers would cost."""
    amount = fee_of(definition, istanza.data) if istanza.data else None
    if not amount:
        return []
    from services.core.money import euro

    return [_("In una domanda vera, con queste risposte, la quota da pagare con pagoPA all'invio sarebbe %(amount)s.")
            % {"amount": euro(amount)}]


def _fee(definition: dict, istanza):
    return fee_of(definition, istanza.data)


def _office(definition: dict, istanza):
    """The office of the answer (a school's Municipio) when the procedure routes by one, else the procedure's office."""
    from services.accounts.models import Office

    routed = definition.get("ufficio_da")
    if routed:
        for step in definition["passi"]:
            for field in step["campi"]:
                if field["codice"] == routed:
                    answer = (istanza.data.get(step["codice"]) or {}).get(routed)
                    office = option_lists.office(field.get("elenco") or "", answer)
                    if office is not None:
                        return office
    slug = definition.get("ufficio")
    return Office.objects.filter(slug=slug).first() if slug else None


def preview_steps(definition: dict) -> list[dict]:
    """Every step's form, unbound, as a citizen first sees it (conditions on earlier steps shown as the note)."""
    problems = checker.check({"passi": definition.get("passi") or []})
    if problems:
        return []
    out = []
    for step in steps_of(definition):
        form = step.form() if issubclass(step.form, DeclarationsForm) else step.form(wizard=None, preview=True)
        out.append({"title": step.title, "when": step.when, "form": form,
                    "is_formset": isinstance(form, forms.BaseFormSet)})
    return out

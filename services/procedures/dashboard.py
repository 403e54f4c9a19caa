"""The regional office's dashboard of the 0-3 survey (reads only): participation, services, places and children,
interventions and the validation queue, for the Comuni a filter keeps (province, CPT, Comune). A fixed number of
queries whatever the number of Comuni: the Comuni, their services, their sheets, the population table and the sheets'
history, each read once and summed here.

Every block is a list of rows (a header and values) the page shows as a table with its chart and exports as CSV/XLSX;
`open_data` is the same arithmetic per CPT without anything personal, as the Region publishes it."""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext as _g

from services.core.money import NumberError, euro, format_number, parse_decimal
from services.istanze.models import IstanzaEvent
from services.istanze.states import HOLDING, Status

from .models import ChildPopulation, Cpt, EarlyYearsService, SurveyComune
from .selectors import ACTIONS_SHEET, SERVICES_SHEET, SHEETS, comune_sheets
from .states import SheetState, sheet_state

ACTION_CODES = ("B1", "B2", "B3", "B4", "B8", "C1")
EU_TARGETS = (Decimal(33), Decimal(45))  # places per 100 children aged 0-2: Barcelona 2002, and the EU's 2030 goal
# The dashboard's four service types: the integrative services (centre for children and parents, play space) together.
TYPE_OF_KIND = {"nido": "nido", "micronido": "micronido", "primavera": "primavera", "centro": "integrativi", "spazio": "integrativi"}
TYPES = (("nido", "Nido d'infanzia"), ("micronido", "Micronido"), ("primavera", "Sezione primavera"),
         ("integrativi", "Servizi integrativi"))
NO_CPT = "—"


@dataclass(frozen=True)
class ServiceRow:
    """What the dashboard reads of a registry service (thousands of them: plain values, not model instances)."""

    pk: int
    comune_id: int
    name: str
    kind: str
    ownership: str
    places: int


@dataclass(frozen=True)
class Filters:
    province: str = ""
    cpt: int | None = None
    comune: int | None = None

    def comuni(self):
        found = SurveyComune.objects.select_related("cpt").order_by("name")
        if self.province:
            found = found.filter(province=self.province)
        if self.cpt:
            found = found.filter(cpt_id=self.cpt)
        if self.comune:
            found = found.filter(pk=self.comune)
        return found


@dataclass
class Block:
    key: str
    title: str
    header: list
    rows: list = field(default_factory=list)
    chart: list = field(default_factory=list)  # (label, value as a number, value as shown)
    notes: list = field(default_factory=list)

    PAGE_ROWS = 100  # the page shows these many rows; the exports have them all

    @property
    def page_rows(self) -> list:
        return self.rows[: self.PAGE_ROWS]


def pct(part, whole) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


def ratio(part, whole, places: str = "0.01") -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(places)) if whole else None


def _decimal(value) -> Decimal:
    """A number the engine stored (text such as "12.0"); 0 for nothing or for what is not a number."""
    try:
        return parse_decimal(value) or Decimal(0)
    except NumberError:
        return Decimal(0)


def _cpt_name(comune) -> str:
    return comune.cpt.name if comune.cpt_id else NO_CPT


class Survey:
    """The filtered Comuni with their sheets, services and population, loaded once."""

    def __init__(self, year: int, filters: Filters):
        self.year = year
        self.comuni = list(filters.comuni())
        pks = [c.pk for c in self.comuni]
        chosen = filters.comuni().values("pk")  # as a subquery: a Region's 1,200 ids are not sent as parameters
        self.sheets = comune_sheets(pks, year, light=True)
        self.services = [ServiceRow(*row) for row in EarlyYearsService.objects.filter(comune__in=chosen, active=True)
                         .order_by("comune_id", "name").values_list("pk", "comune_id", "name", "kind", "ownership", "places")]
        counts = ChildPopulation.objects.filter(comune__in=chosen, year__lte=year).values_list("comune", "year", "children")
        latest = {}
        for comune, counted, children in counts:  # each Comune's latest count up to the edition's year
            if counted >= latest.get(comune, (0, 0))[0]:
                latest[comune] = (counted, children)
        self.children = {comune: children for comune, (_counted, children) in latest.items()}
        self.by_comune = defaultdict(list)
        for service in self.services:
            self.by_comune[service.comune_id].append(service)

    def sheet(self, comune, code):
        return self.sheets.get((comune.pk, code))

    def state(self, comune, code) -> SheetState:
        sheet = self.sheet(comune, code)
        return sheet_state(sheet.status if sheet else None)

    def sent(self, comune, code):
        sheet = self.sheet(comune, code)
        return sheet if sheet is not None and sheet.status in HOLDING else None

    @cached_property
    def declared(self) -> dict:
        """{service pk: the row of the Comune's sent SERVIZI 03 sheet}"""
        rows = {}
        for comune in self.comuni:
            sheet = self.sent(comune, SERVICES_SHEET)
            for row in (sheet.data.get("servizi") or []) if sheet else []:
                rows[row.get("servizio")] = row
        return rows


def participation(survey: Survey, deadline: date, today: date) -> Block:
    states = list(SheetState)
    block = Block("partecipazione", _g("Partecipazione"), [_g("Scheda"), _g("Comuni invitati")] + [s.label for s in states])
    for code, name in ((SERVICES_SHEET, "SERVIZI 03"), (ACTIONS_SHEET, "INTERVENTI")):
        counted = Counter(survey.state(c, code) for c in survey.comuni)
        block.rows.append([name, len(survey.comuni)] + [counted[s] for s in states])
    complete = sum(all(survey.state(c, code) == SheetState.VALIDATED for code in SHEETS) for c in survey.comuni)
    block.chart = [(_g("Rilevazioni complete (entrambe le schede validate)"), complete, str(complete))] + [
        (f"{row[0]} · {_g('inviate')}", sum(row[4:]), str(sum(row[4:]))) for row in block.rows]
    days = (deadline - today).days
    block.notes.append(_g("Scadenza il %(date)s: %(when)s.") % {
        "date": f"{deadline:%d/%m/%Y}", "when": (_g("mancano %(n)d giorni") % {"n": days}) if days >= 0 else _g("scaduta")})
    block.notes.append(_g("Rilevazioni complete: %(n)d su %(of)d Comuni.") % {"n": complete, "of": len(survey.comuni)})
    return block


def not_sent(survey: Survey) -> Block:
    block = Block("non-inviate", _g("Chi non ha ancora inviato"), [_g("Comune"), _g("Provincia"), _g("CPT"), _g("SERVIZI 03"), _g("INTERVENTI")])
    waiting = (SheetState.NOT_STARTED, SheetState.DRAFT)
    for comune in survey.comuni:
        states = [survey.state(comune, code) for code in SHEETS]
        if any(s in waiting for s in states):
            block.rows.append([comune.name, comune.province, _cpt_name(comune)] + [s.label for s in states])
    return block


def services(survey: Survey) -> Block:
    declared = survey.declared
    header = [_g("Tipologia"), _g("Titolarità"), _g("Precaricati"), _g("Confermati attivi"), _g("Cessati"),
              _g("Non raggiungibili"), _g("Non ancora rilevati")]
    block = Block("servizi", _g("Servizi"), header)
    counts = defaultdict(Counter)
    reasons = []
    for service in survey.services:
        key = (TYPE_OF_KIND[service.kind], service.ownership)
        counts[key]["preloaded"] += 1
        row = declared.get(service.pk)
        counts[key][row.get("stato") if row else "unsurveyed"] += 1
        if row and row.get("stato") == "non_raggiungibile":
            reasons.append((service.name, row.get("motivazione", "")))
    for kind, label in TYPES:
        for ownership, owner_label in EarlyYearsService.Ownership.choices:
            c = counts.get((kind, ownership))
            if c:
                block.rows.append([label, str(owner_label), c["preloaded"], c["attivo"], c["cessato"], c["non_raggiungibile"], c["unsurveyed"]])
    sent = (survey.sent(c, SERVICES_SHEET) for c in survey.comuni)
    reported = sum(len(sheet.data.get("mancanti") or []) for sheet in sent if sheet)
    block.rows.append([_g("Nuovi servizi segnalati dai Comuni"), "", "", reported, "", "", ""])
    totals = Counter()
    for c in counts.values():
        totals.update(c)
    block.chart = [(_g("Confermati attivi"), totals["attivo"], str(totals["attivo"])), (_g("Cessati"), totals["cessato"], str(totals["cessato"])),
                   (_g("Non raggiungibili"), totals["non_raggiungibile"], str(totals["non_raggiungibile"])),
                   (_g("Nuovi segnalati"), reported, str(reported)), (_g("Non ancora rilevati"), totals["unsurveyed"], str(totals["unsurveyed"]))]
    block.notes += [_g("Non raggiungibile: %(name)s — %(why)s") % {"name": n, "why": w} for n, w in reasons[:50]]
    return block


def _group_places(survey: Survey, key_of) -> dict:
    """{group: Counter(places, attendance, active places, children)}: places of the services not declared ceased,
    attendance of those declared active, children of the Comuni with a population figure."""
    declared = survey.declared
    groups = defaultdict(lambda: defaultdict(Decimal))
    for comune in survey.comuni:
        g = groups[key_of(comune)]
        g["comuni"] += 1
        g["children"] += survey.children.get(comune.pk, 0)
        for service in survey.by_comune.get(comune.pk, []):
            row = declared.get(service.pk)
            if row and row.get("stato") == "cessato":
                continue
            g["places"] += service.places
            if row and row.get("stato") == "attivo":
                g["attended_places"] += service.places
                g["attendance"] += _decimal(row.get("media_frequentanti"))
        sheet = survey.sent(comune, SERVICES_SHEET)
        for missing in (sheet.data.get("mancanti") or []) if sheet else []:
            g["places"] += int(missing.get("capacita") or 0)
            g["attended_places"] += int(missing.get("capacita") or 0)
            g["attendance"] += _decimal(missing.get("frequentanti"))
    return groups


def places(survey: Survey, by: str = "cpt") -> Block:
    header = [_g("CPT") if by == "cpt" else _g("Provincia"), _g("Comuni"), _g("Posti autorizzati"), _g("Media frequentanti"),
              _g("Saturazione %"), _g("Bambini 0-2 anni"), _g("Copertura (posti ogni 100 bambini)"), _g("Obiettivo 33%"), _g("Obiettivo 45% (2030)")]
    block = Block("posti", _g("Posti e bambini"), header)
    key_of = _cpt_name if by == "cpt" else (lambda c: c.province or NO_CPT)
    groups = _group_places(survey, key_of)
    total = defaultdict(Decimal)
    for name in sorted(groups):
        g = groups[name]
        for k, v in g.items():
            total[k] += v
        block.rows.append(_places_row(name, g))
    block.rows.append(_places_row(_g("Totale"), total))
    block.chart = [(row[0], float(row[6] or 0), f"{row[6]}" if row[6] is not None else "—") for row in block.rows]
    block.notes.append(_g("Copertura: posti autorizzati dei servizi non cessati ogni 100 bambini residenti di 0-2 anni (ISTAT); "
                          "saturazione: media dei frequentanti ÷ posti dei servizi confermati attivi."))
    return block


def _places_row(name, g) -> list:
    coverage = pct(g["places"], g["children"])
    return [name, int(g["comuni"]), int(g["places"]), g["attendance"].quantize(Decimal("0.1")), pct(g["attendance"], g["attended_places"]),
            int(g["children"]), coverage] + [(_g("raggiunto") if coverage >= t else _g("non raggiunto")) if coverage is not None else "—"
                                             for t in EU_TARGETS]


def _actions(survey: Survey):
    """(comune, action, euros, service pk or None) for every action of the sent INTERVENTI sheets."""
    for comune in survey.comuni:
        sheet = survey.sent(comune, ACTIONS_SHEET)
        answers = (sheet.data.get("interventi") or {}) if sheet else {}
        for key, value in answers.items():
            if not key.endswith("_importo"):
                continue
            subject, action = key[: -len("_importo")].rsplit("_", 1)
            service = int(subject[1:]) if subject.startswith("s") and subject[1:].isdigit() else None
            yield comune, action, _decimal(value), service


def interventions(survey: Survey) -> Block:
    header = [_g("Azione"), _g("Numero"), _g("Euro (quota comunale)"), _g("Posti dei servizi"), _g("Euro per posto")]
    block = Block("interventi", _g("Interventi"), header)
    places_of = {s.pk: s.places for s in survey.services}
    count, euros, places_ = Counter(), defaultdict(Decimal), Counter()
    with_c1 = set()
    for comune, action, amount, service in _actions(survey):
        count[action] += 1
        euros[action] += amount
        places_[action] += places_of.get(service, 0)
        if action == "C1":
            with_c1.add(comune.pk)
    for action in ACTION_CODES:
        block.rows.append([action, count[action], euros[action], places_[action] or "", ratio(euros[action], places_[action])
                           if action != "C1" else ""])
    block.chart = [(row[0], float(row[2]), euro(row[2])) for row in block.rows]
    in_cpt = defaultdict(list)
    for comune in survey.comuni:
        if comune.cpt_id:
            in_cpt[comune.cpt.name].append(comune.pk)
    for name in sorted(in_cpt):
        members = in_cpt[name]
        share = pct(sum(pk in with_c1 for pk in members), len(members))
        block.notes.append(_g("%(cpt)s: C1 indicata da %(n)d Comuni su %(of)d (%(share)s%%).") % {
            "cpt": name, "n": sum(pk in with_c1 for pk in members), "of": len(members), "share": share})
    return block


def queue(survey: Survey, today: date) -> Block:
    header = [_g("Inviata il"), _g("Comune"), _g("Scheda"), _g("Numero"), _g("Stato"), _g("Giorni di attesa")]
    block = Block("coda", _g("Coda di validazione"), header)
    names = {c.pk: c.name for c in survey.comuni}
    waiting = sorted((s for s in survey.sheets.values() if s.status in (Status.INVIATA, Status.PRESA_IN_CARICO)),
                     key=lambda s: s.submitted_at)
    for sheet in waiting:
        block.rows.append([sheet.submitted_at.date(), names.get(sheet.data["comune"]["comune"], ""),
                           "SERVIZI 03" if sheet.procedure_code == SERVICES_SHEET else "INTERVENTI", sheet.number,
                           sheet_state(sheet.status).label, (today - sheet.submitted_at.date()).days])
    sent = {s.pk for s in survey.sheets.values() if s.status in HOLDING}
    # the edition's sheets' history, sifted here: a Region's ids are too many to send as parameters
    events = IstanzaEvent.objects.filter(istanza__procedure_code__in=SHEETS, istanza__data__comune__edizione=survey.year,
                                         to_status__in=[Status.IN_ATTESA_DI_INTEGRAZIONE, Status.ACCOLTA, Status.PRESA_IN_CARICO])
    rejected = resent = 0
    durations = []
    submitted = {s.pk: s.submitted_at for s in survey.sheets.values()}
    for istanza, frm, to, at in events.values_list("istanza", "from_status", "to_status", "created_at"):
        if istanza not in sent:
            continue
        if to == Status.IN_ATTESA_DI_INTEGRAZIONE:
            rejected += 1
        elif to == Status.PRESA_IN_CARICO and frm == Status.IN_ATTESA_DI_INTEGRAZIONE:
            resent += 1
        elif to == Status.ACCOLTA and submitted.get(istanza):
            durations.append((at - submitted[istanza]).total_seconds() / 86400)
    median = Decimal(statistics.median(durations)).quantize(Decimal("0.1")) if durations else None
    block.chart = [(_g("In attesa di validazione"), len(waiting), str(len(waiting))), (_g("Rifiuti"), rejected, str(rejected)),
                   (_g("Nuovi invii dopo un rifiuto"), resent, str(resent))]
    block.notes.append(_g("Tempo mediano di validazione: %(days)s giorni (dall'invio alla validazione, %(n)d schede).") % {
        "days": format_number(median) if median is not None else "—", "n": len(durations)})
    return block


def build(year: int, filters: Filters, *, deadline: date, today: date) -> list[Block]:
    survey = Survey(year, filters)
    return [participation(survey, deadline, today), not_sent(survey), services(survey), places(survey),
            interventions(survey), queue(survey, today)]


# Open data: per CPT, without any name of a person or a service; only validated sheets count.
OPEN_DATA_FIELDS = [
    ("anno", "Anno della rilevazione."),
    ("cpt", "Coordinamento Pedagogico Territoriale (— per i Comuni che non ne fanno parte)."),
    ("comuni", "Comuni della rilevazione nel CPT."),
    ("comuni_rilevazione_validata", "Comuni con entrambe le schede validate dalla Regione."),
    ("servizi_attivi", "Servizi confermati attivi nelle schede SERVIZI 03 validate, compresi i nuovi segnalati."),
    ("posti_autorizzati", "Posti autorizzati dei servizi non cessati."),
    ("media_frequentanti", "Somma delle medie dei frequentanti nel periodo di riferimento dei servizi attivi."),
    ("bambini_0_2", "Bambini residenti di 0-2 anni (ISTAT) dei Comuni del CPT."),
    ("copertura_per_100", "Posti autorizzati ogni 100 bambini di 0-2 anni."),
] + [(f"euro_{a.lower()}", f"Quota comunale programmata per l'azione {a} nelle schede INTERVENTI validate, in euro.") for a in ACTION_CODES]


def open_data(year: int) -> list[list]:
    survey = Survey(year, Filters())
    validated = {c.pk for c in survey.comuni if all(survey.state(c, code) == SheetState.VALIDATED for code in SHEETS)}
    survey.comuni = [c for c in survey.comuni if c.pk in validated]
    rows = []
    groups = _group_places(survey, _cpt_name)
    euros = defaultdict(lambda: defaultdict(Decimal))
    for comune, action, amount, _service in _actions(survey):
        euros[_cpt_name(comune)][action] += amount
    active = Counter()
    declared = survey.declared
    for comune in survey.comuni:
        sheet = survey.sent(comune, SERVICES_SHEET)
        active[_cpt_name(comune)] += sum(1 for s in survey.by_comune.get(comune.pk, []) if (declared.get(s.pk) or {}).get("stato") == "attivo")
        active[_cpt_name(comune)] += len(sheet.data.get("mancanti") or []) if sheet else 0
    invited = Counter(_cpt_name(c) for c in SurveyComune.objects.select_related("cpt"))
    names = sorted(set(invited) | {c.name for c in Cpt.objects.all()})
    for name in names:
        g = groups.get(name, defaultdict(Decimal))
        rows.append([year, name, invited.get(name, 0), int(g["comuni"]), active[name], int(g["places"]),
                     g["attendance"].quantize(Decimal("0.1")), int(g["children"]), pct(g["places"], g["children"])]
                    + [euros[name][a] for a in ACTION_CODES])
    return rows


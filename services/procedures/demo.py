"""Demo of the 0-3 survey: a fictional Region's registry — two provinces, four CPT, a dozen Comuni, the services it
preloaded with their places and the ISTAT children aged 0-2 (fixtures/) — and, with the demo users, the municipal users
and sheets in every state."""

import csv
from datetime import date
from pathlib import Path

from django.conf import settings

from .models import ChildPopulation, ComuneEnablement, Cpt, EarlyYearsService, SurveyComune

# (ISTAT, name, province, CPT code or None)
CPTS = [("CPT-TO-COLLINE", "CPT Colline del Po"), ("CPT-TO-PIANURA", "CPT Pianura torinese"),
        ("CPT-CN-LANGHE", "CPT Langhe e Roero"), ("CPT-CN-MONVISO", "CPT Valli del Monviso")]
COMUNI = [("999001", "Valfiorita", "TO", "CPT-TO-COLLINE"), ("999002", "Borgo San Pietro", "TO", None),
          ("999003", "Castelrotondo", "TO", "CPT-TO-COLLINE"), ("999004", "Montebruno", "TO", "CPT-TO-COLLINE"),
          ("999005", "Pianezzo", "TO", "CPT-TO-PIANURA"), ("999006", "Rivalunga", "TO", "CPT-TO-PIANURA"),
          ("999007", "Cascine Nuove", "TO", None), ("999008", "Serralba", "CN", "CPT-CN-LANGHE"),
          ("999009", "Roccaverde", "CN", "CPT-CN-LANGHE"), ("999010", "Vigneto", "CN", "CPT-CN-LANGHE"),
          ("999011", "Pontechiaro", "CN", "CPT-CN-MONVISO"), ("999012", "Sanfront Alto", "CN", "CPT-CN-MONVISO")]
# (code, comune ISTAT, name, address, kind, ownership, authorised on, places)
SERVICES = [
    ("NI-999001-01", "999001", "Nido comunale Il Girotondo", "Via dei Tigli 4", "nido", "public", date(2015, 9, 1), 40),
    ("SP-999001-02", "999001", "Sezione primavera Arcobaleno", "Via Roma 18", "primavera", "private", date(2019, 9, 1), 20),
    ("MN-999001-03", "999001", "Micronido Piccoli Passi", "Corso Italia 7", "micronido", "private", date(2026, 6, 1), 12),
    ("SG-999001-04", "999001", "Spazio gioco Il Trenino", "Viale della Stazione 5", "spazio", "public", date(2027, 2, 10), 15),
    ("NI-999002-01", "999002", "Nido Le Coccinelle", "Piazza del Mercato 2", "nido", "public", date(2010, 1, 15), 30),
    ("CB-999003-01", "999003", "Centro bambini e genitori La Tana", "Via dei Mulini 3", "centro", "private", date(2021, 2, 1), 18),
    ("NI-999003-02", "999003", "Nido aziendale Castello", "Zona industriale 1", "nido", "private", date(2027, 4, 1), 24),
    ("NI-999004-01", "999004", "Nido Il Melograno", "Via delle Vigne 2", "nido", "public", date(2012, 9, 1), 36),
    ("SP-999004-02", "999004", "Sezione primavera Girasole", "Piazza della Chiesa 1", "primavera", "public", date(2018, 9, 1), 18),
    ("NI-999005-01", "999005", "Nido Le Api", "Via del Molino 9", "nido", "private", date(2016, 1, 10), 28),
    ("MN-999005-02", "999005", "Micronido Orsetti", "Via Garibaldi 14", "micronido", "private", date(2020, 9, 1), 10),
    ("NI-999006-01", "999006", "Nido comunale Aquilone", "Via Po 21", "nido", "public", date(2009, 9, 1), 45),
    ("SG-999006-02", "999006", "Spazio gioco Bolle di sapone", "Via Torino 3", "spazio", "private", date(2022, 3, 1), 14),
    ("NI-999007-01", "999007", "Nido Cascina Fiorita", "Strada delle Cascine 8", "nido", "private", date(2014, 9, 1), 24),
    ("NI-999008-01", "999008", "Nido Tartufino", "Via Alba 5", "nido", "public", date(2011, 9, 1), 30),
    ("SP-999008-02", "999008", "Sezione primavera Nocciola", "Via delle Langhe 2", "primavera", "private", date(2017, 9, 1), 15),
    ("NI-999009-01", "999009", "Nido Il Castagno", "Piazza Castello 4", "nido", "public", date(2013, 9, 1), 32),
    ("CB-999010-01", "999010", "Centro bambini e genitori Grappolo", "Via del Vino 11", "centro", "public", date(2019, 1, 7), 16),
    ("NI-999011-01", "999011", "Nido Pietra Bianca", "Via del Ponte 1", "nido", "public", date(2008, 9, 1), 26),
    ("NI-999012-01", "999012", "Nido Monviso", "Via Alpi 3", "nido", "private", date(2015, 9, 1), 20),
]
POPULATION_FILE = Path(settings.BASE_DIR) / "fixtures" / "istat-popolazione-0-2-2026.csv"


def load(context) -> int:
    created = 0
    cpts = {}
    for code, name in CPTS:
        cpts[code], new = Cpt.objects.get_or_create(code=code, defaults={"name": name})
        created += new
    comuni = {}
    for istat, name, province, cpt in COMUNI:
        comuni[istat], new = SurveyComune.objects.get_or_create(
            istat_code=istat, defaults={"name": name, "province": province, "cpt": cpts.get(cpt)})
        created += new
    for code, istat, name, address, kind, ownership, authorised, places in SERVICES:
        _, new = EarlyYearsService.objects.get_or_create(code=code, defaults={
            "comune": comuni[istat], "name": name, "address": address, "kind": kind, "ownership": ownership,
            "authorised_on": authorised, "places": places})
        created += new
    for row in csv.reader(POPULATION_FILE.read_text(encoding="utf-8-sig").splitlines()[1:], delimiter=";"):
        if row and row[0] in comuni:
            created += ChildPopulation.objects.get_or_create(comune=comuni[row[0]], year=2026, defaults={"children": int(row[1])})[1]
    return created


# The municipal users: one per Comune with sheets, and `comune.valfiorita`, enabled on two Comuni (it chooses one).
MULTI_USER = ("comune.valfiorita", "Valeria", "Fioriti", ["999001", "999003"])
# What each demo Comune has done: (SERVIZI 03, INTERVENTI), each None (not started), "draft", "sent", "taken",
# "rejected" (sent back with a note) or "validated".
SHEET_PLAN = {"999004": ("validated", "validated"), "999005": ("validated", "taken"), "999006": ("rejected", None),
              "999007": ("sent", None), "999008": ("validated", "validated"), "999009": ("validated", "rejected"),
              "999010": ("draft", None)}
NOTES = {"999006": "Il Nido comunale Aquilone risulta con 45 posti ma la media indicata è 52: verificate i frequentanti.",
         "999009": "La descrizione dell'azione B3 non indica a quali rette si applica la riduzione: precisatela."}


def load_survey_sheets(context) -> int:
    """With the demo users: the municipal users, the regional office's validator and sheets in every state."""
    from django.contrib.auth import get_user_model

    from allauth.account.models import EmailAddress

    from services.accounts.demo import DEMO_PASSWORD
    from services.istanze.models import Istanza

    from . import ril03

    User = get_user_model()
    made = 0
    regione = User.objects.filter(username="regione").first()
    users = {}
    username, first, last, istats = MULTI_USER
    for istat, name, _province, _cpt in COMUNI:
        if istat in SHEET_PLAN or istat in istats:
            login = username if istat in istats else f"comune.{istat}"
            user, new = User.objects.get_or_create(username=login, defaults={
                "first_name": first if login == username else "Referente", "last_name": last if login == username else name,
                "email": f"{login}@example.it"})
            if new:
                user.set_password(DEMO_PASSWORD)
                user.save()
                made += 1
            # portal credentials sign in by e-mail, verified (the regional system's RUPAR accounts in the seed)
            EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
            users[istat] = user
            ComuneEnablement.objects.get_or_create(user=user, comune=SurveyComune.objects.get(istat_code=istat),
                                                   defaults={"enabled_by": regione})
    if Istanza.objects.filter(procedure_code__in=(ril03.CODE, ril03.ACTIONS_CODE)).exists():
        return made
    for istat, (services_state, actions_state) in SHEET_PLAN.items():
        comune = SurveyComune.objects.get(istat_code=istat)
        _sheet(ril03.CODE, comune, users[istat], regione, services_state)
        if actions_state:
            _sheet(ril03.ACTIONS_CODE, comune, users[istat], regione, actions_state)
        made += 1
    return made


def _sheet(code, comune, user, regione, state):
    """One sheet filled as the municipal user would, then moved by the engine's transitions to `state`."""
    from services.istanze.actions import istanza_compile, istanza_draft_get_or_create, istanza_transition
    from services.istanze.states import Actor, Status

    from . import ril03

    services = ril03.surveyed_services(comune)
    choice = {"comune": comune.pk, "designato": True, "edizione": ril03.EDITION.year}
    if code == ril03.CODE:
        rows = [{"servizio": s.pk, "codice": s.code, "denominazione": s.name, "stato": "attivo", "motivazione": "",
                 "media_frequentanti": str(round(s.places * 0.8, 1))} for s in services]
        data = {"comune": choice, "servizi": rows, "mancanti": [], "dichiarazioni": {"privacy": True, "veridicita": True}}
        summary = [{"title": "Scheda SERVIZI 03", "rows": [[r["denominazione"], f"attivo, media {r['media_frequentanti']}"] for r in rows]}]
    else:
        services_sheet = ril03.survey_holding(comune.pk, ril03.EDITION.year)
        active = set(ril03.selectors.active_services(services_sheet))
        answers = {}
        for s in services:
            for action in ril03.required_actions(s) if s.pk in active else []:
                answers[f"s{s.pk}_{action}_importo"] = f"{s.places * 150}.00"
                answers[f"s{s.pk}_{action}_descrizione"] = "Contributo comunale per l'anno educativo"
        if comune.in_cpt:
            answers.update(comune_C1_importo="2000.00", comune_C1_descrizione="Formazione congiunta delle educatrici del CPT")
        answers.update(servizi_numero=services_sheet.number, servizi_attivi=sorted(active))
        data = {"comune": choice, "interventi": answers, "dichiarazioni": {"privacy": True, "veridicita": True}}
        summary = [{"title": "Scheda INTERVENTI", "rows": [[k, v] for k, v in answers.items() if k.endswith("_importo")]}]
    istanza, _ = istanza_draft_get_or_create(owner=user, procedure_code=code)
    istanza = istanza_compile(istanza=istanza, by=user, data=data, files=[], wizard={}, summary=summary)
    if state == "draft":
        return istanza
    istanza = istanza_transition(istanza=istanza, to=Status.INVIATA, by=user, actor_kind=Actor.CITIZEN)
    if state == "sent":
        return istanza
    istanza = istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=regione, actor_kind=Actor.OFFICE)
    if state == "rejected":
        return istanza_transition(istanza=istanza, to=Status.IN_ATTESA_DI_INTEGRAZIONE, by=regione, actor_kind=Actor.OFFICE,
                                  note=NOTES[comune.istat_code])
    if state == "validated":
        return istanza_transition(istanza=istanza, to=Status.ACCOLTA, by=regione, actor_kind=Actor.OFFICE)
    return istanza


# An activation request waiting for the Ufficio Scuola: Elena Conti (demo IdP), head of the Primaria Giovanni Pascoli, who
# can sign in as the new Master once it is approved.
SCHOOL_ACTIVATION_REQUEST = {"fiscal_code": "CNTLNE72E50H501R", "first_name": "Elena", "last_name": "Conti",
                             "email": "elena.conti@example.it", "school": "ANEE81002E", "pec": "pascoli@pec.istruzione.example.it"}


def load_activation_request(context) -> int:
    """With the demo users: a school's activation request waiting for the Ufficio Scuola."""
    from django.contrib.auth import get_user_model

    from services.istanze.actions import istanza_compile, istanza_draft_get_or_create, istanza_transition
    from services.istanze.models import Istanza
    from services.istanze.states import Actor, Status
    from services.schools.models import School

    request = SCHOOL_ACTIVATION_REQUEST
    if Istanza.objects.filter(procedure_code="SCUOLA_ATTIVAZIONE").exists():
        return 0
    head, _ = get_user_model().objects.get_or_create(
        username=request["fiscal_code"], defaults={k: request[k] for k in ("fiscal_code", "first_name", "last_name", "email")})
    istanza, _ = istanza_draft_get_or_create(owner=head, procedure_code="SCUOLA_ATTIVAZIONE")
    answers = {"scuola": {"scuola": request["school"], "pec": request["pec"], "ruolo": "dirigente"},
               "dichiarazioni": {"privacy": True, "veridicita": True}}
    istanza = istanza_compile(istanza=istanza, by=head, data=answers, files=[], wizard={}, summary=[
        {"title": "Scuola e richiedente", "rows": [["Scuola", School.objects.get(code=request["school"]).name],
                                                  ["PEC istituzionale della scuola", request["pec"]],
                                                  ["Il tuo ruolo", "Dirigente scolastico"]]}])
    istanza_transition(istanza=istanza, to=Status.INVIATA, by=head, actor_kind=Actor.CITIZEN)
    return 1


def load_protocol_profiles(context) -> int:
    """Where the school services' documents go in the protocol register: title VII (services to people), class 1
    (the right to education) of the Comuni's titolario, assigned to the Ufficio Scuola."""
    from services.istanze import registry
    from services.protocol.models import Profile

    created = 0
    for procedure in registry.catalogue():
        _, new = Profile.objects.get_or_create(scope=procedure.code, defaults={"classification": "7.1",
                                                                               "office": "Ufficio Scuola"})
        created += new
    return created

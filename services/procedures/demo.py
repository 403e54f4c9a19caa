"""Demo registry for the 0-3 survey: three fictional Comuni and the services the Region preloaded."""

from datetime import date

from .models import EarlyYearsService, SurveyComune

COMUNI = [("999001", "Valfiorita", True), ("999002", "Borgo San Pietro", False), ("999003", "Castelrotondo", True)]
# (code, comune ISTAT, name, address, kind, ownership, authorised on)
SERVICES = [
    ("NI-999001-01", "999001", "Nido comunale Il Girotondo", "Via dei Tigli 4", "nido", "public", date(2015, 9, 1)),
    ("SP-999001-02", "999001", "Sezione primavera Arcobaleno", "Via Roma 18", "primavera", "private", date(2019, 9, 1)),
    ("MN-999001-03", "999001", "Micronido Piccoli Passi", "Corso Italia 7", "micronido", "private", date(2026, 6, 1)),
    ("SG-999001-04", "999001", "Spazio gioco Il Trenino", "Viale della Stazione 5", "spazio", "public", date(2027, 2, 10)),
    ("NI-999002-01", "999002", "Nido Le Coccinelle", "Piazza del Mercato 2", "nido", "public", date(2010, 1, 15)),
    ("CB-999003-01", "999003", "Centro bambini e genitori La Tana", "Via dei Mulini 3", "centro", "private", date(2021, 2, 1)),
    ("NI-999003-02", "999003", "Nido aziendale Castello", "Zona industriale 1", "nido", "private", date(2027, 4, 1)),
]


def load(context) -> int:
    created = 0
    comuni = {}
    for istat, name, in_cpt in COMUNI:
        comuni[istat], new = SurveyComune.objects.get_or_create(istat_code=istat, defaults={"name": name, "in_cpt": in_cpt})
        created += new
    for code, istat, name, address, kind, ownership, authorised in SERVICES:
        _, new = EarlyYearsService.objects.get_or_create(code=code, defaults={
            "comune": comuni[istat], "name": name, "address": address, "kind": kind, "ownership": ownership, "authorised_on": authorised})
        created += new
    return created


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

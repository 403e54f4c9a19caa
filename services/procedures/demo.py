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


def load() -> int:
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

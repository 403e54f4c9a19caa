"""Demo registries for OEPAC: 4 ambiti in 2 Municipi, 24 schools, 9 accredited organisations (fictional)."""

from services.accounts.models import Office
from services.schools.models import Ambito, School

from .models import Organisation

AMBITI = [
    ("Centro storico", "municipio-1"),
    ("Stazione e Borgo Nuovo", "municipio-1"),
    ("Colline nord", "municipio-2"),
    ("Colline sud", "municipio-2"),
]

# (code, name, order, ambito, address)
SCHOOLS = [
    ("ANAA81001B", "Infanzia Girasole", "infanzia", "Centro storico", "Via del Duomo 3"),
    ("ANEE81001D", "Primaria Dante Alighieri", "primaria", "Centro storico", "Piazza della Repubblica 8"),
    ("ANEE81002E", "Primaria Giovanni Pascoli", "primaria", "Centro storico", "Via Mazzini 21"),
    ("ANMM81001C", "Secondaria di I grado Galileo Galilei", "secondaria_1", "Centro storico", "Via Garibaldi 40"),
    ("ANAA81002C", "Infanzia Arcobaleno", "infanzia", "Centro storico", "Vicolo dei Fabbri 2"),
    ("ANMM81002D", "Secondaria di I grado Leonardo da Vinci", "secondaria_1", "Centro storico", "Corso Matteotti 15"),
    ("ANAA82001E", "Infanzia Il Trenino", "infanzia", "Stazione e Borgo Nuovo", "Viale della Stazione 5"),
    ("ANEE82001G", "Primaria Maria Montessori", "primaria", "Stazione e Borgo Nuovo", "Via Verdi 9"),
    ("ANEE82002H", "Primaria Gianni Rodari", "primaria", "Stazione e Borgo Nuovo", "Via Rossini 30"),
    ("ANMM82001F", "Secondaria di I grado Enrico Fermi", "secondaria_1", "Stazione e Borgo Nuovo", "Via dell'Industria 12"),
    ("ANAA82002F", "Infanzia Le Rondini", "infanzia", "Stazione e Borgo Nuovo", "Via Puccini 4"),
    ("ANEE82003L", "Primaria Borgo Nuovo", "primaria", "Stazione e Borgo Nuovo", "Piazza Borgo Nuovo 1"),
    ("ANAA83001G", "Infanzia Collina Fiorita", "infanzia", "Colline nord", "Via dei Ciliegi 7"),
    ("ANEE83001L", "Primaria San Marco", "primaria", "Colline nord", "Frazione San Marco 11"),
    ("ANEE83002M", "Primaria Monte Alto", "primaria", "Colline nord", "Via Panoramica 2"),
    ("ANMM83001L", "Secondaria di I grado Alessandro Manzoni", "secondaria_1", "Colline nord", "Via delle Vigne 18"),
    ("ANAA83002H", "Infanzia Piccoli Passi", "infanzia", "Colline nord", "Via degli Ulivi 6"),
    ("ANEE83003N", "Primaria Poggio Verde", "primaria", "Colline nord", "Località Poggio Verde"),
    ("ANAA84001L", "Infanzia Il Mulino", "infanzia", "Colline sud", "Via del Mulino 1"),
    ("ANEE84001P", "Primaria Santa Lucia", "primaria", "Colline sud", "Frazione Santa Lucia 3"),
    ("ANEE84002Q", "Primaria Valle del Sole", "primaria", "Colline sud", "Via Valle del Sole 14"),
    ("ANMM84001N", "Secondaria di I grado Maria Curie", "secondaria_1", "Colline sud", "Via della Scienza 10"),
    ("ANAA84002M", "Infanzia Coccinella", "infanzia", "Colline sud", "Via dei Prati 9"),
    ("ANMM84002P", "Secondaria di I grado Italo Calvino", "secondaria_1", "Colline sud", "Via dei Tigli 5"),
]

# (name, fiscal code, ambiti)
ORGANISATIONS = [
    ("Cooperativa sociale Il Ponte", "01234560421", ["Centro storico", "Stazione e Borgo Nuovo"]),
    ("Cooperativa sociale Passo dopo Passo", "01234570422", ["Centro storico"]),
    ("Associazione Insieme a Scuola", "91234580423", ["Centro storico", "Colline nord"]),
    ("Cooperativa sociale La Bussola", "01234590424", ["Stazione e Borgo Nuovo"]),
    ("Consorzio Servizi Educativi Valfiorita", "01234600425", ["Stazione e Borgo Nuovo", "Colline nord", "Colline sud"]),
    ("Cooperativa sociale Arcobaleno", "01234610426", ["Colline nord"]),
    ("Cooperativa sociale Orizzonti", "01234620427", ["Colline nord", "Colline sud"]),
    ("Associazione Mani Aperte", "91234630428", ["Colline sud"]),
    ("Cooperativa sociale Il Faro", "01234640429", ["Colline sud", "Centro storico"]),
]


def load(context) -> int:
    created = 0
    ambiti = {}
    for name, office_slug in AMBITI:
        ambiti[name], new = Ambito.objects.get_or_create(name=name, defaults={"office": Office.objects.get(slug=office_slug)})
        created += new
    for code, name, order, ambito, address in SCHOOLS:
        _, new = School.objects.get_or_create(code=code, defaults={"name": name, "order": order, "ambito": ambiti[ambito], "address": address})
        created += new
    for name, fiscal_code, ambito_names in ORGANISATIONS:
        organisation, new = Organisation.objects.get_or_create(name=name, defaults={"fiscal_code": fiscal_code})
        if new:
            organisation.ambiti.set([ambiti[a] for a in ambito_names])
        created += new
    return created

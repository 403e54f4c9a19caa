"""The demo Comune's offices and, in the demo only (--with-users), its staff and Maria Rossi, the SPID demo identity
who is a parent (services/core/demo.py)."""

import datetime

from django.contrib.auth.models import Group

from .models import Office

OFFICES = [
    {"slug": "ufficio-scuola", "name": "Ufficio Scuola", "kind": "ufficio",
     "description": "Iscrizioni a mensa e trasporto, conto mensa, tariffe e diete speciali.",
     "manager": "Dott.ssa Laura Bianchi", "street_address": "Via delle Scuole 4", "postal_code": "60010",
     "city": "Valfiorita", "phone": "071 000 1020", "email": "scuola@comune.valfiorita.example.it",
     "pec": "scuola@pec.comune.valfiorita.example.it",
     "opening_hours": "Lunedì, mercoledì e venerdì 9:00-12:30\nGiovedì 15:00-17:30"},
    {"slug": "urp", "name": "Ufficio Relazioni con il Pubblico", "kind": "urp",
     "description": "Informazioni generali prima della presentazione delle domande e aiuto nell'invio online.",
     "manager": "Sig. Marco Rossi", "street_address": "Piazza del Municipio 1", "postal_code": "60010",
     "city": "Valfiorita", "phone": "071 000 1000", "email": "urp@comune.valfiorita.example.it",
     "opening_hours": "Dal lunedì al venerdì 8:30-13:00"},
    {"slug": "municipio-1", "name": "Municipio I - Centro", "kind": "municipio",
     "description": "Istruttoria delle domande OEPAC degli alunni delle scuole del centro.",
     "manager": "Dott. Paolo Verdi", "street_address": "Via Roma 10", "postal_code": "60010", "city": "Valfiorita",
     "phone": "071 000 1101", "email": "municipio1.scuola@comune.valfiorita.example.it",
     "opening_hours": "Martedì e giovedì 9:00-12:00"},
    {"slug": "municipio-2", "name": "Municipio II - Colline", "kind": "municipio",
     "description": "Istruttoria delle domande OEPAC degli alunni delle scuole delle frazioni collinari.",
     "manager": "Dott.ssa Anna Neri", "street_address": "Via dei Colli 3", "postal_code": "60011",
     "city": "Valfiorita", "phone": "071 000 1201", "email": "municipio2.scuola@comune.valfiorita.example.it",
     "opening_hours": "Lunedì e mercoledì 9:00-12:00"},
    {"slug": "servizi-educativi-0-6", "name": "Ufficio Servizi educativi 0-6", "kind": "ufficio",
     "description": "Registrazione degli utenti comunali e rilevazione annuale dei servizi per la prima infanzia.",
     "manager": "Dott.ssa Chiara Galli", "street_address": "Via delle Scuole 4", "postal_code": "60010",
     "city": "Valfiorita", "phone": "071 000 1030", "email": "zerosei@comune.valfiorita.example.it",
     "opening_hours": "Dal lunedì al venerdì 9:00-12:00"},
    {"slug": "ufficio-regionale-0-3", "name": "Ufficio regionale servizi per la prima infanzia", "kind": "altro",
     "description": "Validazione delle schede SERVIZI 03 e INTERVENTI dei Comuni e abilitazione degli utenti comunali.",
     "manager": "Dott. Giorgio Ferrero", "street_address": "Via della Regione 12", "postal_code": "10121",
     "city": "Torino", "phone": "011 000 4030", "email": "primainfanzia@regione.example.it",
     "opening_hours": "Dal lunedì al venerdì 9:30-12:30"},
]


def load_offices(context) -> int:
    made = 0
    for row in OFFICES:
        made += Office.objects.get_or_create(slug=row["slug"], defaults={k: v for k, v in row.items() if k != "slug"})[1]
    return made


DEMO_PASSWORD = "sportello-demo"  # noqa: S105 - demo users exist only in the demo (--with-users)
DEMO_USERS = [
    ("admin", "Amministratore", "Demo", None, True, []),
    ("redattore", "Roberta", "Redattrice", "Editors", False, []),
    ("moderatore", "Mario", "Moderatore", "Moderators", False, []),
    ("operatore.municipio1", "Olga", "Operatrice", "Office operators", False, ["municipio-1"]),
    ("operatore.municipio2", "Oreste", "Operatore", "Office operators", False, ["municipio-2"]),
    ("operatore.zerosei", "Zelda", "Zerosei", "Office operators", False, ["servizi-educativi-0-6"]),
    ("operatore.scuola", "Sara", "Scolastici", "Office operators", False, ["ufficio-scuola"]),
    ("mensa", "Carla", "Cucina", "Canteen staff", False, []),
    ("urp", "Ulisse", "Relazioni", "URP", False, ["urp"]),
    ("regione", "Renata", "Regionale", "Regional validators", False, ["ufficio-regionale-0-3"]),
]


def load_users(context):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    made = 0
    for username, first, last, group, is_superuser, office_slugs in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.it",
                                         "is_staff": True, "is_superuser": is_superuser})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            made += 1
        if group:
            user.groups.add(Group.objects.get(name=group))
        if office_slugs:
            user.offices.add(*Office.objects.filter(slug__in=office_slugs))
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    maria, new = User.objects.get_or_create(
        username="RSSMRA85C52H501N",
        defaults={"fiscal_code": "RSSMRA85C52H501N", "first_name": "Maria", "last_name": "Rossi",
                  "email": "maria.rossi@example.it", "date_of_birth": datetime.date(1985, 3, 12)})
    return made + new

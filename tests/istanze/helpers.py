"""Helpers to drive the procedure wizard through Django's test client."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from services.accounts.models import Office
from services.istanze.actions import istanza_compile, istanza_draft_get_or_create, istanza_transition
from services.istanze.models import Istanza
from services.istanze.states import Actor, Status

SPID_USERS = {
    "maria": ("RSSMRA85C52H501N", "Maria", "Rossi", "maria.rossi@example.it"),
    "luca": ("BNCLCU82S02A271A", "Luca", "Bianchi", "luca.bianchi@example.it"),
    "paolo": ("FRRPLA68A14L219Z", "Paolo", "Ferrari", "sindaco@comune.valfiorita.example.it"),
    "sara": ("RSSSRA90P70F205P", "Sara", "Russo", ""),
}


def make_citizen(key="maria"):
    code, first, last, email = SPID_USERS[key]
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=code, defaults={"fiscal_code": code, "first_name": first, "last_name": last, "email": email}
    )
    return user


def spid_login(client, user, level=2, method="spid"):
    """What a SPID/CIE login leaves behind (the ACS view): the codice fiscale attested, the method and level in the
    session. With method="local", a password login."""
    if method != "local":
        from services.accounts.actions import identity_attested

        identity_attested(user=user, method=method, level=level)
    client.force_login(user)
    session = client.session
    if method != "local":
        session["auth_method"] = method
        session["auth_level"] = level
    session.save()
    return client


def start(client, code, choice="nuova") -> Istanza:
    response = client.post(f"/area-personale/pratiche/nuova/{code}/", {"scelta": choice})
    assert response.status_code == 302, response.content[:500]
    return Istanza.objects.filter(procedure_code=code).order_by("-pk").first()


def compile_url(istanza):
    return f"/area-personale/pratiche/{istanza.public_id}/compila/"


def post_step(client, istanza, step, data, action="avanti", files=None, goto=None):
    payload = {"istanza-current_step": step, "azione": action, **{f"{step}-{k}": v for k, v in data.items()}}
    if goto:
        payload["wizard_goto_step"] = goto
    if files:
        payload.update({f"{step}-{k}": v for k, v in files.items()})
    return client.post(compile_url(istanza), payload)


def formset(rows, **extra):
    data = {"TOTAL_FORMS": str(len(rows)), "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "1", "MAX_NUM_FORMS": "50", **extra}
    for n, row in enumerate(rows):
        data.update({f"{n}-{k}": v for k, v in row.items()})
    return data


def make_operator(username, office_slug):
    user = get_user_model().objects.create_user(username, password="x", is_staff=True, first_name=username.title(), last_name="Operatore")
    user.groups.add(Group.objects.get(name="Office operators"))
    user.offices.add(office(office_slug))
    return user


def office(slug):
    """The office by its demo slug: the demo's when it is loaded, made here otherwise (TESTS_WITHOUT_DEMO)."""
    kind = Office.Kind.URP if slug == "urp" else Office.Kind.MUNICIPIO if slug.startswith("municipio") else Office.Kind.UFFICIO
    return Office.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").title(), "kind": kind})[0]


def save_data(istanza, by, data):
    return istanza_compile(istanza=istanza, by=by, data=data, summary=[], files=[], wizard={})


def submitted(citizen):
    istanza, _ = istanza_draft_get_or_create(owner=citizen, procedure_code="TEST_PROC")
    istanza = save_data(istanza, citizen, {"dati": {"nome": "Maria"}})
    assert istanza.status == Status.DA_INVIARE
    return istanza_transition(istanza=istanza, to=Status.INVIATA, by=citizen, actor_kind=Actor.CITIZEN)


# A child as the MENSA and TRASPORTO procedures ask for it, at the demo's primary school.
ANNA = {"nome": "Anna", "cognome": "Rossi", "codice_fiscale": "RSSNNA18C52A271C", "classe": "2ª B"}
DEMO_SCHOOL = "ANEE81001D"


def child_step(year, **extra):
    from services.schools.models import School

    return {"anno_scolastico": year.label, **ANNA, "scuola": School.objects.get(code=DEMO_SCHOOL).pk, **extra}


def office_accept(operator, istanza, data, capture):
    """The office takes the application in hand and accepts it with the acceptance form's `data`;
    on-commit callbacks (the messages, the notices) run."""
    from django.test import Client

    office = Client()
    office.force_login(operator)
    with capture(execute=True):
        assert office.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/").status_code == 302
        response = office.post(f"/admin/pratiche/{istanza.pk}/azione/accogli/", {f"accogli-{k}": v for k, v in data.items()})
    istanza.refresh_from_db()
    return response

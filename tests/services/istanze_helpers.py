"""Helpers to drive the procedure wizard through Django's test client."""

from django.contrib.auth import get_user_model

from services.istanze.models import Istanza

SPID_USERS = {
    "maria": ("RSSMRA85C52H501N", "Maria", "Rossi", "maria.rossi@example.it"),
    "luca": ("BNCLCU82S02A271A", "Luca", "Bianchi", "luca.bianchi@example.it"),
}


def make_citizen(key="maria"):
    code, first, last, email = SPID_USERS[key]
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=code, defaults={"fiscal_code": code, "first_name": first, "last_name": last, "email": email}
    )
    return user


def spid_login(client, user, level=2, method="spid"):
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

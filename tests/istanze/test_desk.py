"""The applications' desk (issue 26): the office's actions are classes in a registry, offered where the kernel's table
lets the office move, dispatched by one view that says what was done and to which application."""

from django.test import Client

from services.core import desk
from services.istanze.desk import DESK
from services.istanze.states import Status
from tests.istanze.helpers import make_operator, submitted


def _names(istanza, user):
    return [a.name for a in DESK.available(istanza, user)]


def test_the_actions_offered_follow_the_table_and_the_notes_it_asks_for(citizen):
    operator = make_operator("olga", "municipio-1")
    istanza = submitted(citizen)
    assert _names(istanza, operator) == ["prendi_in_carico", "assegna", "allega_atto"]
    office = Client()
    office.force_login(operator)
    done = office.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/", follow=True).content.decode()
    istanza.refresh_from_db()
    assert istanza.status == Status.PRESA_IN_CARICO and f"Pratica {istanza.number}: Presa in carico." in done
    assert _names(istanza, operator) == ["richiedi_integrazione", "accogli", "respingi", "assegna", "allega_atto"]
    entries = {e["name"]: e for e in DESK.entries(type("R", (), {"user": operator, "GET": {}})(), istanza)}
    assert entries["respingi"]["note_required"] and not entries["accogli"]["note_required"]
    assert entries["respingi"]["url"] == f"/admin/pratiche/{istanza.pk}/azione/respingi/"


def test_an_action_not_offered_now_changes_nothing_and_says_so(citizen):
    operator = make_operator("olga", "municipio-1")
    istanza = submitted(citizen)
    office = Client()
    office.force_login(operator)
    for name in ("accogli", "inventata"):
        response = office.post(f"/admin/pratiche/{istanza.pk}/azione/{name}/", follow=True)
        assert "Questa operazione non è possibile ora" in response.content.decode()
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA
    assert office.get(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/").status_code == 404  # POST only
    stranger = Client()
    stranger.force_login(make_operator("ugo", "urp"))
    assert stranger.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/").status_code == 404  # another office's


def test_every_desk_has_its_url_and_its_actions_say_what_they_did():
    names = {d.name for d in desk.desks()}
    assert {"istanze", "assistance", "appointments", "slots", "schools"} <= names
    for registered in desk.desks():
        for action in registered.actions.values():
            assert action.name and str(action.label) and type(action).execute is not desk.Action.execute, action

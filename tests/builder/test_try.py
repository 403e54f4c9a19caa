"""Editors try a procedure as a citizen: the latest draft (not yet published) frozen as a test version; the test
application ends in PROVA — never numbered, routed, charged or listed for the office — and can be deleted."""

from django.contrib.auth import get_user_model

import pytest

from services.builder import actions
from services.builder.models import ProcedureVersion
from services.istanze import registry
from services.istanze.models import Istanza
from services.istanze.states import Status
from services.payments.models import PaymentPosition
from tests.istanze.helpers import post_step

from .test_group_and_admin import CHILD, children, contacts


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_superuser("redattrice", "redattrice@example.it", "x")
    return user


def test_an_editor_tries_the_unpublished_draft_and_nothing_is_sent(client, editor, built):
    procedure = built("centro-estivo")
    procedure.title = "Centro estivo 2027"
    procedure.save_revision()  # a draft, not published
    client.force_login(editor)
    assert "Inizia la prova" in client.get(f"/admin/procedure-costruite/{procedure.pk}/prova/").content.decode()
    response = client.post(f"/admin/procedure-costruite/{procedure.pk}/prova/")
    assert response["Location"] == "/area-personale/pratiche/nuova/CENTRO_ESTIVO-PROVA/"
    version = ProcedureVersion.objects.get(code="CENTRO_ESTIVO-PROVA")
    assert version.test and version.definition["titolo"] == "Centro estivo 2027"
    assert "CENTRO_ESTIVO-PROVA" not in [p.code for p in registry.catalogue()]
    start = client.post(response["Location"], {"scelta": "nuova"})
    assert start.status_code == 302, start.content[:300]
    istanza = Istanza.objects.get(procedure_code="CENTRO_ESTIVO-PROVA")
    assert istanza.test
    contacts(client, istanza)
    children(client, istanza, [CHILD])
    post_step(client, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    page = client.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode()
    assert "Domanda di prova" in page and "€ 120,00" in page  # what it would cost, not charged
    client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.PROVA and istanza.number is None and istanza.office is None
    assert not PaymentPosition.objects.exists()
    client.post(f"/area-personale/pratiche/{istanza.public_id}/elimina-bozza/")
    assert not Istanza.objects.filter(pk=istanza.pk).exists()


def test_trying_the_same_draft_again_reuses_its_test_version(built):
    procedure = built("rimborso-mensa")
    first = actions.version_for_test(procedure=procedure)
    assert actions.version_for_test(procedure=procedure) == first
    procedure.title = "Altro titolo"
    procedure.save_revision()
    assert actions.version_for_test(procedure=procedure).number == first.number + 1


def test_a_real_application_can_never_end_as_a_test():
    from services.core import workflow
    from services.istanze.states import Actor, TransitionError

    with pytest.raises(TransitionError):
        workflow.check(Istanza(status=Status.DA_INVIARE, test=False), Status.PROVA, actor=Actor.CITIZEN)
    with pytest.raises(TransitionError):
        workflow.check(Istanza(status=Status.DA_INVIARE, test=True), Status.INVIATA, actor=Actor.CITIZEN)


def test_operators_compose_and_moderators_publish(db):
    from django.contrib.auth.models import Group

    def perms(name):
        return set(Group.objects.get(name=name).permissions.filter(content_type__app_label="builder")
                   .values_list("codename", flat=True))

    assert perms("Office operators") == {"add_builtprocedure", "change_builtprocedure", "view_builtprocedure"}
    assert "publish_builtprocedure" not in perms("Editors")
    assert "publish_builtprocedure" in perms("Moderators") and "delete_builtprocedure" in perms("Administrators")


def test_a_citizen_cannot_use_a_test_version(client_maria, built):
    procedure = built("rimborso-mensa")
    version = actions.version_for_test(procedure=procedure)
    response = client_maria.get(f"/area-personale/pratiche/nuova/{version.code}/")
    assert response.status_code == 403 and "non ancora pubblicata" in response.content.decode()
    assert client_maria.post(f"/area-personale/pratiche/nuova/{version.code}/", {"scelta": "nuova"}).status_code == 403
    assert not Istanza.objects.filter(procedure_code=version.code).exists()

"""The URP desk's alerts (issue 26): a request that reaches an office, is forwarded or assigned, or that the citizen
answers, is on the right people's dashboard."""

from django.contrib.auth.models import Group

import pytest

from services.assistance import actions
from services.assistance.models import AssistanceRequest
from services.notifications.models import StaffAlert
from tests.istanze.helpers import make_operator, office

pytestmark = pytest.mark.django_db


def _staff(username, office):
    user = make_operator(username, office)
    user.groups.add(Group.objects.get(name="URP"))
    return user


def test_arrival_forwarding_assignment_and_the_citizens_answer(django_capture_on_commit_callbacks):
    ugo, ada, olga = _staff("ugo", "urp"), _staff("ada", "urp"), _staff("olga", "municipio-1")
    with django_capture_on_commit_callbacks(execute=True):
        request = AssistanceRequest.objects.create(first_name="Anna", last_name="Verdi", email="anna@example.it", message="Domanda",
                                                   category_slug="urp", category_label="URP", office=office("urp"))
        actions.request_submit(request=request)
    request.refresh_from_db()
    assert set(StaffAlert.objects.values_list("user__username", flat=True)) == {"ugo", "ada"}
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_assign(request=request, to=ada, by=ugo)
    assert StaffAlert.objects.filter(user=ada, text=f"Ugo Operatore ti ha assegnato la richiesta {request.number}").exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_send(request=request, body="Ecco la risposta.", by=ada)
        request.refresh_from_db()
        actions.citizen_write(request=request, body="Grazie, ma ho un'altra domanda.")
    assert StaffAlert.objects.filter(user=ada, text=f"Il cittadino ha scritto sulla richiesta {request.number}").exists()
    assert not StaffAlert.objects.filter(user=ugo, text__startswith="Il cittadino").exists()  # the colleague holding it
    with django_capture_on_commit_callbacks(execute=True):
        request.refresh_from_db()
        actions.request_forward(request=request, office=office("municipio-1"), note="Di vostra competenza", by=ada)
    assert StaffAlert.objects.filter(user=olga, text__startswith=f"Nuova richiesta di assistenza {request.number}").exists()


def test_the_desk_page_shows_the_requests_changes_of_state(client):
    ugo, ada = _staff("ugo", "urp"), _staff("ada", "urp")
    request = AssistanceRequest.objects.create(first_name="Anna", last_name="Verdi", email="anna@example.it", message="Domanda",
                                               category_slug="urp", category_label="URP", office=office("urp"))
    actions.request_submit(request=request)
    actions.request_assign(request=request, to=ada, by=ugo)
    client.force_login(ugo)
    page = client.get(f"/admin/assistenza/{request.pk}/").content.decode()
    assert "Cambi di stato" in page and "<td>Nuova</td><td>Assegnata</td><td>Ugo Operatore</td>" in page

"""The protocol office's queue in the admin: why a registration failed, send it again, or type the number by hand."""

from django.utils import timezone

import pytest

from services.protocol.models import Registration
from services.protocol.states import Status as R
from tests.istanze.helpers import make_operator, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(citizen, recorder, django_capture_on_commit_callbacks):
    recorder.faults = ["refused"]
    with django_capture_on_commit_callbacks(execute=True):
        submitted(citizen)
    registration = Registration.objects.get()
    assert registration.status == R.FAILED
    return registration


def _inspect(registration):
    return f"/admin/protocol/registration/inspect/{registration.pk}/"


def test_an_operator_sees_why_and_sends_it_again(client, superuser, failed, recorder, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    assert "Non riuscita" in client.get("/admin/protocol/registration/?status=non_riuscita").content.decode()
    page = client.get(_inspect(failed)).content.decode()
    assert "Classificazione sconosciuta" in page and "Invia di nuovo" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/protocollo/{failed.pk}/riprova/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == R.REGISTERED and failed.number == "0000001"


def test_a_number_typed_by_hand_is_checked_next_to_the_field_and_kept(client, superuser, failed):
    client.force_login(superuser)
    today = timezone.localdate().strftime("%d/%m/%Y")
    page = client.post(f"/admin/protocollo/{failed.pk}/numero/", {"number": "12A4", "registered_on": today}).content.decode()
    assert "almeno 7 cifre" in page and 'value="12A4"' in page
    failed.refresh_from_db()
    assert failed.status == R.FAILED
    response = client.post(f"/admin/protocollo/{failed.pk}/numero/", {"number": "0004321", "registered_on": today})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == R.REGISTERED and failed.number == "0004321"


def test_staff_without_the_permission_cannot_act(client, failed):
    from django.contrib.auth.models import Group

    editor = make_operator("redattrice", "municipio-1")
    editor.groups.set([Group.objects.get_or_create(name="Editors")[0]])  # in the admin, but not an office's operator
    client.force_login(editor)
    response = client.post(f"/admin/protocollo/{failed.pk}/riprova/")
    assert response.status_code in (302, 403) and response.get("Location", "/admin/") == "/admin/"  # Wagtail's refusal
    failed.refresh_from_db()
    assert failed.status == R.FAILED


def test_the_office_finds_an_application_by_its_protocol_number(client, superuser, citizen, recorder,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        istanza = submitted(citizen)
    client.force_login(superuser)
    for term in ("0000001", "1"):
        page = client.get("/admin/istanze/istanza/", {"q": term}).content.decode()
        assert istanza.number in page, term
    assert istanza.number not in client.get("/admin/istanze/istanza/", {"q": "0000002"}).content.decode()


def test_operators_work_the_queue_and_administrators_set_where_documents_go():
    from django.contrib.auth.models import Group

    operators = set(Group.objects.get(name="Office operators").permissions.filter(content_type__app_label="protocol")
                    .values_list("codename", flat=True))
    administrators = set(Group.objects.get(name="Administrators").permissions.filter(content_type__app_label="protocol")
                         .values_list("codename", flat=True))
    assert operators == {"view_registration", "change_registration"}
    assert {"change_profile", "add_profile", "view_registration"} <= administrators

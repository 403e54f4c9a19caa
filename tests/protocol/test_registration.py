"""Applications registered in the Comune's protocol system (issue 31): once per event, whatever the retries."""

from datetime import date, timedelta

from django.utils import timezone

import pytest

from services.core import invariants
from services.istanze.actions import istanza_transition
from services.istanze.states import Actor, Status
from services.protocol import actions, tasks
from services.protocol.models import Registration
from services.protocol.states import Status as R
from tests.istanze.helpers import make_operator, submitted

pytestmark = pytest.mark.django_db


def _submit(citizen, capture):
    with capture(execute=True):
        return submitted(citizen)


def _send_again(registration):
    Registration.objects.filter(pk=registration.pk).update(next_attempt_at=None)
    return actions.registration_send(registration.pk)


def test_a_submitted_application_is_registered_once_with_its_receipt(citizen, recorder, django_capture_on_commit_callbacks):
    istanza = _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.REGISTERED and registration.number == "0000001" and registration.kind == "istanza"
    assert registration.stamp == f"Protocollo n. 0000001 del {timezone.localdate():%d/%m/%Y}"
    result, document = recorder.stored[registration.key]
    assert document.direction == "in" and istanza.number in document.subject
    assert document.main.content.startswith(b"%PDF") and document.correspondent.fiscal_code == citizen.fiscal_code
    assert actions.registration_send(registration.pk) is None and recorder.register_calls == 1  # done: never again
    assert not any(invariants.run().values())


def test_nothing_is_registered_without_a_protocol_system(citizen, settings, django_capture_on_commit_callbacks):
    settings.PROTOCOL_ADAPTER = ""
    _submit(citizen, django_capture_on_commit_callbacks)
    assert not Registration.objects.exists()


def test_an_answer_lost_after_the_system_registered_is_read_back_not_registered_again(
        citizen, recorder, django_capture_on_commit_callbacks):
    recorder.faults = ["lost"]
    _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.PENDING and "ReadTimeout" in registration.last_error
    registration = _send_again(registration)
    assert registration.status == R.REGISTERED and recorder.register_calls == 1 and len(recorder.stored) == 1


def test_a_system_down_is_retried_with_backoff_until_it_gives_up_then_an_operator_retries(
        citizen, recorder, settings, django_capture_on_commit_callbacks):
    settings.PROTOCOL_MAX_ATTEMPTS = 3
    settings.PROTOCOL_RETRY_SECONDS = 60
    recorder.faults = ["down", "down", "down"]
    _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.PENDING and registration.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert actions.registration_send(registration.pk) is None  # not due yet
    registration = _send_again(registration)
    assert registration.status == R.PENDING and registration.next_attempt_at > timezone.now() + timedelta(seconds=110)
    registration = _send_again(registration)
    assert registration.status == R.FAILED and "dopo 3 tentativi" in registration.last_error
    operator = make_operator("protocollo", "municipio-1")
    with django_capture_on_commit_callbacks(execute=True):
        actions.registration_retry(registration=registration, by=operator)
    registration.refresh_from_db()
    assert registration.status == R.REGISTERED and recorder.register_calls == 4


@pytest.mark.parametrize("fault, reason", [("refused", "Classificazione sconosciuta"), ("garbage", "numero non valido")])
def test_a_refusal_or_a_number_in_an_unexpected_format_fails_with_the_reason(
        citizen, recorder, fault, reason, django_capture_on_commit_callbacks):
    recorder.faults = [fault]
    _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.FAILED and reason in registration.last_error and not registration.number


def test_the_sweep_sends_what_the_broker_lost(citizen, recorder, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(tasks.send, "delay", lambda pk: None)  # queued nowhere
    _submit(citizen, django_capture_on_commit_callbacks)
    monkeypatch.undo()
    Registration.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.requeue() == 1
    assert Registration.objects.get().status == R.REGISTERED


def test_the_manual_adapter_waits_for_the_clerk(citizen, settings, django_capture_on_commit_callbacks):
    settings.PROTOCOL_ADAPTER = "manual"
    _submit(citizen, django_capture_on_commit_callbacks)
    registration = Registration.objects.get()
    assert registration.status == R.MANUAL
    clerk = make_operator("protocollo", "municipio-1")
    for number, on in (("12 34", date.today()), ("0001234", timezone.localdate() + timedelta(days=2))):
        with pytest.raises(actions.ManualNumberError):
            actions.registration_record_manual(registration=registration, number=number, on=on, by=clerk)
    registration = actions.registration_record_manual(registration=registration, number="0001234", on=timezone.localdate(), by=clerk)
    assert registration.status == R.REGISTERED and registration.stamp.startswith("Protocollo n. 0001234 del ")


def test_each_document_of_an_application_is_registered_in_its_direction(citizen, recorder, django_capture_on_commit_callbacks):
    istanza = _submit(citizen, django_capture_on_commit_callbacks)
    operator = make_operator("ufficio", "municipio-1")
    with django_capture_on_commit_callbacks(execute=True):
        istanza = istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=operator, actor_kind=Actor.OFFICE)
        istanza = istanza_transition(istanza=istanza, to=Status.RESPINTA, by=operator, actor_kind=Actor.OFFICE,
                                     note="Manca l'ISEE")
    kinds = list(Registration.objects.order_by("pk").values_list("kind", "direction", "status"))
    assert kinds == [("istanza", "in", R.REGISTERED), ("esito", "out", R.REGISTERED)]  # taking in charge is no document
    outcome = Registration.objects.get(kind="esito")
    letter = recorder.stored[outcome.key][1].main  # the outcome letter, without a stamp: the system stamps it
    import pypdfium2

    text = pypdfium2.PdfDocument(letter.content)[0].get_textpage().get_text_range()
    assert letter.name.startswith("esito-") and "Manca l'ISEE" in text and "Protocollo n." not in text


def test_a_citizen_cannot_withdraw_while_the_registration_is_pending(citizen, recorder, client, django_capture_on_commit_callbacks):
    recorder.faults = ["down"]
    istanza = _submit(citizen, django_capture_on_commit_callbacks)
    client.force_login(citizen)
    page = client.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode()
    assert "In corso di protocollazione" in page
    response = client.post(f"/area-personale/pratiche/{istanza.public_id}/ritira/", follow=True)
    assert "in corso di protocollazione" in response.content.decode()
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA
    _send_again(Registration.objects.get())
    page = client.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode()
    assert "Protocollo n. 0000001 del" in page


def test_the_receipt_carries_the_stamp_once_registered_not_the_copy_sent_to_be_registered(
        citizen, recorder, django_capture_on_commit_callbacks):
    from django.template.loader import render_to_string

    from services.istanze.receipts import receipt_context

    istanza = _submit(citizen, django_capture_on_commit_callbacks)
    stamped = render_to_string("istanze/receipt.html", receipt_context(istanza))
    assert 'id="timbro-protocollo"' in stamped and "Protocollo n. 0000001 del" in stamped and "AOO AOO1" in stamped
    sent = render_to_string("istanze/receipt.html", receipt_context(istanza, stamp=False))
    assert "timbro-protocollo" not in sent and "Protocollo n." not in sent


def test_the_receipt_email_says_the_registration_is_on_its_way(citizen, recorder, settings, django_capture_on_commit_callbacks):
    from services.notifications.models import Message

    _submit(citizen, django_capture_on_commit_callbacks)
    assert "in corso di protocollazione" in Message.objects.get(kind="istanze.receipt").body
    settings.PROTOCOL_ADAPTER = ""
    Message.objects.all().delete()
    _submit(citizen, django_capture_on_commit_callbacks)
    assert "protocollazione" not in Message.objects.get(kind="istanze.receipt").body


def test_operators_see_failed_registrations_in_the_health_panel_and_the_metrics(
        citizen, recorder, client, django_capture_on_commit_callbacks):
    recorder.faults = ["refused"]
    _submit(citizen, django_capture_on_commit_callbacks)
    from services.protocol import health

    probe = health.registrations()  # the readiness panel runs it in a thread of its own (which SQLite's test lock blocks)
    assert probe.status == "warn" and probe.value == 1 and "non riuscite" in probe.detail
    metrics = client.get("/metriche/").content.decode()
    assert 'sportello_protocol_registrations{state="non_riuscita"} 1.0' in metrics
    assert 'sportello_protocol_registrations{state="in_corso"} 0.0' in metrics

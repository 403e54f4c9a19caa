"""The workflow kernel (issue 26, first part): one transition for every registered record — the table checked, the row
locked, the fields and one event row written, and `transitioned` sent after commit, once. Appointments go through it."""

import pathlib
import re

import pytest

from services.appointments import actions
from services.appointments.models import Appointment, AppointmentType
from services.appointments.states import Status
from services.core import workflow
from services.core.models import TransitionEvent


@pytest.fixture
def appointment(calendars):
    kind = AppointmentType.objects.get(title="Richiesta di rimborso del credito")
    slot = actions.next_free(kind, kind.offices.get(), limit=1)[0]
    booked, _code = actions.book(slot_id=slot.pk, session_key="s", reason="x", address_proven=True,
                                 applicant={"first_name": "Ada", "last_name": "Neri", "email": "ada@example.it"})
    return booked


def test_a_change_writes_its_fields_and_one_event_and_is_announced_after_commit(appointment, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, **kwargs):
        heard.append((sender, kwargs["pk"], kwargs["from_state"], kwargs["to_state"]))

    workflow.transitioned.connect(listener, dispatch_uid="test-listener")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            actions.appointment_cancel(appointment=appointment, by_office=True, reason="Ufficio chiuso")
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        workflow.transitioned.disconnect(dispatch_uid="test-listener")
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED_OFFICE and appointment.cancel_reason == "Ufficio chiuso"
    assert heard == [(Appointment, appointment.pk, "confermato", "annullato_ufficio")]
    event = workflow.history(appointment).get()
    assert (event.from_state, event.to_state, event.note) == ("confermato", "annullato_ufficio", "Ufficio chiuso")


def test_the_table_refuses_a_move_in_italian_and_writes_nothing(appointment):
    with pytest.raises(workflow.TransitionError, match="Non si può passare da «Confermato» a «Da confermare»"):
        workflow.transition(appointment, Status.PENDING)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED and not TransitionEvent.objects.exists()
    assert workflow.available(appointment) == sorted(["annullato_cittadino", "annullato_ufficio", "presentato", "assente"])


def test_a_rule_may_ask_for_a_note_or_a_person(appointment):
    machine = workflow.machine_for(Appointment)
    saved = dict(machine.rules)
    machine.rules[("confermato", "annullato_ufficio")] = workflow.Rule(note_required=True, allowed=lambda obj, by: by is not None)
    try:
        with pytest.raises(workflow.TransitionError, match="Scrivi il motivo"):
            workflow.transition(appointment, Status.CANCELLED_OFFICE, note=" ")
        with pytest.raises(workflow.TransitionError, match="permesso"):
            workflow.transition(appointment, Status.CANCELLED_OFFICE, note="Chiuso")
        assert "annullato_ufficio" not in workflow.available(appointment, by=None)
    finally:
        machine.rules.clear()
        machine.rules.update(saved)


# Lines that set a `status` which is not a record's state: an HTTP status kept on a partner's error, the JSON body the
# local pagoPA sandbox answers with.
NOT_A_RECORD = {("services/notifications/io.py", "self.status = status"), ("services/payments/client.py", "self.status = status"),
                ("services/payments/sandbox.py", 'body.update(organizationFiscalCode=cf, status="VALID"')}


def test_only_the_kernel_writes_a_state():
    """The guard (issue 26): outside services/core/workflow.py and the migrations nothing assigns a status or a state,
    nor updates one in bulk; every stateful record changes through `workflow.transition`."""
    root = pathlib.Path(__file__).resolve().parents[2]
    writes = re.compile(r"\.(status|state)\s*=(?!=)|update\([^)]*\b(status|state)=|\b(status|state)\s*=\s*[A-Za-z_.]+\.(Status|State)\.")
    found = []
    for path in (root / "services").rglob("*.py"):
        name = str(path.relative_to(root))
        if "migrations" in path.parts or name == "services/core/workflow.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if writes.search(line) and not any(name == file and text in line for file, text in NOT_A_RECORD):
                if any(word in line for word in ("filter(", "exclude(", "get(", "Q(", "==", "create(", "defaults=")):
                    continue  # a lookup or the initial state of a new row, not a change
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []


def test_every_stateful_record_is_registered_with_its_table():
    from services.assistance.models import AssistanceRequest
    from services.istanze.models import Istanza
    from services.notifications.models import Broadcast, Dispatch
    from services.payments.models import PaymentPosition
    from services.schools.models import SchoolRole

    registered = {m.model for m in workflow.machines()}
    assert {Istanza, PaymentPosition, AssistanceRequest, Appointment, SchoolRole, Dispatch, Broadcast} <= registered
    for machine in workflow.machines():
        field = machine.model._meta.get_field(machine.field)
        assert set(machine.states()) == {str(value) for value, _label in field.choices}, machine.model  # every state, once
        assert all(pair[0] in machine.table and pair[1] in machine.table[pair[0]] for pair in machine.rules), machine.model


def test_a_batch_moves_through_the_table_with_one_event_each(db, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from services.notifications.models import Dispatch, Message

    user = get_user_model().objects.create_user("bea", email="bea@example.it")
    message = Message.objects.create(kind="notifications.broadcast", event="e1", user=user, subject="s", body="b")
    queued = Dispatch.objects.create(message=message, channel="email")
    dead = Dispatch.objects.create(message=message, channel="sms", status=Dispatch.Status.DEAD)
    heard = []
    workflow.transitioned.connect(lambda sender, **kw: heard.append((kw["pk"], kw["to_state"])), sender=Dispatch, weak=False,
                                  dispatch_uid="test-batch")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            moved = workflow.update(Dispatch.objects.all(), Dispatch.Status.SENDING, attempts=1)  # only the queued one may
    finally:
        workflow.transitioned.disconnect(sender=Dispatch, dispatch_uid="test-batch")
    queued.refresh_from_db()
    dead.refresh_from_db()
    assert moved == 1 and queued.status == "sending" and queued.attempts == 1 and dead.status == "dead"
    assert heard == [(queued.pk, "sending")]
    assert [(e.from_state, e.to_state) for e in workflow.history(queued)] == [("queued", "sending")]
    with pytest.raises(workflow.TransitionError):
        workflow.transition_many([dead], Dispatch.Status.SENT)


def test_the_changes_of_state_of_many_records_are_read_in_one_query(appointment, django_assert_num_queries):
    from tests.istanze.helpers import make_operator

    operator = make_operator("sara", "ufficio-scuola")
    actions.appointment_cancel(appointment=appointment, by_office=True, reason="Ufficio chiuso per lavori", by=operator)
    with django_assert_num_queries(1):  # a list page's records, in one query
        rows = workflow.histories(Appointment, [appointment.pk, 10**9])
    assert rows[10**9] == [] and [(r["from"], r["to"], r["note"]) for r in rows[appointment.pk]] == [
        ("Confermato", "Annullato dall'ufficio", "Ufficio chiuso per lavori")]


def test_a_batch_is_written_with_one_update_for_what_every_row_shares(db, django_assert_num_queries):
    """workflow.save_many: a field equal in every row is set once for all; only the differing ones go row by row."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from services.notifications.models import Dispatch, Message

    user = get_user_model().objects.create_user("ugo", email="ugo@example.it")
    rows = [Dispatch.objects.create(message=Message.objects.create(kind="notifications.broadcast", event=f"e{n}", user=user,
                                                                   subject="s", body="b"), channel="io") for n in range(3)]
    when = timezone.now()
    for n, row in enumerate(rows):
        row.status, row.sent_at, row.error, row.provider_id = Dispatch.Status.SENT, when, "", f"IO{n}"
    with django_assert_num_queries(2):  # one UPDATE for status, sent_at and error; one CASE for provider_id
        workflow.save_many(Dispatch, rows, ["status", "sent_at", "error", "provider_id"])
    assert sorted(Dispatch.objects.values_list("status", "sent_at", "provider_id")) == [("sent", when, f"IO{n}") for n in range(3)]

    rows[1].error = "App IO: 429"
    with django_assert_num_queries(1):  # nothing shared: bulk_update alone
        workflow.save_many(Dispatch, rows, ["error"])
    assert list(Dispatch.objects.order_by("pk").values_list("error", flat=True)) == ["", "App IO: 429", ""]
    untouched = Dispatch.objects.create(message=rows[0].message, channel="email")
    with django_assert_num_queries(1):
        workflow.save_many(Dispatch, rows, ["status"])
    untouched.refresh_from_db()
    assert untouched.status == "queued"  # only the rows given are written

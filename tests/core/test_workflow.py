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
def appointment(demo):
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


def test_only_the_kernel_writes_an_appointments_state():
    """The guard, for the apps already on the kernel (appointments); the other stateful apps follow (issue 26)."""
    root = pathlib.Path(__file__).resolve().parents[2]
    writes = re.compile(r"\.status\s*=(?!=)|update\([^)]*\bstatus=")
    found = [f"{p.relative_to(root)}:{n}" for p in (root / "services" / "appointments").rglob("*.py") if "migrations" not in p.parts
             for n, line in enumerate(p.read_text().splitlines(), 1) if writes.search(line)]
    assert found == []

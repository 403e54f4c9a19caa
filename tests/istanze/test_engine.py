import io
import threading

from django.contrib.auth import get_user_model

import pytest

from services.core import workflow
from services.istanze.actions import istanza_draft_get_or_create, istanza_transition
from services.istanze.models import Istanza
from services.istanze.states import TRANSITIONS, Actor, Status, TransitionError
from tests.istanze.helpers import save_data, submitted


@pytest.fixture
def other(db):
    return get_user_model().objects.create_user("BNCLCU82S02A271A", fiscal_code="BNCLCU82S02A271A")


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_user("operatore")




def test_every_state_is_reachable_and_terminal_states_lead_only_to_archive():
    targets = set().union(*TRANSITIONS.values())
    assert targets | {Status.BOZZA} == set(Status) == set(TRANSITIONS)
    for final in (Status.ACCOLTA, Status.RESPINTA, Status.ANNULLATA):
        assert TRANSITIONS[final] == {Status.ARCHIVIATA}
    assert not TRANSITIONS[Status.ARCHIVIATA]


@pytest.mark.parametrize(
    "current, target, actor, note, message",
    [
        (Status.BOZZA, Status.INVIATA, Actor.CITIZEN, "", "Non si può passare da «Bozza» a «Inviata»."),
        (Status.INVIATA, Status.PRESA_IN_CARICO, Actor.CITIZEN, "", "Questa operazione non è consentita"),
        (Status.PRESA_IN_CARICO, Status.RESPINTA, Actor.OFFICE, "  ", "Scrivi il motivo"),
        (Status.PRESA_IN_CARICO, Status.ANNULLATA, Actor.CITIZEN, "", "Non si può passare"),
    ],
)
def test_forbidden_moves_say_why(current, target, actor, note, message):
    with pytest.raises(TransitionError) as exc:
        workflow.check(Istanza(status=current), target, actor=actor, note=note)
    assert message in str(exc.value)


def test_submission_numbers_routes_and_dates(citizen):
    istanza = submitted(citizen)
    year = istanza.submitted_at.year
    assert istanza.number == f"TEST_PROC_{year}.0000001"
    assert istanza.office.slug == "municipio-1"
    assert istanza.due_date and istanza.due_date > istanza.submitted_at.date()
    assert [e.to_status for e in istanza.events.all()] == ["bozza", "da_inviare", "inviata"]


def test_replayed_submit_gives_the_same_application(citizen):
    istanza = submitted(citizen)
    again = istanza_transition(istanza=istanza, to=Status.INVIATA, by=citizen, actor_kind=Actor.CITIZEN)
    assert again.number == istanza.number and again.events.count() == 3
    assert Istanza.objects.filter(owner=citizen).count() == 1


def test_returning_to_a_procedure_resumes_the_draft(citizen):
    first, created = istanza_draft_get_or_create(owner=citizen, procedure_code="TEST_PROC")
    second, created_again = istanza_draft_get_or_create(owner=citizen, procedure_code="TEST_PROC")
    assert created and not created_again and first.pk == second.pk


def test_submitted_application_is_immutable(citizen):
    istanza = submitted(citizen)
    with pytest.raises(TransitionError, match="Una pratica inviata non si può modificare."):
        save_data(istanza, citizen, {"dati": {"nome": "Altro"}})


def test_another_citizen_cannot_touch_it(citizen, other):
    istanza, _ = istanza_draft_get_or_create(owner=citizen, procedure_code="TEST_PROC")
    with pytest.raises(TransitionError):
        save_data(istanza, other, {})
    with pytest.raises(TransitionError):
        istanza_transition(istanza=istanza, to=Status.DA_INVIARE, by=other, actor_kind=Actor.CITIZEN)


def test_withdraw_only_before_it_is_taken_in_charge(citizen, operator):
    istanza = submitted(citizen)
    istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=operator, actor_kind=Actor.OFFICE)
    with pytest.raises(TransitionError):
        istanza_transition(istanza=istanza, to=Status.ANNULLATA, by=citizen, actor_kind=Actor.CITIZEN)
    other = submitted(citizen)
    assert istanza_transition(istanza=other, to=Status.ANNULLATA, by=citizen, actor_kind=Actor.CITIZEN).status == Status.ANNULLATA


def test_corrections_keep_the_number_and_the_history(citizen, operator):
    istanza = submitted(citizen)
    number = istanza.number
    istanza = istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=operator, actor_kind=Actor.OFFICE)
    taken = istanza.taken_in_charge_at
    istanza = istanza_transition(istanza=istanza, to=Status.IN_ATTESA_DI_INTEGRAZIONE, by=operator,
                                 actor_kind=Actor.OFFICE, note="Manca la certificazione")
    istanza = save_data(istanza, citizen, {"allegati": {"certificazione": "ok"}})
    assert istanza.status == Status.IN_ATTESA_DI_INTEGRAZIONE  # edited, waiting for the citizen's "Invia"
    istanza = istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=citizen, actor_kind=Actor.CITIZEN)
    istanza = istanza_transition(istanza=istanza, to=Status.ACCOLTA, by=operator, actor_kind=Actor.OFFICE)
    assert istanza.number == number and istanza.taken_in_charge_at == taken
    assert [e.to_status for e in istanza.events.all()][-4:] == [
        "presa_in_carico", "in_attesa_di_integrazione", "presa_in_carico", "accolta"]
    assert istanza.events.get(to_status="in_attesa_di_integrazione").note == "Manca la certificazione"


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_numbers_are_gapless_under_concurrent_submissions():
    from django.core.management import call_command

    call_command("load_demo_content", stdout=io.StringIO())  # offices for the routing rule
    workers = 6
    per_worker = 5
    User = get_user_model()
    users = [User.objects.create_user(f"u{i}") for i in range(workers)]
    drafts = []
    for user in users:
        for _ in range(per_worker):
            istanza = Istanza.objects.create(owner=user, procedure_code="TEST_PROC", status=Status.DA_INVIARE)
            drafts.append((user, istanza))
    errors = []

    def work(chunk):
        from django.db import connections

        try:
            for user, istanza in chunk:
                istanza_transition(istanza=istanza, to=Status.INVIATA, by=user, actor_kind=Actor.CITIZEN)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(drafts[i::workers],)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(int(n.rsplit(".", 1)[1]) for n in Istanza.objects.values_list("number", flat=True))
    assert numbers == list(range(1, workers * per_worker + 1))


def test_expired_drafts_are_purged_after_a_warning(citizen, test_procedure, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from services.istanze.actions import drafts_purge_expired
    from services.istanze.tasks import purge_expired_drafts

    citizen.email = "maria@example.it"
    citizen.save()
    sent = submitted(citizen)
    draft, created = istanza_draft_get_or_create(owner=citizen, procedure_code="TEST_PROC")
    assert created
    retention = test_procedure.draft_retention_days
    soon = timezone.now() + timedelta(days=retention - 2)
    with django_capture_on_commit_callbacks(execute=True):  # the warning is sent once the transaction commits
        assert drafts_purge_expired(now=soon) == {"deleted": 0, "warned": 1}
    assert "sarà cancellata" in mail.outbox[-1].body
    assert drafts_purge_expired(now=soon) == {"deleted": 0, "warned": 0}  # warned once
    later = timezone.now() + timedelta(days=retention + 1)
    assert drafts_purge_expired(now=later)["deleted"] == 1
    assert not Istanza.objects.filter(pk=draft.pk).exists()
    assert Istanza.objects.filter(pk=sent.pk).exists()  # submitted applications are never purged
    assert purge_expired_drafts.delay().get() == {"deleted": 0, "warned": 0}


def test_the_state_groups_are_written_once_and_agree_with_the_table():
    from services.istanze import states

    groups = [states.DRAFT, states.OPEN_OFFICE, states.CLOSED]
    assert set().union(*groups) == set(Status) and sum(len(g) for g in groups) == len(Status)  # a partition
    assert states.OPEN_OFFICE | {Status.ACCOLTA} == states.HOLDING
    assert {s for s in Status if states.requires_note(s)} == {Status.IN_ATTESA_DI_INTEGRAZIONE, Status.RESPINTA}

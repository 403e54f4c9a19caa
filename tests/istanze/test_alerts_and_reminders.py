"""The first listeners on the workflow kernel's after-commit signal (issue 26): office staff told when an application
arrives at their office, is assigned to them or the citizen sends the integration (dashboard and morning digest);
the citizen reminded once when an application has waited on them for days."""

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from services.istanze.actions import istanza_assign, istanza_transition, waiting_remind
from services.istanze.models import IstanzaEvent
from services.istanze.states import Actor, Status
from services.notifications.actions import staff_digest_send
from services.notifications.models import Message, StaffAlert
from tests.istanze.helpers import make_operator, submitted


def test_an_arrival_an_assignment_and_an_integration_reach_the_right_people(citizen, django_capture_on_commit_callbacks):
    olga, ugo = make_operator("olga", "municipio-1"), make_operator("ugo", "municipio-1")
    stranger = make_operator("ada", "urp")
    with django_capture_on_commit_callbacks(execute=True):
        istanza = submitted(citizen)
    assert set(StaffAlert.objects.values_list("user__username", flat=True)) == {"olga", "ugo"}
    assert StaffAlert.objects.filter(user=olga).get().text.startswith(f"Nuova pratica {istanza.number}")
    with django_capture_on_commit_callbacks(execute=True):
        istanza = istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=olga, actor_kind=Actor.OFFICE)
        istanza_assign(istanza=istanza, by=olga, to_user=ugo)
        istanza = istanza_transition(istanza=istanza, to=Status.IN_ATTESA_DI_INTEGRAZIONE, by=ugo, actor_kind=Actor.OFFICE, note="Manca il CAP")
        istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=citizen, actor_kind=Actor.CITIZEN)
    assert list(StaffAlert.objects.filter(user=ugo).order_by("pk").values_list("text", flat=True))[1:] == [
        f"Olga Operatore ti ha assegnato la pratica {istanza.number}", f"Il cittadino ha inviato l'integrazione della pratica {istanza.number}"]
    assert not StaffAlert.objects.filter(user=stranger).exists()
    assert StaffAlert.objects.filter(user=olga).count() == 1  # the integration goes to the colleague holding it

    office = Client()
    office.force_login(ugo)
    dashboard = office.get("/admin/").content.decode()
    assert "3 avvisi da leggere" in dashboard and f"/admin/istanze/istanza/inspect/{istanza.pk}/" in dashboard
    assert office.post("/admin/avvisi/").status_code == 302
    assert not StaffAlert.objects.filter(user=ugo, read_at__isnull=True).exists()


def test_the_morning_digest_gathers_the_unread_alerts_once_for_those_who_want_it(citizen, django_capture_on_commit_callbacks):
    olga, ugo = make_operator("olga", "municipio-1"), make_operator("ugo", "municipio-1")
    olga.email, ugo.email = "olga@comune.example.it", "ugo@comune.example.it"
    olga.save()
    ugo.staff_digest = False
    ugo.save()
    office = Client()
    office.force_login(olga)
    with django_capture_on_commit_callbacks(execute=True):
        istanza = submitted(citizen)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_digest_send() == 1
        assert staff_digest_send() == 0  # what went in a digest is not sent again
    assert [m.to for m in mail.outbox] == [["olga@comune.example.it"]]
    assert f"Nuova pratica {istanza.number}" in mail.outbox[0].body and "/admin/avvisi/" in mail.outbox[0].body
    assert office.post("/admin/avvisi/", {"riepilogo": "0"}).status_code == 302
    olga.refresh_from_db()
    assert olga.staff_digest is False


def test_an_application_waiting_on_the_citizen_is_reminded_once(citizen, django_capture_on_commit_callbacks):
    olga = make_operator("olga", "municipio-1")
    citizen.email = "maria@example.it"
    citizen.save()
    istanza = submitted(citizen)
    istanza = istanza_transition(istanza=istanza, to=Status.PRESA_IN_CARICO, by=olga, actor_kind=Actor.OFFICE)
    istanza_transition(istanza=istanza, to=Status.IN_ATTESA_DI_INTEGRAZIONE, by=olga, actor_kind=Actor.OFFICE, note="Manca il CAP")
    assert waiting_remind() == 0  # not yet
    IstanzaEvent.objects.filter(istanza=istanza).update(created_at=timezone.now() - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        assert waiting_remind() == 1
        assert waiting_remind() == 0
    message = Message.objects.get(kind="istanze.waiting_reminder")
    assert message.user == citizen and "Manca il CAP" in message.body and "Da 7 giorni" in message.body

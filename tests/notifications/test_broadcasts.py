"""Broadcasts from staff to the families of a school or service, through the outbox, with every dispatch logged;
the personal area's Messaggi and Documenti tabs."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.utils import timezone

import pytest

from services.meals.actions import wallet_get_or_create
from services.meals.models import Child, FeeBand
from services.notifications import io_sandbox, sms
from services.notifications.actions import broadcast_fan_out, dispatches_requeue, message_content, messages_send_many
from services.notifications.models import Broadcast, Dispatch, Message
from services.schools.models import School

pytestmark = pytest.mark.usefixtures("registries")


def family(username, cf, school, *, email="", mobile="", verified=False, service_to=None, sms=False):
    user = get_user_model().objects.create_user(username, fiscal_code=cf, email=email, mobile_phone=mobile, mobile_verified=verified,
                                                first_name=username.title(), last_name="Famiglia", notify_channels=["io", "email", *(["sms"] if sms else [])])
    Child.objects.create(wallet=wallet_get_or_create(holder=user), first_name="Figlio", last_name=username, fiscal_code=cf,
                         school=school, fee_band=FeeBand.objects.first(), service_from=date(2025, 9, 1), service_to=service_to)
    return user


@pytest.fixture
def families(db):
    dante, pascoli = School.objects.get(code="ANEE81001D"), School.objects.get(code="ANEE81002E")
    return {
        "anna": family("anna", "RSSNNA18C52A271C", dante, email="anna@example.it", mobile="+393331112222", verified=True, sms=True),
        "bruno": family("bruno", "RSSBRN18C12A271N", dante, email="bruno@example.it", mobile="+393334445555", verified=False),
        "carla": family("carla", "RSSSRA90P70F205P", dante),  # not on App IO (the sandbox's), no contact on file
        "dario": family("dario", "VRDPLA16B01A271T", pascoli, email="dario@example.it"),
        "ex": family("ex", "RSSGLI19E10A271K", dante, email="ex@example.it", service_to=date(2025, 12, 31)),  # left the service
    }


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user("sara", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Office operators"))
    client = Client()
    client.force_login(user)
    return client


def _log():
    return {(d.message.user.username, d.channel): d.status for d in Dispatch.objects.select_related("message__user")}


def test_broadcast_to_a_school_confirms_the_reach_and_logs_every_delivery(staff, families, django_capture_on_commit_callbacks):
    sms.outbox.clear()
    mail.outbox.clear()
    io_sandbox.reset()
    dante = School.objects.get(code="ANEE81001D")
    token = str(uuid.uuid4())
    form = {"audience": "meals", "school": dante.pk, "channels": ["io", "email", "sms"], "subject": "Mensa chiusa giovedì",
            "body": "Giovedì la mensa della Dante resta chiusa per sciopero: i pasti non saranno addebitati.", "token": token}
    confirm = staff.post("/admin/comunicazioni/nuova/", form)
    page = confirm.content.decode()
    assert confirm.status_code == 200 and "raggiunge 3 famiglie" in page and "2 famiglie con e-mail;" in page
    assert "1 famiglia con SMS;" in page and "Canali scelti: App IO, e-mail, SMS." in page
    # only the channels ticked are counted and restated (issue 25/17)
    page = staff.post("/admin/comunicazioni/nuova/", {**form, "channels": ["email"]}).content.decode()
    assert "Canali scelti: e-mail." in page and "con App IO;" not in page and "con SMS;" not in page
    assert not Broadcast.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/admin/comunicazioni/nuova/", {**form, "conferma": "1"})
        again = staff.post("/admin/comunicazioni/nuova/", {**form, "conferma": "1"})  # a double click
    broadcast = Broadcast.objects.get()
    assert response.status_code == again.status_code == 302 and broadcast.status == "sent"
    # Each family on the channels it chose: App IO and e-mail by default, SMS for Anna who asked for it.
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.it", "bruno@example.it"]
    assert sms.outbox == [("+393331112222", form["body"])]
    assert sorted(m["fiscal_code"] for m in io_sandbox.messages()) == ["RSSBRN18C12A271N", "RSSNNA18C52A271C"]
    # Carla is not on App IO and left no contact: listed for the office to call.
    assert _log() == {("anna", "io"): "sent", ("anna", "email"): "sent", ("anna", "sms"): "sent", ("bruno", "io"): "sent",
                      ("bruno", "email"): "sent", ("carla", "io"): "failed", ("carla", "none"): "unreachable"}
    detail = staff.get(f"/admin/comunicazioni/{broadcast.pk}/").content.decode()
    assert "Nessun recapito: contattare la famiglia" in detail and "Anna Famiglia" in detail and "non usa l&#x27;App IO" in detail
    assert "Mensa chiusa giovedì" in staff.get("/admin/comunicazioni/").content.decode()
    # a retried task sends nothing twice
    broadcast_fan_out(broadcast_id=broadcast.pk)
    assert len(mail.outbox) == 2 and len(sms.outbox) == 1 and len(io_sandbox.messages()) == 2
    # the family finds it in Messaggi, with how it reached them
    anna = Client()
    anna.force_login(families["anna"])
    inbox = anna.get("/area-personale/messaggi/")
    assert "Mensa chiusa giovedì" in inbox.content.decode() and "no-store" in inbox["Cache-Control"]
    assert "inviato via App IO, e-mail e SMS" in inbox.content.decode()
    dario = Client()
    dario.force_login(families["dario"])
    assert "Mensa chiusa giovedì" not in dario.get("/area-personale/messaggi/").content.decode()


def test_a_failed_delivery_is_retried_later(staff, families, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.test_broadcasts.FailingBackend"
    broadcast = Broadcast.objects.create(token=uuid.uuid4(), subject="Avviso importante", body="Testo", audience="meals",
                                         channels=("email",))
    with django_capture_on_commit_callbacks(execute=True):
        assert broadcast_fan_out(broadcast_id=broadcast.pk) == 4
    emails = Dispatch.objects.filter(channel="email")
    assert emails.count() == 3 and set(emails.values_list("status", flat=True)) == {"retry"}
    assert emails.first().error == "server di posta: gateway down"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert dispatches_requeue(now=timezone.now() + timedelta(minutes=5)) == 3
    assert len(mail.outbox) == 3 and set(emails.values_list("status", flat=True)) == {"sent"}


def test_a_fan_out_writes_each_chunk_in_the_same_statements_however_many_families(families):
    """Messages and dispatches in one INSERT each per chunk (message_send took four statements a family)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fan_out():
        broadcast = Broadcast.objects.create(token=uuid.uuid4(), subject="Avviso", body="Testo", audience="meals",
                                             channels=("io", "email"))
        with CaptureQueriesContext(connection) as queries:
            reached = broadcast_fan_out(broadcast_id=broadcast.pk)
        outbox = [q["sql"].split(" (")[0].split(" WHERE")[0] for q in queries.captured_queries
                  if '"notifications_message"' in q["sql"] or '"notifications_dispatch"' in q["sql"]]
        return broadcast, reached, outbox

    broadcast, reached, outbox = fan_out()
    assert reached == 4
    assert sorted(outbox) == sorted([  # who was already reached, then one INSERT each for the chunk
        'SELECT "notifications_message"."user_id" AS "user_id" FROM "notifications_message"',
        'INSERT INTO "notifications_message"', 'INSERT INTO "notifications_dispatch"'])
    assert sorted(Dispatch.objects.filter(message__event=f"broadcast:{broadcast.pk}").values_list("message__user__username", "channel")) == [
        ("anna", "email"), ("anna", "io"), ("bruno", "email"), ("bruno", "io"), ("carla", "io"), ("dario", "email"), ("dario", "io")]
    dante = School.objects.get(code="ANEE81001D")
    for n, cf in enumerate(("BNCLRA18C52A271B", "VRDMRC17D10A271X", "NRIGNN16E20A271Y")):
        family(f"nuova{n}", cf, dante, email=f"nuova{n}@example.it")
    _broadcast, reached, more = fan_out()
    assert reached == 7 and more == outbox


def test_a_family_reached_by_a_concurrent_fan_out_is_not_written_twice(families, django_capture_on_commit_callbacks):
    """Two runs at once: the second finds a family the first wrote after it looked; its chunk falls back to one family at
    a time, which skips the one already reached and writes the others."""
    broadcast = Broadcast.objects.create(token=uuid.uuid4(), subject="Avviso", body="Testo", audience="meals", channels=("email",))
    event = f"broadcast:{broadcast.pk}"
    content = message_content(kind="notifications.broadcast", context={"subject": "Avviso", "body": "Testo"}, channels=("email",))
    first = messages_send_many(kind="notifications.broadcast", event=event, users=[families["anna"]], content=content,
                               channels=("email",), opted_out={})
    ids = messages_send_many(kind="notifications.broadcast", event=event, users=[families["anna"], families["bruno"]],
                             content=content, channels=("email",), opted_out={})
    assert len(first) == 1 and len(ids) == 1 and set(ids).isdisjoint(first)
    assert sorted(Message.objects.filter(event=event).values_list("user__username", flat=True)) == ["anna", "bruno"]
    assert Dispatch.objects.filter(message__event=event).count() == 2


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise OSError("gateway down")


@pytest.mark.parametrize("data, field, message", [
    ({"channels": []}, "channels", "Scegli almeno un canale."),
    ({"subject": "x" * 91}, "subject", "L&#x27;oggetto può avere al massimo 90 caratteri: ora ne ha 91."),
    ({"channels": ["sms"], "body": "x" * 321}, "body", "Per l&#x27;SMS il testo può avere al massimo 320 caratteri: ora ne ha 321."),
    ({"audience": "meals", "route": "L1"}, "route", "Il percorso vale solo per le famiglie del trasporto scolastico."),
    ({"subject": ""}, "subject", "Scrivi l&#x27;oggetto."),
])
def test_broadcast_form_errors_keep_what_was_typed(staff, data, field, message):
    from services.transport.models import Route

    if data.get("route"):
        data = {**data, "route": Route.objects.get(code=data["route"]).pk}
    form = {"audience": "transport", "channels": ["email"], "subject": "Sciopero", "body": "Il servizio è sospeso.", "token": str(uuid.uuid4()), **data}
    response = staff.post("/admin/comunicazioni/nuova/", form)
    page = response.content.decode()
    assert response.status_code == 400 and message in page and ("Il servizio è sospeso." in page or "x" * 321 in page)
    assert not Broadcast.objects.exists()


def test_only_staff_with_the_permission(families):
    canteen = get_user_model().objects.create_user("cuoco", password="x", is_staff=True)
    canteen.groups.add(Group.objects.get(name="Canteen staff"))
    client = Client()
    client.force_login(canteen)
    assert client.get("/admin/comunicazioni/nuova/").status_code in (302, 403)
    assert client.get("/admin/comunicazioni/").status_code in (302, 403)


def test_documents_tab_lists_receipts_acts_and_statements(families):
    from services.meals.actions import ledger_post

    anna = families["anna"]
    wallet = wallet_get_or_create(holder=anna)
    ledger_post(wallet_id=wallet.pk, kind="meal", amount=Decimal("-4.80"), reference="meal:2025-11-26:1", description="Pasto",
                business_date=date(2025, 11, 26))
    client = Client()
    client.force_login(anna)
    page = client.get("/area-personale/documenti/").content.decode()
    assert "Attestazione delle spese per la mensa 2025" in page and "/area-personale/conto-mensa/dichiarazione/2025/" in page
    other = Client()
    other.force_login(families["dario"])
    assert "Attestazione delle spese" not in other.get("/area-personale/documenti/").content.decode()

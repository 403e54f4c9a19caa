"""Every sender is on the message layer: notices the Comune issues are payable from App IO, and the citizen
chooses per kind which messages they get on which channel."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core import mail

import pytest

from services.notifications import io_sandbox
from services.notifications.models import Message, OptOut


@pytest.fixture
def parent(db):
    io_sandbox.reset()
    return get_user_model().objects.create_user("maria", fiscal_code="RSSMRA85C52H501N", first_name="Maria",
                                                last_name="Rossi", email="maria@example.it")


def test_a_topup_notice_to_pay_later_is_payable_from_io(client, parent, settings, django_capture_on_commit_callbacks):
    from services.payments.models import PaymentPosition

    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/area-personale/conto-mensa/ricarica/", {"amount": "20", "how": "avviso"})
    position = PaymentPosition.objects.get()
    message = Message.objects.get(kind="payments.notice")
    assert message.payment_data == {"amount": 2000, "notice_number": position.nav, "invalid_after_due_date": False,
                                    "payee": {"fiscal_code": settings.PAGOPA_CREDITOR["fiscal_code"]}}
    sent = io_sandbox.messages(parent.fiscal_code)
    assert len(sent) == 1 and sent[0]["content"]["payment_data"]["notice_number"] == position.nav
    assert sent[0]["content"]["due_date"].endswith("22:59:59.000Z")  # 23:59:59 in Rome, in UTC (winter: +01:00)
    assert "Codice avviso" in mail.outbox[-1].body and position.ente_fiscal_code in mail.outbox[-1].body
    # an online top-up (paid now, through Checkout) sends no notice
    assert Message.objects.filter(kind="payments.notice").count() == 1


def test_the_notice_pdf_by_email_once_a_day(client, parent, django_capture_on_commit_callbacks):
    from services.meals.actions import topup_start

    position = topup_start(holder=parent, amount=Decimal("15.00"))
    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/area-personale/pagamenti/{position.public_id}/avviso/email/")
        again = client.post(f"/area-personale/pagamenti/{position.public_id}/avviso/email/", follow=True)
    pdfs = [m for m in mail.outbox if m.subject == f"Avviso di pagamento {position.nav}"]
    assert len(pdfs) == 1 and pdfs[0].attachments[0][0] == f"avviso-{position.nav}.pdf"
    assert "già inviato" in again.content.decode()


def test_preferences_per_kind_and_channel(client, parent):
    client.force_login(parent)
    page = client.get("/area-personale/impostazioni/messaggi/")
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Conto mensa" in html and "Ricevuta di pagamento" in html  # optional kinds in the table, mandatory listed
    form = {"meals.low_balance:io": "on", "notifications.broadcast:io": "on", "notifications.broadcast:email": "on"}
    assert client.post("/area-personale/impostazioni/messaggi/", form).status_code == 302
    out = set(OptOut.objects.filter(user=parent).values_list("kind", "channel"))
    assert ("meals.low_balance", "email") in out and ("meals.low_balance", "io") not in out
    assert not {kind for kind, _channel in out} & {"payments.receipt", "istanze.receipt"}  # mandatory: never opted out


def test_the_settings_page_offers_app_io(client, parent):
    client.force_login(parent)
    response = client.post("/area-personale/impostazioni/", {"email": "maria@example.it", "mobile_phone": "333 123 4567",
                                                             "canale_email": "on"})
    parent.refresh_from_db()
    assert response.status_code == 302 and "io" not in parent.notify_channels and parent.mobile_phone == "+393331234567"

"""What pagoPA may send that cannot be right: an impossible payment date is refused with a reason pagoPA can
read (push) or kept in the history and tried again (polling); never a 500, never a settled position."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model

import pytest

from services.payments import sandbox
from services.payments.actions import position_create, receipt_sync


@pytest.fixture
def position(db):
    owner = get_user_model().objects.create_user("pia", fiscal_code="RSSPIA80A41H501X")
    return position_create(owner=owner, purpose="demo", amount=Decimal("25.00"), description="Prova", due_date=date(2027, 1, 31))


def _receipt(position, when):
    return {"receiptId": "R-IMPOSSIBLE", "noticeNumber": position.nav, "fiscalCode": position.ente_fiscal_code, "outcome": "OK",
            "creditorReferenceId": position.iuv, "paymentAmount": "25.00", "description": "Prova", "PSPCompanyName": "PSP",
            "paymentDateTime": when}


@pytest.mark.parametrize("when", ["2026-02-30T10:00:00", "ieri pomeriggio"])
def test_a_pushed_receipt_with_an_impossible_date_is_a_readable_400(client, position, when):
    response = client.post("/pagopa/ricevute/", data=sandbox.receipt_xml(_receipt(position, when)), content_type="application/xml",
                           HTTP_AUTHORIZATION=f"Bearer {settings.PAGOPA_PUSH_TOKEN}")
    assert response.status_code == 400 and response.json()["error"] == "malformed" and response.json()["detail"]
    position.refresh_from_db()
    assert position.settled_at is None


def test_a_polled_receipt_with_an_impossible_date_is_kept_in_the_history(position, monkeypatch):
    from services.payments import client

    monkeypatch.setattr(client, "receipt_get", lambda cf, iuv: sandbox.receipt_xml(_receipt(position, "2026-02-30T10:00:00")))
    assert receipt_sync(position=position) is False
    position.refresh_from_db()
    assert position.settled_at is None and position.events.filter(kind="receipt_malformed").exists()

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test import Client

import pypdfium2
import pytest

from services.meals.actions import ledger_post, wallet_get_or_create


@pytest.fixture
def family(db):
    parent = get_user_model().objects.create_user("maria", fiscal_code="RSSMRA85C52H501N", first_name="Maria", last_name="Rossi")
    wallet = wallet_get_or_create(holder=parent)
    for day, kind, amount, ref in [(date(2025, 12, 20), "topup", "50.00", "pagopa:1"), (date(2026, 1, 10), "topup", "40.00", "pagopa:2"),
                                   (date(2026, 1, 12), "meal", "-4.20", "meal:1"), (date(2026, 2, 3), "refund", "-5.00", "refund:1")]:
        ledger_post(wallet_id=wallet.pk, kind=kind, amount=Decimal(amount), reference=ref, description=f"{kind} {ref}", business_date=day)
    client = Client()
    client.force_login(parent)
    return client, wallet


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_movements_csv_for_a_period(family):
    client, wallet = family
    response = client.get("/area-personale/conto-mensa/movimenti.csv?dal=2026-01-01&al=2026-12-31")
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert text.splitlines()[0] == "data;tipo;descrizione;importo;saldo"
    assert "10/01/2026;Ricarica;topup pagopa:2;40,00;90,00" in text and "20/12/2025" not in text


def test_movements_pdf(family):
    client, wallet = family
    response = client.get("/area-personale/conto-mensa/movimenti.pdf?dal=2026-01-01&al=2026-01-31")
    text = _text(response.content)
    assert wallet.payment_code in text and "10/01/2026" in text and "03/02/2026" not in text


def test_yearly_statement_for_the_tax_return(family):
    client, wallet = family
    text = _text(client.get("/area-personale/conto-mensa/dichiarazione/2026/").content)
    assert "anno 2026" in text and "RSSMRA85C52H501N" in text
    assert "€ 40,00" in text and "€ 5,00" in text and "€ 35,00" in text and "€ 4,20" in text  # paid, refunded, net, meals


def test_no_wallet_no_statement_and_no_other_format(db):
    stranger = get_user_model().objects.create_user("luca", fiscal_code="BNCLCU82S02A271A")
    client = Client()
    client.force_login(stranger)
    assert client.get("/area-personale/conto-mensa/dichiarazione/2026/").status_code == 404
    assert client.get("/area-personale/conto-mensa/movimenti.csv").status_code == 404


def test_unknown_format_and_future_year(family):
    client, _wallet = family
    assert client.get("/area-personale/conto-mensa/movimenti.xls").status_code == 404
    assert client.get("/area-personale/conto-mensa/dichiarazione/2999/").status_code == 404


@pytest.mark.parametrize("query", ["dal=2024-02-30", "al=2026-02-31", "dal=ieri"])
@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_an_impossible_period_is_said_in_italian(family, query, fmt):
    client, _wallet = family
    response = client.get(f"/area-personale/conto-mensa/movimenti.{fmt}?{query}", follow=True)
    assert response.status_code == 200 and "del periodo non esiste: scrivila come AAAA-MM-GG" in response.content.decode()

import itertools
import re
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

import pypdfium2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.core.clock import rome
from services.meals.actions import ledger_post, wallet_get_or_create
from services.meals.models import LedgerEntry


@pytest.fixture
def family(db):
    parent = get_user_model().objects.create_user("maria", fiscal_code="RSSMRA85C52H501N", first_name="Maria", last_name="Rossi")
    wallet = wallet_get_or_create(holder=parent)
    for day, kind, amount, ref in [(date(2025, 12, 20), "topup", "50.00", "pagopa:1"), (date(2026, 1, 10), "topup", "40.00", "pagopa:2"),
                                   (date(2026, 1, 12), "meal", "-4.20", "meal:1"), (date(2026, 2, 3), "refund", "-5.00", "refund:1")]:
        entry, _new = ledger_post(wallet_id=wallet.pk, kind=kind, amount=Decimal(amount), reference=ref, description=f"{kind} {ref}",
                                  business_date=day)
        LedgerEntry.objects.filter(pk=entry.pk).update(created_at=rome(day.year, day.month, day.day, 12))  # posted that day
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
    assert text.splitlines()[0] == "registrato il;data dell'operazione;tipo;descrizione;importo;saldo"
    assert "10/01/2026;10/01/2026;Ricarica;topup pagopa:2;40,00;90,00" in text and "20/12/2025" not in text


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


_serial = itertools.count()


def _chain_holds(rows):
    """rows: (amount, balance) oldest first; each balance is the previous one plus its amount."""
    for (_amount, before), (amount, after) in zip(rows, rows[1:], strict=False):
        assert after == before + amount, rows


def _euro(text: str) -> Decimal:
    return Decimal(text.replace("€", "").replace("\xa0", "").replace(" ", "").replace(".", "").replace(",", "."))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(postings=st.lists(st.tuples(st.integers(min_value=-600, max_value=600).filter(bool), st.integers(min_value=0, max_value=20)),
                         min_size=2, max_size=12))
def test_every_row_balance_is_the_previous_plus_its_amount_on_the_page_and_the_csv(db, postings):
    """Issue 25 (2): receipts dated before movements already posted (a PSP's receipt after the next meals) used to
    be sorted by date with the balance of their posting; in posting order the statement adds up row by row."""
    parent = get_user_model().objects.create_user(f"p{next(_serial)}", fiscal_code=None)
    wallet = wallet_get_or_create(holder=parent)
    for n, (cents, days_back) in enumerate(postings):
        ledger_post(wallet_id=wallet.pk, kind="topup" if cents > 0 else "meal", amount=Decimal(cents) / 100,
                    reference=f"pagopa:{n}" if cents > 0 else f"meal:x:{n}", description=f"movimento {n}", business_date=date(2026, 11, 30) - timedelta(days=days_back))
    client = Client()
    client.force_login(parent)
    page = client.get("/area-personale/conto-mensa/").content.decode()
    table = page[page.index("Movimenti del conto mensa") if "Movimenti del conto mensa" in page else 0:]
    cells = re.findall(r'<td class="text-end">([^<]+)</td><td class="text-end">([^<]+)</td></tr>', table)
    _chain_holds([(_euro(a), _euro(b)) for a, b in reversed(cells)])
    assert _euro(cells[0][1]) == wallet.__class__.objects.get(pk=wallet.pk).balance  # the top row is the balance shown above
    today = timezone.localdate().isoformat()
    text = client.get(f"/area-personale/conto-mensa/movimenti.csv?dal={today}&al={today}").content.decode("utf-8-sig")
    rows = [line.split(";") for line in text.splitlines()[1:]]
    assert len(rows) == len(postings)
    _chain_holds([(_euro(r[4]), _euro(r[5])) for r in rows])


def test_a_late_receipt_adds_up_in_the_pdf_too(family):
    """A top-up dated 10 January arrives after the February refund: it comes last, with its date as a column."""
    client, wallet = family
    late, _new = ledger_post(wallet_id=wallet.pk, kind="topup", amount=Decimal("30.00"), reference="pagopa:late",
                             description="Ricarica presso un prestatore", business_date=date(2026, 1, 9))
    today = timezone.localdate()
    text = _text(client.get(f"/area-personale/conto-mensa/movimenti.pdf?dal=2025-12-01&al={today.isoformat()}").content)
    amounts = re.findall(r"(-?€ ?-?[0-9.]+,[0-9]{2})\s*(€ ?-?[0-9.]+,[0-9]{2})", text.replace("\xa0", " "))
    _chain_holds([(_euro(a), _euro(b)) for a, b in amounts])
    assert len(amounts) == 5 and _euro(amounts[-1][1]) == Decimal("110.80") and "09/01/2026" in text

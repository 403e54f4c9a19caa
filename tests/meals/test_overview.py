"""The monthly chart of balance and meals per child on the meal-account page."""

from datetime import date
from decimal import Decimal

from services.meals.actions import ledger_post
from services.meals.charges import charge_day
from services.meals.charts import balance_bars
from services.meals.selectors import monthly_overview


def test_balance_carries_forward_and_meals_are_counted_per_child(family, client):  # noqa: F811
    parent, wallet, (giulio, anna) = family
    ledger_post(wallet_id=wallet.pk, kind="opening", amount=Decimal("20.00"), reference="import:1", description="Saldo iniziale",
                business_date=date(2025, 8, 20))
    for day in (date(2025, 10, 1), date(2025, 10, 2), date(2025, 12, 3)):
        charge_day(day)
    overview = monthly_overview(wallet, today=date(2026, 1, 15))
    months = {m["month"]: m for m in overview["months"]}
    assert len(overview["months"]) == 12 and overview["months"][0]["month"] == date(2025, 2, 1)
    assert months[date(2025, 7, 1)]["balance"] is None  # before the account existed
    assert months[date(2025, 9, 1)]["balance"] == Decimal("20.00")  # carried forward from August
    assert months[date(2025, 10, 1)]["balance"] == Decimal("3.20") and months[date(2025, 10, 1)]["meals"] == [2, 2]
    assert months[date(2025, 11, 1)]["balance"] == Decimal("3.20") and months[date(2025, 11, 1)]["meals"] == [0, 0]
    assert months[date(2025, 12, 1)]["balance"] == Decimal("-5.20") and months[date(2025, 12, 1)]["meals"] == [1, 1]
    assert overview["children"] == ["Anna", "Giulio"]
    bars = balance_bars(overview["months"])["bars"]
    assert [b["negative"] for b in bars].count(True) == 2  # December and January (carried forward)


def test_wallet_page_shows_the_charts_and_their_data(family, client):  # noqa: F811
    parent, wallet, _kids = family
    ledger_post(wallet_id=wallet.pk, kind="topup", amount=Decimal("30.00"), reference="pagopa:1", description="Ricarica")
    client.force_login(parent)
    page = client.get("/area-personale/conto-mensa/").content.decode()
    assert 'aria-labelledby="grafico-saldo grafico-saldo-desc"' in page and "Pasti di Giulio" in page and "Pasti di Anna" in page
    assert page.count("<rect") >= 12 and "€ 30,00" in page
    import re

    rects = re.findall(r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)"', page)
    assert len(rects) >= 12 and all(re.fullmatch(r"-?\d+(\.\d+)?", v) for r in rects for v in r)  # SVG numbers, not "24,5"
    assert "Iscritti alla mensa" in page and "Primaria di prova" in page and "€ 4,20" in page


def test_wallet_page_queries_do_not_grow_with_the_history(family, client, demo):  # noqa: F811 - the site's pages render around it
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    parent, wallet, _kids = family
    client.force_login(parent)
    ledger_post(wallet_id=wallet.pk, kind="opening", amount=Decimal("50.00"), reference="import:1", description="Saldo iniziale",
                business_date=date(2025, 9, 1))
    charge_day(date(2025, 10, 1))
    client.get("/area-personale/conto-mensa/")  # warms the per-process caches (site, menus)
    with CaptureQueriesContext(connection) as few:
        client.get("/area-personale/conto-mensa/")
    for day in (date(2025, 10, 2), date(2025, 10, 3), date(2025, 11, 4), date(2025, 12, 3)):
        charge_day(day)
    with CaptureQueriesContext(connection) as many:
        client.get("/area-personale/conto-mensa/")
    assert len(many) == len(few) <= 15

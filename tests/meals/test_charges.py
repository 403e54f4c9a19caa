"""Daily charges: school days, cancellations before the 09:00 cut-off, closures, idempotency, DST."""

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

import pytest

from services.core.clock import rome
from services.meals.actions import (
    MealChangeError,
    ledger_mismatches,
    ledger_post,
    meal_change_clear,
    meal_change_set,
)
from services.meals.charges import charge_day
from services.meals.models import CalendarBreak, Child, LedgerEntry

ROME = timezone.get_default_timezone()


def balance(wallet):
    wallet.refresh_from_db()
    return wallet.balance


def test_a_school_day_charges_each_child_once(family):
    _parent, wallet, kids = family
    day = date(2025, 11, 24)  # Monday
    assert charge_day(day) == {"day": "2025-11-24", "charged": 2, "amount": Decimal("-8.40"), "school_day": True}
    assert charge_day(day)["charged"] == 0  # a re-run changes nothing
    assert balance(wallet) == Decimal("-8.40") and ledger_mismatches() == []
    assert set(LedgerEntry.objects.values_list("balance_after", flat=True)) == {Decimal("-8.40")}


@pytest.mark.parametrize("day", [date(2025, 11, 22), date(2025, 11, 23), date(2025, 12, 8), date(2025, 12, 25)])
def test_weekends_and_public_holidays_charge_nothing(family, day):
    assert charge_day(day)["school_day"] is False and not LedgerEntry.objects.exists()


def test_breaks_and_closures(family):
    _parent, wallet, kids = family
    CalendarBreak.objects.create(name="Vacanze di Natale", start=date(2025, 12, 22), end=date(2026, 1, 6))
    assert charge_day(date(2025, 12, 23))["school_day"] is False
    CalendarBreak.objects.create(name="Sciopero del personale", start=date(2025, 11, 25), end=date(2025, 11, 25), school=kids[0].school)
    assert charge_day(date(2025, 11, 25))["charged"] == 1  # only the other school eats


def test_cancel_plain_and_absence(family):
    parent, wallet, (giulio, anna) = family
    day = date(2025, 11, 26)
    meal_change_set(child=giulio, day=day, kind="cancelled", by=parent, now=rome(2025, 11, 26, 8, 59, 59))
    meal_change_set(child=anna, day=day, kind="plain", by=parent, now=rome(2025, 11, 26, 7, 0))
    assert charge_day(day)["charged"] == 1  # the plain meal is eaten and charged
    day2 = date(2025, 11, 27)
    meal_change_set(child=anna, day=day2, kind="absent", by=None, staff=True, now=rome(2025, 11, 27, 12, 0))
    assert charge_day(day2)["charged"] == 1


def test_the_cut_off_edge(family):
    parent, _wallet, (giulio, _anna) = family
    day = date(2025, 11, 28)
    with pytest.raises(MealChangeError, match="fino alle 09:00"):
        meal_change_set(child=giulio, day=day, kind="cancelled", by=parent, now=rome(2025, 11, 28, 9, 0, 0))
    meal_change_set(child=giulio, day=day, kind="cancelled", by=parent, now=rome(2025, 11, 28, 8, 59, 59))
    with pytest.raises(MealChangeError):
        meal_change_clear(child=giulio, day=day, now=rome(2025, 11, 28, 9, 0, 1))
    with pytest.raises(MealChangeError, match="non è un giorno di scuola"):
        meal_change_set(child=giulio, day=date(2025, 11, 29), kind="cancelled", by=parent, now=rome(2025, 11, 28, 10, 0))
    with pytest.raises(MealChangeError):
        meal_change_set(child=giulio, day=day, kind="absent", by=parent, now=rome(2025, 11, 28, 8, 0))  # parents cannot


@pytest.mark.parametrize("friday, monday", [(date(2025, 3, 28), date(2025, 3, 31)), (date(2025, 10, 24), date(2025, 10, 27))])
def test_dst_weekends_one_charge_per_meal_from_the_utc_beat(family, friday, monday):
    """The beat runs at 09:30 UTC every weekday; across the DST change the business date stays right."""
    from services.meals.tasks import charge_today

    _parent, wallet, kids = family
    Child.objects.update(service_from=date(2025, 1, 7))
    day = friday
    while day <= monday:
        instant = datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)
        with mock.patch("django.utils.timezone.now", return_value=instant):
            if day.weekday() < 5:
                charge_today()
                charge_today()  # a duplicated beat
        day += timedelta(days=1)
    dates = sorted(LedgerEntry.objects.values_list("business_date", flat=True))
    assert dates == [friday, friday, monday, monday]
    assert balance(wallet) == Decimal("-16.80")


def test_management_command_runs_a_given_day(family):
    from io import StringIO

    out = StringIO()
    call_command("meals_charge_day", "--giorno", "2025-11-24", stdout=out)
    assert "2 pasti addebitati, € -8,40" in out.getvalue()
    out = StringIO()
    call_command("meals_charge_day", "--giorno", "2025-11-23", stdout=out)
    assert "non è un giorno di scuola" in out.getvalue()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_charges_and_top_ups_at_the_same_time_lose_nothing(family):
    from django.db import connections

    _parent, wallet, _kids = family
    days = [date(2025, 12, 1) + timedelta(days=n) for n in range(5)]
    errors = []

    def charges():
        try:
            for day in days:
                charge_day(day)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    def topups():
        try:
            for n in range(20):
                ledger_post(wallet_id=wallet.pk, kind="topup", amount=Decimal("1.00"), reference=f"pagopa:{n % 10}", description="R")
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=f) for f in (charges, topups, charges, topups)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert balance(wallet) == Decimal("10.00") - Decimal("4.20") * 2 * 5 and ledger_mismatches() == []


def test_parents_change_meals_from_the_personal_area(family, client):
    parent, _wallet, (giulio, anna) = family
    Child.objects.update(service_from=date(2020, 1, 1))
    client.force_login(parent)
    page = client.get("/area-personale/conto-mensa/pasti/").content.decode()
    assert "Giulio Rossi" in page and "Anna Rossi" in page
    from services.meals.days import is_school_day

    day = timezone.localdate() + timedelta(days=1)
    while not is_school_day(day):
        day += timedelta(days=1)
    url = f"/area-personale/conto-mensa/pasti/{giulio.pk}/{day.isoformat()}/"
    assert client.post(url, {"azione": "disdici"}).status_code == 302
    assert giulio.changes.get(day=day).kind == "cancelled"
    assert client.post(url, {"azione": "ripristina"}).status_code == 302 and not giulio.changes.exists()
    past = f"/area-personale/conto-mensa/pasti/{giulio.pk}/2025-11-24/"
    response = client.post(past, {"azione": "disdici"}, follow=True)
    assert "si potevano fare fino alle 09:00" in response.content.decode() and not giulio.changes.exists()
    other = get_user_model().objects.create_user("luca", fiscal_code="BNCLCU82S02A271A")
    client.force_login(other)
    assert client.post(url, {"azione": "disdici"}).status_code == 404  # another family's child


def test_staff_see_the_days_counts(family, client):
    _parent, _wallet, (giulio, anna) = family
    day = date(2025, 11, 26)
    meal_change_set(child=anna, day=day, kind="plain", by=None, now=rome(2025, 11, 26, 7, 0))
    meal_change_set(child=giulio, day=day, kind="absent", by=None, staff=True)
    admin = get_user_model().objects.create_superuser("capo", password="x")
    client.force_login(admin)
    page = client.get("/admin/refezione/pasti-del-giorno/?giorno=2025-11-26").content.decode()
    assert "Primaria di prova" in page and "Altra primaria" in page
    csv_text = client.get("/admin/refezione/pasti-del-giorno/?giorno=2025-11-26&formato=csv").content.decode("utf-8-sig")
    assert "Primaria di prova;ANEE99999Z;1;0;1;0;0" in csv_text and "Altra primaria;ANEE99998Z;1;0;0;0;1" in csv_text
    for url in ("/admin/snippets/meals/child/", "/admin/snippets/meals/feeband/", "/admin/snippets/meals/calendarbreak/"):
        assert client.get(url).status_code == 200, url

from datetime import date

from services.core.clock import add_working_days, is_working_day


def test_weekends_and_italian_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))  # Natale
    assert not is_working_day(date(2026, 12, 26))  # Santo Stefano (a Saturday too)
    assert not is_working_day(date(2027, 4, 25))  # Liberazione (a Sunday)
    assert not is_working_day(date(2027, 3, 29))  # Lunedì dell'Angelo 2027
    assert is_working_day(date(2026, 12, 28))


def test_second_and_sixth_working_day_after_submission():
    # Submitted on Thursday 24 December 2026: 25 and 26 are holidays, 27 is Sunday.
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 24), 6) == date(2027, 1, 5)  # 1 January is a holiday, 2-3 a weekend


# Europe/Rome on the days the clocks change ----------------------------------------------------------------------

from datetime import UTC, datetime, time  # noqa: E402

import pytest  # noqa: E402

from services.core.clock import ROME, SchoolYear, at_rome_time, business_date, is_public_holiday, rome  # noqa: E402


def test_the_patron_saints_day_is_a_holiday_when_configured(settings):
    assert is_working_day(date(2027, 6, 29))
    settings.PATRON_SAINT_DAY = "06-29"
    assert not is_working_day(date(2027, 6, 29)) and is_public_holiday(date(2027, 6, 29))


@pytest.mark.parametrize("day, utc_hour", [
    (date(2027, 3, 27), 8),  # the Saturday before: CET, UTC+1
    (date(2027, 3, 28), 7),  # clocks go forward at 02:00: 09:00 is CEST, UTC+2
    (date(2026, 10, 24), 7),  # CEST
    (date(2026, 10, 25), 8),  # clocks go back at 03:00: 09:00 is CET again
])
def test_a_rome_wall_clock_time_on_the_dst_days(day, utc_hour):
    assert at_rome_time(day, time(9, 0)).astimezone(UTC).hour == utc_hour


def test_the_business_date_is_romes_date():
    # 23:30 UTC on 31 March 2027 is already 1 April in Rome (UTC+2); 22:30 UTC on 31 December is 23:30 in Rome.
    assert business_date(datetime(2027, 3, 31, 23, 30, tzinfo=UTC)) == date(2027, 4, 1)
    assert business_date(datetime(2026, 12, 31, 22, 30, tzinfo=UTC)) == date(2026, 12, 31)


def test_rome_keeps_the_written_wall_clock_time_all_year():
    assert rome(2027, 5, 15, 23, 59).astimezone(UTC) == datetime(2027, 5, 15, 21, 59, tzinfo=UTC)
    assert rome(2027, 1, 15, 12, 0).astimezone(UTC) == datetime(2027, 1, 15, 11, 0, tzinfo=UTC)
    assert rome(2027, 5, 15, 23, 59).tzinfo is ROME


@pytest.mark.parametrize("day, label, start, end", [
    (date(2026, 8, 31), "2025/26", date(2025, 9, 1), date(2026, 8, 31)),
    (date(2026, 9, 1), "2026/27", date(2026, 9, 1), date(2027, 8, 31)),
    (date(2027, 1, 15), "2026/27", date(2026, 9, 1), date(2027, 8, 31)),
])
def test_the_school_year_runs_from_september_to_august(day, label, start, end):
    year = SchoolYear.current(day)
    assert (year.label, year.start, year.end) == (label, start, end) and day in year
    assert SchoolYear.next(day).first_year == year.first_year + 1
    assert SchoolYear.from_label(label) == year == SchoolYear.from_label(f"{label[:4]}/{int(label[:4]) + 1}")

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

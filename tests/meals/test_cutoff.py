"""The meal cut-off has one home (meals/days.py): the Comune's MEALS_CUTOFF, or a school's own time; the parents'
changes, the plan in the personal area and the school's attendance sheet all read it (issue 26)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from services.meals.actions import MealChangeError, meal_change_set
from services.meals.days import cutoff, cutoff_time
from services.meals.models import MealChange, SchoolCutoff
from tests.factories import ChildFactory

ROME = ZoneInfo("Europe/Rome")
DAY = date(2027, 3, 10)  # a Wednesday of the school year


@pytest.mark.django_db
def test_a_school_may_have_its_own_time_and_the_others_keep_the_comunes():
    early, usual = ChildFactory(), ChildFactory()
    SchoolCutoff.objects.create(school=early.school, time=time(8, 0))
    assert cutoff_time(early.school_id) == time(8, 0) and cutoff_time(usual.school_id) == time(9, 0) and cutoff_time() == time(9, 0)
    assert cutoff(DAY, early.school_id) == datetime(2027, 3, 10, 8, 0, tzinfo=ROME)
    half_past_eight = datetime(2027, 3, 10, 8, 30, tzinfo=ROME)
    with pytest.raises(MealChangeError, match="fino alle 08:00"):
        meal_change_set(child=early, day=DAY, kind=MealChange.Kind.CANCELLED, by=early.wallet.holder, now=half_past_eight)
    meal_change_set(child=usual, day=DAY, kind=MealChange.Kind.CANCELLED, by=usual.wallet.holder, now=half_past_eight)
    assert MealChange.objects.filter(child=usual, day=DAY).exists() and not MealChange.objects.filter(child=early).exists()

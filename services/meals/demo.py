"""Demo registries for the meal service: ISEE fee bands and the school calendar's breaks (fictional)."""

from datetime import date
from decimal import Decimal

from services.core.clock import SchoolYear

from .models import CalendarBreak, FeeBand

# (code, label, ISEE up to, price of a meal)
BANDS = [
    ("A", "Fascia A", "6000.00", "1.50"),
    ("B", "Fascia B", "12000.00", "2.60"),
    ("C", "Fascia C", "20000.00", "3.70"),
    ("D", "Fascia D", "30000.00", "4.20"),
    ("MAX", "Tariffa massima", None, "4.80"),
]


def load(today: date) -> int:
    created = 0
    start = SchoolYear.current(today).start
    for code, label, isee_max, price in BANDS:
        _, new = FeeBand.objects.get_or_create(
            code=code, valid_from=start,
            defaults={"label": label, "isee_max": Decimal(isee_max) if isee_max else None, "price": Decimal(price)})
        created += new
    for year in (start.year, start.year + 1):
        for name, begin, end in (("Vacanze di Natale", date(year, 12, 23), date(year + 1, 1, 6)),
                                 ("Vacanze estive", date(year + 1, 6, 10), date(year + 1, 9, 14))):
            _, new = CalendarBreak.objects.get_or_create(name=name, start=begin, defaults={"end": end})
            created += new
    return created

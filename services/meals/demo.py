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


def load(context) -> int:
    created = 0
    start = SchoolYear.current(context.today).start
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


def load_family(context) -> int:
    """With the demo users: Maria's meal account, her daughter at the Primaria Dante Alighieri since the start of the
    school year, the balance carried over from the old system, every school day so far charged by the daily batch."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model

    from services.schools.models import School

    from .actions import ledger_post, wallet_get_or_create
    from .charges import charge_day
    from .models import Child

    maria = get_user_model().objects.get(username="RSSMRA85C52H501N")
    wallet = wallet_get_or_create(holder=maria)
    if wallet.children.exists():
        return 0
    today = context.today
    year = SchoolYear.current(today)
    start = year.start + timedelta(days=13)
    Child.objects.create(wallet=wallet, first_name="Giulia", last_name="Rossi", fiscal_code="RSSGLI18C52A271N",
                         school=School.objects.get(code="ANEE81001D"), school_class="3ª A", school_year=year.label,
                         fee_band=FeeBand.objects.filter(code="C").order_by("-valid_from").first(),
                         service_from=start, service_to=year.end, diet="no_pork")
    ledger_post(wallet_id=wallet.pk, kind="opening", amount=Decimal("250.00"), reference="import:demo",
                description="Saldo trasferito dal vecchio sistema", business_date=start - timedelta(days=1))
    day = start
    while day < today:
        charge_day(day)
        day += timedelta(days=1)
    return 1

"""Demo registries for school transport: two bus routes with their stops, the next school year's fees."""

from datetime import date, time
from decimal import Decimal

from services.core.clock import SchoolYear

from .models import FeeInstallment, FeePlan, PlanScope, Route, Stop

ROUTES = [
    ("L1", "Linea 1 · Centro e Stazione", [("Piazza della Repubblica", "07:35", "13:50"), ("Via Mazzini", "07:42", "13:43"),
                                            ("Viale della Stazione", "07:50", "13:35"), ("Via Verdi", "07:56", "13:29")]),
    ("L2", "Linea 2 · Colline", [("Frazione San Marco", "07:20", "14:05"), ("Via Panoramica", "07:31", "13:54"),
                                  ("Via dei Ciliegi", "07:40", "13:45"), ("Borgo Nuovo", "07:52", "13:33")]),
]


def _plans(year: SchoolYear):
    y1, y2 = year.start.year, year.start.year + 1
    return [
        ("Andata e ritorno, rata unica", PlanScope.BOTH, [("180.00", date(y1, 10, 31))]),
        ("Andata e ritorno, due rate", PlanScope.BOTH, [("90.00", date(y1, 10, 31)), ("90.00", date(y2, 2, 28))]),
        ("Una direzione, rata unica", PlanScope.ONE_WAY, [("110.00", date(y1, 10, 31))]),
        ("Una direzione, due rate", PlanScope.ONE_WAY, [("55.00", date(y1, 10, 31)), ("55.00", date(y2, 2, 28))]),
    ]


def load(context) -> int:
    today = context.today
    created = 0
    for code, name, stops in ROUTES:
        route, new = Route.objects.get_or_create(code=code, defaults={"name": name})
        created += new
        if new:
            for n, (stop, pickup, dropoff) in enumerate(stops):
                Stop.objects.create(route=route, sort_order=n, name=stop, pickup_time=time.fromisoformat(pickup),
                                    dropoff_time=time.fromisoformat(dropoff))
    year = SchoolYear.next(today)
    for name, scope, installments in _plans(year):
        plan, new = FeePlan.objects.get_or_create(name=name, school_year=year.label, defaults={"scope": scope})
        created += new
        if new:
            for n, (amount, due) in enumerate(installments):
                FeeInstallment.objects.create(plan=plan, sort_order=n, amount=Decimal(amount), due_date=due)
    return created

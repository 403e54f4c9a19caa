"""Reads of the meal service that need more than a filter: health data (logged) and the monthly overview."""

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from services.accounts import area
from services.core import observability
from services.payments.models import PaymentPosition

from .models import Child, Diet, HealthDataRead, MealChange


def medical_diet_read(child: Child, *, user, purpose: str) -> str:
    """A child's medical diet, logging who read it and why. The only way the admin shows it."""
    HealthDataRead.objects.create(child=child, user=user, purpose=purpose)
    observability.security("health_data.read", what="medical_diet", child_id=child.pk, user_id=getattr(user, "pk", None))
    return child.medical_diet


def monthly_overview(wallet, *, today, months: int = 12) -> dict:
    """Per month of the last `months`: the balance after the month's last posting and the meals of each child.

    Months without postings carry the balance forward. Meals are counted from the charges' references
    (meal:<day>:<child id>), so a refunded meal still shows as charged that day."""
    from datetime import date

    from .models import LedgerEntry

    first = date(today.year, today.month, 1)
    for _month in range(months - 1):
        first = date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)
    before = LedgerEntry.objects.filter(wallet=wallet, business_date__lt=first).order_by("-business_date", "-id").first()
    balance = before.balance_after if before else None
    rows = (LedgerEntry.objects.filter(wallet=wallet, business_date__gte=first, business_date__lte=today)
            .order_by("business_date", "id").values_list("business_date", "kind", "reference", "balance_after"))
    by_month: dict[tuple, dict] = {}
    for day, kind, reference, balance_after in rows:
        month = by_month.setdefault((day.year, day.month), {"last": None, "meals": {}})
        month["last"] = balance_after
        if kind == LedgerEntry.Kind.MEAL:
            child_id = int(reference.rsplit(":", 1)[1])
            month["meals"][child_id] = month["meals"].get(child_id, 0) + 1
    # A child enrolled in several school years has a row per year: one series per fiscal code.
    series, names = {}, {}
    for child in wallet.children.all():
        series[child.pk] = child.fiscal_code
        names.setdefault(child.fiscal_code, child.first_name)
    result, cursor = [], first
    while cursor <= today:
        month = by_month.get((cursor.year, cursor.month), {"last": None, "meals": {}})
        if month["last"] is not None:
            balance = month["last"]
        per_child = dict.fromkeys(names, 0)
        for pk, count in month["meals"].items():
            if pk in series:
                per_child[series[pk]] += count
        result.append({"month": cursor, "balance": balance, "meals": list(per_child.values())})
        cursor = date(cursor.year + 1, 1, 1) if cursor.month == 12 else date(cursor.year, cursor.month + 1, 1)
    return {"months": result, "children": list(names.values())}


def wallet_page(user, wallet, *, today) -> dict:
    """What the Conto mensa page shows: balance, children in service, transport, pending top-ups, charts, movements."""

    from . import charts
    from .enrollment import family_services

    page = {"wallet": wallet, "statement_years": [today.year - 1, today.year], "pending": [], "entries": [], "children": [], "charts": None,
            **{service.key: service.enrollments(user) for service in family_services()}}
    if wallet is None:
        return page
    overview = monthly_overview(wallet, today=today)
    page.update(
        pending=PaymentPosition.objects.open().filter(owner=user, purpose="wallet-topup"),
        entries=wallet.entries.order_by("-id")[:100],  # newest posting first: each balance follows from the row below
        children=wallet.children.exclude(service_to__lt=today).select_related("school", "fee_band").order_by("service_from", "first_name"),
        charts={"overview": overview, "balance": charts.balance_bars(overview["months"]),
                "meals": charts.meals_bars(overview["months"], overview["children"])},
    )
    return page


# What the meal account adds to the personal area (registered in apps.py) ---------------------------------------


def documents_of(user, limit: int) -> list[area.Document]:
    """The yearly statement of meal payments, for each year with meals charged."""
    from .models import LedgerEntry

    years = sorted({d.year for d in LedgerEntry.objects.filter(wallet__holder=user, kind=LedgerEntry.Kind.MEAL).dates("business_date", "year")},
                   reverse=True)
    this_year = timezone.localdate().year
    return [area.Document(None, _("Attestazione delle spese per la mensa %(y)s") % {"y": year},
                          _("Per la dichiarazione dei redditi") if year < this_year else _("Anno in corso, fino a oggi"),
                          reverse("meals:statement", args=[year]))
            for year in years]


def meal_families(filters: dict, today):
    """Holders of a meal account with a child in service today (at the school, if one is chosen): a "the canteen is
    closed tomorrow" does not reach a family whose child starts next September."""
    from django.contrib.auth import get_user_model

    children = in_service(today)
    if filters.get("school"):
        children = children.filter(school=filters["school"])
    return get_user_model().objects.filter(wallet__children__in=children)


def meal_plan(user, *, today, school_days: int, closed: bool) -> list[dict]:
    """The next `school_days` school days of each child in service, with the day's change and whether it may
    still be changed (before the cut-off, the module open). Three queries, whatever the family's history."""
    from datetime import timedelta

    from .days import breaks_between, can_change, cutoff_time, cutoff_times, is_school_day
    from .models import Child, MealChange

    children = list(Child.objects.filter(wallet__holder=user).exclude(service_to__lt=today).select_related("school")
                    .order_by("service_from", "first_name"))
    if not children:
        return []
    horizon = today + timedelta(days=40)
    breaks = breaks_between(today, horizon)
    changes = {(c.child_id, c.day): c.kind for c in MealChange.objects.filter(child__in=children, day__gte=today, day__lte=horizon)}
    plan, times = [], cutoff_times()
    for child in children:
        days, day = [], today
        while len(days) < school_days and day <= horizon:
            in_service = child.service_from <= day and (child.service_to is None or day <= child.service_to)
            if in_service and is_school_day(day, child.school_id, breaks):
                days.append({"day": day, "change": changes.get((child.pk, day)), "open": not closed and can_change(day, school_id=child.school_id, times=times)})
            day += timedelta(days=1)
        plan.append({"child": child, "days": days, "cutoff": cutoff_time(child.school_id, times)})
    return plan


TOPUP_MODULE = "meals-topup"
CHANGES_MODULE = "meals-changes"


def outside_window(module: str) -> str:
    """Why the online module is not open now (its service pages' window, from the catalogue), or ""."""
    from services.catalogue import selectors as catalogue

    window = catalogue.module_window(module)
    state = window.state()
    if state == "not_yet":
        return _("Il servizio online apre il %(d)s alle %(t)s.") % {
            "d": timezone.localtime(window.opens_at).strftime("%d/%m/%Y"), "t": timezone.localtime(window.opens_at).strftime("%H:%M")}
    if state == "closed":
        return _("Il servizio online è chiuso dal %(d)s alle %(t)s.") % {
            "d": timezone.localtime(window.closes_at).strftime("%d/%m/%Y"), "t": timezone.localtime(window.closes_at).strftime("%H:%M")}
    return ""


# The day's meals, per school (the canteen's counts, the schools' attendance) ------------------------------------

DIETS = [d for d, _label in Diet.choices]
DIET_COLUMNS = {Diet.STANDARD: _lazy("normale"), Diet.MEDICAL: _lazy("sanitaria"), Diet.NO_PORK: _lazy("senza maiale"),
                Diet.NO_MEAT: _lazy("senza carne")}


def in_service(day: date):
    return Child.objects.filter(service_from__lte=day).exclude(service_to__lt=day)


def day_counts(day: date, school_id: int | None = None) -> list[dict]:
    """Per school (or for one): children in service, cancelled, absent, and the meals to cook per diet (plain meals apart)."""
    children = in_service(day)
    if school_id is not None:
        children = children.filter(school_id=school_id)
    enrolled: dict[int, dict] = {}
    for row in children.values("school_id", "school__name", "school__code", "diet").annotate(n=Count("id")).order_by("school__name"):
        school = enrolled.setdefault(row["school_id"], {"school": row["school__name"], "code": row["school__code"], "children": 0,
                                                         "cancelled": 0, "absent": 0, "plain": 0, **{d: 0 for d in DIETS}})
        school["children"] += row["n"]
        school[row["diet"]] += row["n"]
    for row in MealChange.objects.filter(day=day, child__in=children).values("child__school_id", "child__diet", "kind").annotate(n=Count("id")):
        school = enrolled[row["child__school_id"]]
        school[row["kind"]] += row["n"]
        school[row["child__diet"]] -= row["n"]  # not cooked for this diet: cancelled, absent or plain
    for school in enrolled.values():
        school["normal"] = sum(school[d] for d in DIETS)
    return list(enrolled.values())

"""Figures for the head of the URP: requests per month, category, office and channel; median working days to the
first reply and to the resolution; the share within the targets; the ratings. One chart (requests and replies per
month, drawn on the server) with its data table, and the same figures as CSV."""

from datetime import date
from statistics import median

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from services.core import exports
from services.core.charts import grouped_bars
from services.core.clock import is_working_day

from .models import AssistanceRequest, ThreadEntry

MONTHS = 12


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 on the same day)."""
    days, current = 0, start
    while current < end:
        current = date.fromordinal(current.toordinal() + 1)
        days += is_working_day(current)
    return days


def _months(today: date) -> list[date]:
    first = date(today.year, today.month, 1)
    out = []
    for n in range(MONTHS - 1, -1, -1):
        year, month = first.year, first.month - n
        while month <= 0:
            year, month = year - 1, month + 12
        out.append(date(year, month, 1))
    return out


def figures(rows, today=None) -> dict:
    """`rows`: the requests the viewer may see (their offices')."""
    today = today or timezone.localdate()
    months = _months(today)
    since = months[0]
    received = dict(rows.filter(submitted_at__date__gte=since).annotate(m=TruncMonth("submitted_at")).values("m")
                    .annotate(n=Count("id")).values_list("m", "n"))
    replies = dict(ThreadEntry.objects.filter(request__in=rows, kind=ThreadEntry.Kind.REPLY, created_at__date__gte=since)
                   .annotate(m=TruncMonth("created_at")).values("m").annotate(n=Count("id")).values_list("m", "n"))

    def count(found, month):
        return next((n for m, n in found.items() if (m.date() if hasattr(m, "date") else m) == month), 0)

    per_month = [{"month": m, "counts": [count(received, m), count(replies, m)]} for m in months]
    timed = list(rows.values("submitted_at", "first_reply_at", "first_reply_due", "resolved_at", "resolution_due"))
    first_days = [working_days_between(timezone.localdate(r["submitted_at"]), timezone.localdate(r["first_reply_at"]))
                  for r in timed if r["first_reply_at"]]
    resolve_days = [working_days_between(timezone.localdate(r["submitted_at"]), timezone.localdate(r["resolved_at"]))
                    for r in timed if r["resolved_at"]]
    first_ok = sum(1 for r in timed if r["first_reply_at"] and timezone.localdate(r["first_reply_at"]) <= r["first_reply_due"])
    resolve_ok = sum(1 for r in timed if r["resolved_at"] and timezone.localdate(r["resolved_at"]) <= r["resolution_due"])
    ratings = dict(rows.exclude(rating__isnull=True).values("rating").annotate(n=Count("id")).values_list("rating", "n"))
    rated = sum(ratings.values())

    def grouped(field, labels=None):
        found = rows.values(field).annotate(n=Count("id")).order_by("-n")
        return [((labels or {}).get(r[field], r[field]) or "—", r["n"]) for r in found]

    return {
        "total": len(timed), "months": per_month,
        "by_category": grouped("category_label"), "by_office": grouped("office__name"),
        "by_channel": grouped("channel", dict(AssistanceRequest.Channel.choices)),
        "median_first": median(first_days) if first_days else None, "median_resolution": median(resolve_days) if resolve_days else None,
        "first_within": round(100 * first_ok / len(first_days)) if first_days else None,
        "resolution_within": round(100 * resolve_ok / len(resolve_days)) if resolve_days else None,
        "ratings": [(n, ratings.get(n, 0)) for n in range(1, 6)], "rated": rated,
        "rating_average": round(sum(k * v for k, v in ratings.items()) / rated, 1) if rated else None,
    }


def chart_svg(months: list[dict]) -> dict:
    return grouped_bars(months, [_("Richieste"), _("Risposte")], "counts")


def csv_response(figures: dict) -> HttpResponse:
    def value(key):
        return figures[key] if figures[key] is not None else ""

    rows = [[row["month"].strftime("%m/%Y"), *row["counts"]] for row in figures["months"]]
    rows.append([])
    for title, key in ((_("Categoria"), "by_category"), (_("Ufficio"), "by_office"), (_("Canale"), "by_channel")):
        rows += [[title, _("Richieste")], *[list(r) for r in figures[key]], []]
    rows += [[_("Mediana giorni lavorativi alla prima risposta"), value("median_first")],
             [_("Mediana giorni lavorativi alla risoluzione"), value("median_resolution")],
             [_("Prime risposte nei tempi (%)"), value("first_within")],
             [_("Risoluzioni nei tempi (%)"), value("resolution_within")],
             [_("Voto medio"), value("rating_average")]]
    return exports.csv_response("statistiche-urp.csv", [_("Mese"), _("Richieste"), _("Risposte")], rows)

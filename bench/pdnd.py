#!/usr/bin/env python
"""PDND benchmark: what ANPR and INPS cost a wizard step, with the sandboxes (issue 32).

Usage: make bench-pdnd   (SQLite file under var/, no other service). One process, test settings: the PDND, ANPR and
INPS stand-ins answer in process (PDND_TRANSPORT=wsgi), so the figures are Sportello's own work on both sides of
each call — RSA signatures, the voucher, the ModI headers, zeep, the access register — without the network to the
real services (PDND's published SLA for the voucher is P90 ≤ 10 s; see the README's PDND section). For each of
BENCH_DRAFTS new MENSA drafts of the demo parents it times the child step's first render (ANPR: C030, C021, C020, each
with its voucher), the same render again (kept with the draft), the fee step's first render (INPS: voucher and SOAP)
and counts the SQL queries of each. Writes bench/results/pdnd.json and the table between the pdnd markers of
bench/README.md.
"""

import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DRAFTS = int(os.environ.get("BENCH_DRAFTS", "40"))
DB_FILE = ROOT / "var" / "bench-pdnd.sqlite3"
PARENTS = ["RSSMRA85C52H501N", "BNCLCU82S02A271A", "RSSSRA90P70F205P", "FRRPLA68A14L219Z"]


def setup():
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
    os.environ.pop("CELERY_BROKER_URL", None)
    DB_FILE.unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's ALLOWED_HOSTS ("testserver") and e-mail to memory
    call_command("migrate", verbosity=0)
    import datetime
    from zoneinfo import ZoneInfo

    from services.core import demo as demo_loaders

    context = demo_loaders.Context(today=datetime.datetime.now(ZoneInfo("Europe/Rome")).date())
    for loader in demo_loaders.loaders():
        if loader.name.endswith((".offices", ".registries", ".survey")):
            loader.load(context)


def timed(client, url, method="get", data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = getattr(client, method)(url, data or {})
        elapsed = time.perf_counter() - started
    if response.status_code not in (200, 302):
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed * 1000, len(queries.captured_queries)


def measure():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from services.core.clock import SchoolYear
    from services.istanze.models import Istanza
    from services.pdnd.models import Consultation
    from services.schools.models import School

    settings.PROCEDURE_WINDOWS = {"MENSA": ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]}
    User = get_user_model()
    school = School.objects.filter(active=True).order_by("order", "name").first()
    rows = {name: [] for name in ("child_first", "child_again", "fee_first")}
    queries = {name: [] for name in rows}
    calls = []
    for n in range(DRAFTS):
        code = PARENTS[n % len(PARENTS)]
        user, _ = User.objects.get_or_create(username=code, defaults={"fiscal_code": code, "fiscal_code_source": "spid",
                                                                         "assurance_level": 2})
        Istanza.objects.filter(owner=user).delete()
        cache.clear()
        client = Client()
        client.force_login(user)
        session = client.session
        session["auth_method"], session["auth_level"] = "spid", 2
        session.save()
        client.post("/area-personale/pratiche/nuova/MENSA/", {"azione": "nuova"})
        istanza = Istanza.objects.filter(owner=user, procedure_code="MENSA").latest("pk")
        url = f"/area-personale/pratiche/{istanza.public_id}/compila/"
        before = Consultation.objects.count()
        for name in ("child_first", "child_again"):
            ms, q = timed(client, url)
            rows[name].append(ms)
            queries[name].append(q)
        anpr_calls = Consultation.objects.count() - before
        child = {"istanza-current_step": "bambino", "azione": "avanti", "bambino-anno_scolastico": SchoolYear.next().label,
                 "bambino-scuola": school.pk, "bambino-classe": "1ª A", "bambino-figlio": "altro",
                 "bambino-nome": "Prova", "bambino-cognome": "Banco", "bambino-codice_fiscale": "RSSNNA18C52A271C"}
        client.post(url, child)
        client.post(url, {"istanza-current_step": "dieta", "azione": "avanti", "dieta-dieta": "standard"})
        before = Consultation.objects.count()
        ms, q = timed(client, url)
        rows["fee_first"].append(ms)
        queries["fee_first"].append(q)
        calls.append((anpr_calls, Consultation.objects.count() - before))
    return rows, queries, calls


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main():
    setup()
    rows, queries, calls = measure()
    from bench.pages import machine, readme_section

    labels = {"child_first": "Child step, first render (ANPR: C030 + C021 + C020, 3 vouchers)",
              "child_again": "Child step, rendered again (kept with the draft)",
              "fee_first": "Fee step, first render (INPS: voucher + SOAP)"}
    result = {"at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "drafts": DRAFTS,
              "steps": {k: {"median_ms": round(statistics.median(v), 1), "p95_ms": round(p95(v), 1),
                            "queries": max(queries[k])} for k, v in rows.items()},
              "registry_calls_per_draft": {"anpr": max(c[0] for c in calls), "inps": max(c[1] for c in calls)}}
    (ROOT / "bench" / "results" / "pdnd.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"Run of {result['at']} on {result['machine']}; this bench uses a SQLite file, not PostgreSQL.",
             f"{DRAFTS} new MENSA drafts of the sandbox's parents; the stand-ins answer in process (no network).", "",
             "| step | median | p95 | SQL queries |", "|---|---:|---:|---:|"]
    for key, label in labels.items():
        s = result["steps"][key]
        lines.append(f"| {label} | {s['median_ms']:.1f} ms | {s['p95_ms']:.1f} ms | {s['queries']} |")
    lines += ["", f"Registry consultations per draft (access-register rows): ANPR {result['registry_calls_per_draft']['anpr']}, "
                  f"INPS {result['registry_calls_per_draft']['inps']}."]
    readme_section("pdnd", "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""The Region's dashboard of the 0-3 survey at a Region's scale (issue 30).

Usage: make bench-survey   (a SQLite file under var/ by default; BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL).
Builds BENCH_COMUNI Comuni (default 1,200) in 8 provinces and 40 CPT, five services each (6,000), their ISTAT children
and both sheets of every Comune in a spread of states as the regional office sees them mid-survey (bulk rows, with
the history the validation queue reads), then times the dashboard's page as the regional officer opens it — the whole
Region, one province, one CPT — and the CSV export and the open data, BENCH_RUNS times each, counting the SQL queries.
Writes bench/results/survey.json and the table between the survey markers of bench/README.md. The goal: the page
under 1 s at p95.
"""

import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COMUNI = int(os.environ.get("BENCH_COMUNI", "1200"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
DB_FILE = ROOT / "var" / "bench-survey.sqlite3"
PROVINCES = ["TO", "CN", "AT", "AL", "NO", "VC", "BI", "VB"]
KINDS = ["nido", "nido", "micronido", "primavera", "centro", "spazio"]


def setup():
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    url = os.environ.get("BENCH_DATABASE_URL", "")
    os.environ["DATABASE_URL"] = url or f"sqlite:///{DB_FILE}"
    os.environ.pop("CELERY_BROKER_URL", None)
    if not url:
        DB_FILE.parent.mkdir(exist_ok=True)
        DB_FILE.unlink(missing_ok=True)
    else:  # a database of its own, made anew: BENCH_DATABASE_URL names it, the server's "postgres" database makes it
        import psycopg

        name = url.rsplit("/", 1)[1].split("?")[0]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # the test client's host; not setup_test_environment(), whose per-render instrumentation would be timed too
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


def build():
    """The Region: Comuni, CPT, services, population and both sheets, in bulk."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from services.istanze.models import Istanza, IstanzaEvent
    from services.istanze.states import Status
    from services.procedures.models import ChildPopulation, Cpt, EarlyYearsService, SurveyComune
    from services.procedures.ril03 import ACTIONS_CODE, CODE, EDITION, required_actions

    rng = random.Random(30)
    User = get_user_model()
    owner = User.objects.create(username="bench-comuni")
    cpts = Cpt.objects.bulk_create([Cpt(code=f"CPT-{n:02d}", name=f"CPT {n:02d}") for n in range(40)])
    comuni = SurveyComune.objects.bulk_create([
        SurveyComune(istat_code=f"{100000 + n}", name=f"Comune {n:04d}", province=PROVINCES[n % len(PROVINCES)],
                     cpt=cpts[n % 40] if n % 5 else None) for n in range(COMUNI)])
    services = EarlyYearsService.objects.bulk_create([
        EarlyYearsService(comune=c, code=f"S-{c.istat_code}-{k}", name=f"Servizio {c.istat_code}-{k}", kind=rng.choice(KINDS),
                          ownership=rng.choice(["public", "private"]), authorised_on=date(2015, 9, 1), places=rng.randint(10, 60))
        for c in comuni for k in range(5)], batch_size=1000)
    ChildPopulation.objects.bulk_create([ChildPopulation(comune=c, year=2026, children=rng.randint(40, 900)) for c in comuni])
    by_comune = {}
    for s in services:
        by_comune.setdefault(s.comune_id, []).append(s)
    now = timezone.now()
    sheets, plans, number = [], [], {CODE: 0, ACTIONS_CODE: 0}
    states = [Status.ACCOLTA] * 5 + [Status.INVIATA, Status.PRESA_IN_CARICO, Status.IN_ATTESA_DI_INTEGRAZIONE, Status.DA_INVIARE, None]
    for c in comuni:
        choice = {"comune": c.pk, "designato": True, "edizione": EDITION.year}
        rows = [{"servizio": s.pk, "codice": s.code, "stato": rng.choice(["attivo"] * 8 + ["cessato", "non_raggiungibile"]),
                 "media_frequentanti": str(round(s.places * 0.8, 1)), "motivazione": ""} for s in by_comune[c.pk]]
        active = [r["servizio"] for r in rows if r["stato"] == "attivo"]
        answers = {}
        for s in by_comune[c.pk]:
            for a in required_actions(s) if s.pk in active else []:
                answers[f"s{s.pk}_{a}_importo"], answers[f"s{s.pk}_{a}_descrizione"] = f"{s.places * 100}.00", "Contributo"
        if c.cpt_id:
            answers["comune_C1_importo"], answers["comune_C1_descrizione"] = "1500.00", "Formazione"
        answers.update(servizi_numero="", servizi_attivi=sorted(active))
        first = rng.choice(states)
        second = rng.choice(states) if first is not None and first != Status.DA_INVIARE else None
        for code, status, data in ((CODE, first, {"comune": choice, "servizi": rows, "mancanti": []}),
                                   (ACTIONS_CODE, second, {"comune": choice, "interventi": answers})):
            if status is None:
                continue
            sent = status != Status.DA_INVIARE
            if sent:
                number[code] += 1
            submitted = now - timedelta(days=rng.randint(1, 60)) if sent else None
            sheets.append(Istanza(procedure_code=code, owner=owner, status=status, data=data, submitted_at=submitted,
                                  number=f"{code}_{EDITION.year}.{number[code]:07d}" if sent else None))
            plans.append((status, submitted))
    created = Istanza.objects.bulk_create(sheets, batch_size=500)
    events = []
    for istanza, (status, submitted) in zip(created, plans, strict=True):
        if submitted is None:
            continue
        events.append(IstanzaEvent(istanza=istanza, from_status=Status.DA_INVIARE, to_status=Status.INVIATA, actor_kind="citizen"))
        if status in (Status.ACCOLTA, Status.IN_ATTESA_DI_INTEGRAZIONE, Status.PRESA_IN_CARICO):
            events.append(IstanzaEvent(istanza=istanza, from_status=Status.INVIATA, to_status=Status.PRESA_IN_CARICO, actor_kind="office"))
        if status in (Status.ACCOLTA, Status.IN_ATTESA_DI_INTEGRAZIONE):
            events.append(IstanzaEvent(istanza=istanza, from_status=Status.PRESA_IN_CARICO, to_status=status, actor_kind="office",
                                       note="Correggete" if status != Status.ACCOLTA else ""))
    IstanzaEvent.objects.bulk_create(events, batch_size=1000)
    return len(comuni), len(services), len(created), cpts[1].pk


def timed(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries = len(captured.captured_queries)
    return times, queries


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main():
    database = setup()
    comuni, services, sheets, cpt = build()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.pages import machine, readme_section

    admin = get_user_model().objects.create_superuser("bench-regione", password="x")  # noqa: S106 - a throwaway bench user
    client = Client()
    client.force_login(admin)
    pages = [("Dashboard, the whole Region", "/admin/rilevazione-03/cruscotto/"),
             ("Dashboard, one province (TO)", "/admin/rilevazione-03/cruscotto/?provincia=TO"),
             ("Dashboard, one CPT", f"/admin/rilevazione-03/cruscotto/?cpt={cpt}"),
             ("CSV export of the places block, the whole Region", "/admin/rilevazione-03/cruscotto/?blocco=posti&esporta=csv"),
             ("Open data per CPT (public CSV)", "/rilevazione-0-3/dati-aperti/2027.csv")]
    result = {"at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "database": database,
              "comuni": comuni, "services": services, "sheets": sheets, "runs": RUNS, "pages": {}}
    for label, url in pages:
        times, queries = timed(client, url)
        result["pages"][label] = {"median_ms": round(statistics.median(times), 1), "p95_ms": round(p95(times), 1), "queries": queries}
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / f"survey-{database.lower()}.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"Run of {result['at']} on {result['machine']}; database {database}.",
             f"{comuni} Comuni in 8 provinces and 40 CPT, {services} services, {sheets} sheets in every state; {RUNS} requests each.", "",
             "| page | median | p95 | SQL queries |", "|---|---:|---:|---:|"]
    for label, figures in result["pages"].items():
        lines.append(f"| {label} | {figures['median_ms']:.1f} ms | {figures['p95_ms']:.1f} ms | {figures['queries']} |")
    readme_section(f"survey-{database.lower()}", "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

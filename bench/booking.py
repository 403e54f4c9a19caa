#!/usr/bin/env python
"""Booking benchmark: 200 signed-in citizens arriving over 10 seconds, each trying once to book one of the same 20
slots of one place, through gunicorn on PostgreSQL. Reports overbooked slots (must be 0), bookings, refusals shown
as "Posto non più disponibile" with the next free times, and the latency of the requests; writes the table between
the booking markers in bench/README.md.

Usage: make bench-booking   (PostgreSQL on 127.0.0.1:5432, Redis on 6379; installs locust in var/bench-venv)
"""

import csv
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages import ENV as PAGE_ENV  # noqa: E402
from bench.pages import PY, ROOT, machine, run, wait_until_up  # noqa: E402

DB = "sportello_bench_booking"
PORT = int(os.environ.get("BENCH_PORT", "8102"))
USERS = int(os.environ.get("BENCH_USERS", "200"))
SPAWN_RATE = os.environ.get("BENCH_SPAWN_RATE", "20")  # 200 users over 10 seconds
WORKERS = os.environ.get("BENCH_WORKERS", "4")
LOCUST = ROOT / "var" / "bench-venv" / "bin" / "locust"
SETUP_FILE = ROOT / "var" / "bench-booking.json"
HOLD_NAME = "scegli l'orario (tiene il posto)"  # as bench/locust_booking.py names the request
ENV = {
    **PAGE_ENV,
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB}"),
    "REDIS_URL": "redis://127.0.0.1:6379/12",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "FILE_ENCRYPTION_KEYS": "7jS0Lr8Y6Hn2lWm3b4QeJf9vX1cKzU5pAaTgRdNwEyo=",
    "PRIVATE_MEDIA_ROOT": str(ROOT / "var" / "bench-private"),
    # 200 citizens from one loopback address: the per-address limit on held places (3, issue 24) would refuse them
    # before the race this benchmark measures.
    "APPOINTMENT_HOLDS_PER_CLIENT": "1000",
}

SETUP_SCRIPT = """
import json
from datetime import timedelta
from importlib import import_module
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from services.accounts.models import Office
from services.appointments.models import AppointmentType, Slot
from services.catalogue.models import Service

office = Office.objects.get(slug="urp")
kind = AppointmentType.objects.create(service=Service.objects.get(slug="rimborso-credito-mensa"), title="Prova di carico",
                                      duration=10, places=1, min_notice_hours=0, horizon_days=60)
kind.offices.set([office])  # the slots follow from the URP's hours
slots = list(Slot.objects.filter(type=kind, office=office, starts_at__gt=timezone.now() + timedelta(hours=1))
             .order_by("starts_at").values_list("pk", flat=True)[:20])
Store = import_module(settings.SESSION_ENGINE).SessionStore
User = get_user_model()
sessions = []
for n in range({users}):
    user, _ = User.objects.get_or_create(username=f"bench{{n}}", defaults={{
        "first_name": "Bench", "last_name": str(n), "fiscal_code": f"BENCH{{n:011d}}", "email": f"bench{{n}}@example.it",
        "email_verified": True}})
    s = Store()
    s["_auth_user_id"] = str(user.pk)
    s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    s["_auth_user_hash"] = user.get_session_auth_hash()
    s["auth_method"] = "spid"
    s["auth_level"] = 2
    s.create()
    sessions.append([s.session_key, user.email])
json.dump({{"sessions": sessions, "slots": slots, "type": kind.pk, "office": office.pk, "service": "rimborso-credito-mensa"}},
          open("{out}", "w"))
print(len(slots), "slots")
"""

CHECK_SCRIPT = """
from django.db.models import Count, F, Q
from services.appointments.models import Appointment, Slot
slots = Slot.objects.filter(type__title="Prova di carico")
holding = slots.annotate(n=Count("appointments", filter=Q(appointments__status__in=["confermato", "da_confermare"])))
print(holding.filter(n__gt=F("places")).count(), slots.filter(booked__gt=F("places")).count(),
      Appointment.objects.filter(slot__type__title="Prova di carico", status="confermato").count())
"""


def prepare():
    if "BENCH_DATABASE_URL" not in os.environ:
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", env=ENV)
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {DB}", env=ENV)
    for n in ("12", "13"):
        subprocess.run(["redis-cli", "-n", n, "flushdb"], check=False, stdout=subprocess.DEVNULL)
    run(PY, "manage.py", "migrate", "--noinput", env=ENV)
    run(PY, "manage.py", "load_demo_content", env=ENV)
    run(PY, "manage.py", "collectstatic", "--noinput", env=ENV)
    run(PY, "manage.py", "shell", "-c", SETUP_SCRIPT.format(users=USERS, out=SETUP_FILE), env=ENV)
    if not LOCUST.exists():
        raise SystemExit("locust is missing: run `make bench-booking`, which installs it in var/bench-venv")


def main():
    prepare()
    proc = subprocess.Popen([PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{PORT}", "-w", WORKERS,
                             "--log-level", "warning", "--backlog", "2048"], cwd=ROOT, env=ENV)
    wait_until_up(proc, PORT)
    prefix = ROOT / "var" / "bench-booking"
    try:
        subprocess.run([str(LOCUST), "-f", str(ROOT / "bench" / "locust_booking.py"), "--headless", "-u", str(USERS), "-r", SPAWN_RATE,
                        "-t", os.environ.get("BENCH_DURATION", "40s"), "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary", "--stop-timeout", "5"],
                       cwd=ROOT, env={**os.environ, "BENCH_BOOKING": str(SETUP_FILE)}, check=False)
    finally:
        proc.terminate()
        proc.wait()
    out = subprocess.run([PY, "manage.py", "shell", "-c", CHECK_SCRIPT], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True)
    overbooked, over_counter, booked = (int(x) for x in out.stdout.strip().splitlines()[-1].split())
    report(list(csv.DictReader(open(f"{prefix}_stats.csv"))), overbooked + over_counter, booked)


def report(rows, overbooked, booked):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    refused = {r["Name"]: int(r["Request Count"]) for r in rows if r["Type"] == "REFUSED"}
    lines = [
        f"Run of {when} on {machine()}.",
        f"gunicorn {WORKERS} sync workers on PostgreSQL; locust {USERS} signed-in citizens arriving over "
        f"{USERS // int(SPAWN_RATE)} s, each going once through the steps (think time {os.environ.get('BENCH_WAIT', '0.5,1.5')} s "
        "before each answer) to book one of the same 20 slots of 1 place; load generator on the same cores.",
        "",
        "| request | count | failures | p50 | p95 | p99 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["Type"] == "POST":
            lines.append(f"| {r['Name']} | {int(r['Request Count']):,} | {r['Failure Count']} | {r['50%']} ms | {r['95%']} ms | {r['99%']} ms |")
    at_hold = refused.get(HOLD_NAME, 0)
    lines += ["", f"**Overbooked slots: {overbooked}.** Appointments booked: {booked} (of 20 places). Refusals shown as "
              f"'Posto non più disponibile' with the next free times: {at_hold} when choosing the time (the place held by "
              f"someone else), {refused.get('prenota', 0)} at the booking itself."]
    table = "\n".join(lines)
    print(table)
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    if "<!-- booking:start -->" not in text:
        text += "\n## Booking (make bench-booking)\n\n<!-- booking:start -->\n<!-- booking:end -->\n"
    text = re.sub(r"(<!-- booking:start -->\n).*?(\n?<!-- booking:end -->)", lambda m: m.group(1) + table + "\n" + m.group(2).lstrip("\n"),
                  text, flags=re.S)
    readme.write_text(text)


if __name__ == "__main__":
    main()

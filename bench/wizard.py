#!/usr/bin/env python
"""Wizard benchmark: 200 concurrent citizens saving steps and submitting SERV06_UTENTI on PostgreSQL + Redis.

Usage: make bench-wizard   (PostgreSQL on 127.0.0.1:5432, Redis on 6379; installs locust in var/bench-venv)
gunicorn serves production settings over loopback; Celery tasks (receipts) go to the Redis broker
and are not executed during the run. Writes the table between the wizard markers in bench/README.md.
"""

import csv
import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages import ENV as PAGE_ENV  # noqa: E402
from bench.pages import PY, ROOT, machine, run, wait_until_up  # noqa: E402

DB = "sportello_bench_wizard"
PORT = int(os.environ.get("BENCH_PORT", "8101"))
USERS = int(os.environ.get("BENCH_USERS", "200"))
DURATION = os.environ.get("BENCH_DURATION", "70s")  # the first USERS/SPAWN_RATE seconds ramp up and are not counted
SPAWN_RATE = os.environ.get("BENCH_SPAWN_RATE", "20")
WORKERS = os.environ.get("BENCH_WORKERS", "4")
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
THREADS = os.environ.get("BENCH_THREADS", "1")
LOCUST = ROOT / "var" / "bench-venv" / "bin" / "locust"
ENV = {
    **PAGE_ENV,
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB}"),
    "REDIS_URL": "redis://127.0.0.1:6379/10",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/11",
    "FILE_ENCRYPTION_KEYS": "7jS0Lr8Y6Hn2lWm3b4QeJf9vX1cKzU5pAaTgRdNwEyo=",
    "PRIVATE_MEDIA_ROOT": str(ROOT / "var" / "bench-private"),
}

SESSIONS_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from django.conf import settings
from importlib import import_module
Store = import_module(settings.SESSION_ENGINE).SessionStore
User = get_user_model()
keys = []
for n in range({users}):
    user, _ = User.objects.get_or_create(username=f"bench{{n}}", defaults={{"first_name": "Bench", "last_name": str(n), "fiscal_code": f"BENCH{{n:011d}}"}})
    s = Store()
    s["_auth_user_id"] = str(user.pk)
    s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    s["_auth_user_hash"] = user.get_session_auth_hash()
    s["auth_method"] = "spid"
    s["auth_level"] = 2
    s.create()
    keys.append(s.session_key)
json.dump(keys, open("{out}", "w"))
"""


# The procedure's window comes from its service page, as in production: open it around the run.
OPEN_WINDOW_SCRIPT = """
from datetime import timedelta
from django.utils import timezone
from home.models import ServicePage
page = ServicePage.objects.get(slug="registrazione-utenti-servizi-0-6")
page.online_opens_at, page.online_closes_at = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
page.save_revision().publish()
"""


def prepare():
    if "BENCH_DATABASE_URL" not in os.environ:
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", env=ENV)
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {DB}", env=ENV)
    for n in ("10", "11"):
        subprocess.run(["redis-cli", "-n", n, "flushdb"], check=False, stdout=subprocess.DEVNULL)
    run(PY, "manage.py", "migrate", "--noinput", env=ENV)
    run(PY, "manage.py", "load_demo_content", env=ENV)
    run(PY, "manage.py", "collectstatic", "--noinput", env=ENV)
    out = ROOT / "var" / "bench-sessions.json"
    run(PY, "manage.py", "shell", "-c", SESSIONS_SCRIPT.format(users=USERS, out=out), env=ENV)
    run(PY, "manage.py", "shell", "-c", OPEN_WINDOW_SCRIPT, env=ENV)
    if not LOCUST.exists():
        raise SystemExit("locust is missing: run `make bench-wizard`, which installs it in var/bench-venv")


def serve():
    proc = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{PORT}", "-w", WORKERS, "-k", WORKER_CLASS, "--threads", THREADS,
         "--log-level", "warning", "--backlog", "2048"],
        cwd=ROOT, env=ENV,
    )
    return wait_until_up(proc, PORT)


def count_submissions():
    script = "from services.istanze.models import Istanza; print(Istanza.objects.filter(number__isnull=False).count())"
    out = subprocess.run([PY, "manage.py", "shell", "-c", script], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def main():
    prepare()
    proc = serve()
    prefix = ROOT / "var" / "bench-wizard"
    try:
        started = time.monotonic()
        subprocess.run(
            [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(USERS), "-r", SPAWN_RATE,
             "--reset-stats", "-t", DURATION, "--host", f"http://127.0.0.1:{PORT}", "--csv", str(prefix), "--only-summary", "--stop-timeout", "5"],
            cwd=ROOT, env={**os.environ, "BENCH_SESSIONS": str(ROOT / "var" / "bench-sessions.json")}, check=False,
        )
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait()
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    submissions = count_submissions()
    report(rows, submissions, elapsed)


def report(rows, submissions, elapsed):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    invia = next(r for r in rows if r["Name"] == "invia")
    lines = [
        f"Run of {when} on {machine()}.",
        f"gunicorn {WORKERS} {WORKER_CLASS} workers ({THREADS} thread(s) each); locust {USERS} users (FastHttpUser, think time {os.environ.get('BENCH_WAIT', '0.5,1.5')} s "
        f"between requests), {DURATION} of which the {int(USERS) // int(SPAWN_RATE)} s ramp-up ({SPAWN_RATE} users/s) is not "
        "counted (locust --reset-stats); load generator on the same 2 cores.",
        "",
        "| request | count | failures | p50 | p95 | p99 | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['Name']} | {int(r['Request Count']):,} | {r['Failure Count']} | {r['50%']} ms | {r['95%']} ms | "
                     f"{r['99%']} ms | {float(r['Requests/s']):,.1f} |")
    ok = int(invia["Request Count"]) - int(invia["Failure Count"])
    rate = float(invia["Requests/s"]) * ok / max(int(invia["Request Count"]), 1)
    lines += ["", f"Submissions counted after the ramp-up: {ok:,}, **{rate:.1f} per second**; numbered applications "
              f"in the database after the whole run (ramp-up included): {submissions:,}."]
    table = "\n".join(lines)
    print(table)
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    text = re.sub(r"(<!-- wizard:start -->\n).*?(\n<!-- wizard:end -->)", lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
    readme.write_text(text)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "wizard.json").write_text(json.dumps({"when": when, "machine": machine(), "rows": rows, "submissions": submissions}, indent=2))


if __name__ == "__main__":
    main()

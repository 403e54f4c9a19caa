#!/usr/bin/env python
"""Messages benchmark: a broadcast to 10,000 families through the outbox, delivered by real Celery workers on
Redis to the local channels — App IO over real HTTP to the sandbox (served by gunicorn), e-mail and SMS to
their file stand-ins — on PostgreSQL. Reports dispatches delivered per second, end to end, from one run.

Usage: make bench-messages   (PostgreSQL on 127.0.0.1:5432, Redis on 6379). Writes the table between the
messages markers in bench/README.md.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages import ENV as PAGE_ENV  # noqa: E402
from bench.pages import PY, ROOT, machine, run, wait_until_up  # noqa: E402

DB = "sportello_bench_messages"
FAMILIES = int(os.environ.get("BENCH_FAMILIES", "10000"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))  # Celery worker processes (prefork concurrency)
IO_PORT = int(os.environ.get("BENCH_IO_PORT", "8101"))
ENV = {**PAGE_ENV, "DJANGO_SETTINGS_MODULE": "config.settings.bench_messages",
       "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}", "REDIS_URL": "redis://127.0.0.1:6379/13",
       "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14", "IO_BASE_URL": f"http://127.0.0.1:{IO_PORT}/io-sandbox",
       "FILE_ENCRYPTION_KEYS": "7jS0Lr8Y6Hn2lWm3b4QeJf9vX1cKzU5pAaTgRdNwEyo=", "CONN_MAX_AGE": "600"}

SETUP = """
from datetime import date
from decimal import Decimal
from django.contrib.auth import get_user_model
from services.meals.models import Child, FeeBand, Wallet
from services.schools.models import School
User = get_user_model()
school = School.objects.order_by("pk").first()
band = FeeBand.objects.create(code="BENCH", label="Bench", isee_max=None, price=Decimal("4.00"), valid_from=date(2020, 9, 1))
users = User.objects.bulk_create([User(
    username=f"bench-m{{n}}", fiscal_code=f"BNCMSG{{n:010d}}", email=f"famiglia{{n}}@example.it",
    mobile_phone=f"+39333{{n:07d}}", mobile_verified=n % 4 == 0,
    notify_channels=["io", "email", "sms"] if n % 4 == 0 else ["io", "email"]) for n in range({families})], batch_size=2000)
wallets = Wallet.objects.bulk_create([Wallet(holder=u, payment_code=f"M{{n:09d}}") for n, u in enumerate(users)], batch_size=2000)
Child.objects.bulk_create([Child(wallet=w, first_name="Bimbo", last_name=str(n), fiscal_code=f"CHIMSG{{n:010d}}", school=school,
                                 fee_band=band, service_from=date(2020, 9, 1)) for n, w in enumerate(wallets)], batch_size=2000)
"""

SEND = """
import uuid
from services.notifications.actions import broadcast_create
broadcast, _ = broadcast_create(by=None, token=uuid.uuid4(), subject="Prova di carico", audience="meals",
                                body="Messaggio di prova del benchmark: nessuna azione richiesta alle famiglie.",
                                channels=("io", "email", "sms"))
print(broadcast.pk)
"""

# Polled with psql, not with a Django process: starting Django every two seconds would take a core from the run.
COUNT = """
select json_build_object(
  'statuses', (select coalesce(json_object_agg(status, n), '{}') from (select status, count(*) n from notifications_dispatch group by status) s),
  'channels', (select coalesce(json_object_agg(channel, n), '{}') from (select channel, count(*) n from notifications_dispatch
               where status in ('sent', 'delivered') group by channel) c),
  'messages', (select count(*) from notifications_message),
  'last', (select extract(epoch from max(updated_at)) from notifications_dispatch where status in ('sent', 'delivered')))
"""


def counts_now() -> dict:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-tAc", COUNT], capture_output=True, text=True,
                         check=True).stdout.strip()
    return json.loads(out)


def shell(code: str) -> str:
    return subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=ENV, check=True, capture_output=True,
                          text=True).stdout.strip().splitlines()[-1]


def start_io_sandbox():
    # A partner's server of its own: the sandbox's API alone, without the site's middleware (config/settings/bench_io_sandbox.py).
    proc = subprocess.Popen([PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{IO_PORT}", "-w", "1",
                             "-k", "gthread", "--threads", "8", "--log-level", "warning"], cwd=ROOT,
                            env={**ENV, "DJANGO_SETTINGS_MODULE": "config.settings.bench_io_sandbox"})
    return wait_until_up(proc, IO_PORT)


def main():
    for folder in ("bench-mail", "bench-sms"):
        shutil.rmtree(ROOT / "var" / folder, ignore_errors=True)
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", env=ENV)
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {DB}", env=ENV)
    run("redis-cli", "-n", "13", "flushdb", env=ENV)
    run("redis-cli", "-n", "14", "flushdb", env=ENV)
    run(PY, "manage.py", "migrate", "--noinput", env=ENV)
    run(PY, "manage.py", "load_demo_content", env=ENV)
    shell(SETUP.format(families=FAMILIES))
    sandbox = start_io_sandbox()
    # The notifications' tasks go to the "messages" queue (CELERY_TASK_ROUTES): the worker the stack runs for it.
    worker = subprocess.Popen([PY, "-m", "celery", "-A", "config", "worker", "-Q", "messages", "-c", str(WORKERS), "--loglevel", "WARNING",
                               "--without-gossip", "--without-mingle", "-P", "prefork"], cwd=ROOT, env=ENV)
    try:
        time.sleep(4)  # the worker connects to the broker
        started = time.time()
        shell(SEND)
        pending = None
        deadline = started + 900
        while time.time() < deadline:
            time.sleep(1)
            counts = counts_now()
            pending = sum(counts["statuses"].get(s, 0) for s in ("queued", "sending", "retry"))
            if counts["messages"] >= FAMILIES and pending == 0:
                break
            if counts["messages"] == 0 and time.time() - started > 60:
                raise SystemExit("no message written in a minute: is a worker consuming the messages queue?")
        finished = time.time()
    finally:
        worker.terminate()
        sandbox.terminate()
        worker.wait(timeout=30)
        sandbox.wait(timeout=30)
    report(counts, started, finished, pending)


def report(counts, started, finished, pending):
    delivered = sum(counts["channels"].values())
    wall = finished - started
    span = (counts["last"] - started) if counts["last"] else wall
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    per_second = round(delivered / span) if span else 0
    lines = [f"Run of {when} on {machine()}.",
             f"{FAMILIES:,} families, one broadcast on App IO, e-mail and SMS; {WORKERS} Celery worker processes on Redis; "
             "the App IO sandbox's API alone in gunicorn (1 process, 8 threads, without the site's middleware) over HTTP; PostgreSQL, Redis, the workers and the sandbox "
             "on the same 2 cores.", "",
             "| measure | value |", "|---|---:|",
             f"| messages written (one per family) | {counts['messages']:,} |",
             f"| dispatches delivered (App IO / e-mail / SMS) | {delivered:,} ({counts['channels'].get('io', 0):,} / "
             f"{counts['channels'].get('email', 0):,} / {counts['channels'].get('sms', 0):,}) |",
             f"| still queued or retrying at the end | {pending:,} |",
             f"| seconds from the broadcast to the last delivery | {span:.1f} |",
             f"| **dispatches delivered per second, end to end** (goal ≥ 500) | **{per_second:,}** |"]
    table = "\n".join(lines)
    print(table)
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    if "<!-- messages:start -->" in text:
        text = re.sub(r"(<!-- messages:start -->\n).*?(\n<!-- messages:end -->)", lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
        readme.write_text(text)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "messages.json").write_text(json.dumps(
        {"when": when, "counts": counts, "seconds": span, "per_second": per_second}, indent=2))


if __name__ == "__main__":
    main()

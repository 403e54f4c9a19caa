"""Capacity through the production topology (`make bench-capacity`, issue 28): how many submissions per second the wizard
takes, and how many top-ups per second the pagoPA flow takes, with p95 under 150 ms and no error.

The stack of `make stack` (site/stack.py: nginx in front of two gunicorn nodes, a Celery worker per queue and beat, on
PostgreSQL and Redis) on its own database, Redis databases, ports and directory, so that a running `make stack` is
untouched. locust raises the number of citizens step by step (bench/locust_capacity.py, a load shape); each step
settles, then is measured on its own. The knee is the last step that keeps p95 < 150 ms over every request and no
failure. Writes the table between the capacity markers of bench/README.md.
"""

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.update({
    "STACK_DIR": str(ROOT / "var" / "capacity"), "STACK_DB": "sportello_capacity",
    "STACK_NGINX_PORT": "8280", "STACK_NODE_PORT": "8301",
    "STACK_REDIS_URL": "redis://127.0.0.1:6379/12", "STACK_BROKER_URL": "redis://127.0.0.1:6379/13",
})
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

import stack  # noqa: E402 - site/stack.py

from bench.pages import machine, readme_section  # noqa: E402

LOCUST = ROOT / "var" / "bench-venv" / "bin" / "locust"
USERS = int(os.environ.get("CAPACITY_USERS", "200"))
P95_LIMIT = 150  # ms
FLOWS = {
    "wizard": ("invia", "SERV06_UTENTI submissions", os.environ.get("CAPACITY_WIZARD_STEPS", "20,40,60,80,100,120")),
    "topup": ("esito (credito accreditato)", "top-ups credited", os.environ.get("CAPACITY_TOPUP_STEPS", "10,20,30,40,50,60")),
}

# Citizens with a session each, a valid codice fiscale (pagoPA's debt position carries it) and nothing else: the
# wizard files SERV06_UTENTI for them, the top-up opens their meal account on the first payment.
PREPARE = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import get_user_model
from stdnum.it import codicefiscale
Store = import_module(settings.SESSION_ENGINE).SessionStore
User = get_user_model()
letters = "BCDFGHLMNPRSTVZ"
keys = []
for n in range({users}):
    stem = "CAP" + letters[n // 225 % 15] + letters[n // 15 % 15] + letters[n % 15] + "80A01H501"
    cf = stem + codicefiscale.calc_check_digit(stem)
    user, _ = User.objects.get_or_create(username=cf, defaults={{"first_name": "Carico", "last_name": f"Prova {{n}}",
                                                                 "fiscal_code": cf, "email": f"carico{{n}}@example.it"}})
    s = Store()
    s.update({{"_auth_user_id": str(user.pk), "_auth_user_backend": settings.AUTHENTICATION_BACKENDS[0],
               "_auth_user_hash": user.get_session_auth_hash(), "auth_method": "spid", "auth_level": 2}})
    s.create()
    keys.append(s.session_key)
json.dump(keys, open("{out}", "w"))

from datetime import timedelta
from django.utils import timezone
from home.models import ServicePage
from services.payments.suspension import PaymentSettings
page = ServicePage.objects.get(slug="registrazione-utenti-servizi-0-6")
page.online_opens_at, page.online_closes_at = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
page.save_revision().publish()
conf = PaymentSettings.load()
conf.suspended_from = conf.suspended_until = None
conf.save()
"""
COUNTS = """
from services.istanze.models import Istanza
from services.meals.models import LedgerEntry
from services.core.invariants import run
broken = [name for name, problems in run().items() if problems]
print(Istanza.objects.filter(number__isnull=False).count(), LedgerEntry.objects.filter(amount__gt=0).count(), len(broken))
"""


def prepare() -> Path:
    if not LOCUST.exists():
        raise SystemExit("locust is missing: run `make bench-capacity`, which installs it in var/bench-venv")
    import psycopg

    with psycopg.connect(f"{stack.PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{stack.DB}" WITH (FORCE)')
    for db in ("12", "13"):
        subprocess.run(["redis-cli", "-n", db, "flushdb"], check=False, stdout=subprocess.DEVNULL)
    try:
        stack.up(2)
        stack.ready()
        sessions = stack.STACK / "sessions.json"
        stack.run(stack.PY, "manage.py", "shell", "-c", PREPARE.format(users=USERS, out=sessions), stdout=subprocess.DEVNULL)
    except BaseException:  # a stack that never came up is stopped: no nginx or node left holding the ports
        stack.down()
        raise
    return sessions


def load(flow: str, sessions: Path) -> list[dict]:
    out = stack.STACK / f"steps-{flow}.jsonl"
    out.unlink(missing_ok=True)
    steps = FLOWS[flow][2]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_SESSIONS": str(sessions), "CAPACITY_FLOW": flow,
           "CAPACITY_STEPS": steps, "CAPACITY_OUT": str(out)}
    subprocess.run([str(LOCUST), "-f", str(ROOT / "bench" / "locust_capacity.py"), "--headless", "--host", stack.SITE,
                    "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING"], cwd=ROOT, env=env, check=False)
    return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []


def counts() -> tuple[int, int, int]:
    out = subprocess.run([stack.PY, "manage.py", "shell", "-c", COUNTS], cwd=ROOT, env=stack.ENV, capture_output=True,
                         text=True, check=True).stdout.split()
    return int(out[-3]), int(out[-2]), int(out[-1])


def table(flow: str, steps: list[dict]) -> list[str]:
    done_name, what, _ = FLOWS[flow]
    names = sorted({n for s in steps for n in s["rows"]})
    lines = [f"| citizens | {what}/s | p95, every request | slowest step (p95) | failures |", "|---:|---:|---:|---|---:|"]
    knee = None
    for s in steps:
        done = s["rows"].get(done_name, {"count": 0, "failures": 0})
        rate = (done["count"] - done["failures"]) / s["seconds"]
        slowest = max(names, key=lambda n: s["rows"].get(n, {}).get("p95") or 0)
        ok = s["p95"] < P95_LIMIT and s["failures"] == 0
        if ok:
            knee = (s["users"], rate, s["p95"])
        lines.append(f"| {s['users']} | {rate:.1f} | {s['p95']:.0f} ms | {slowest} ({s['rows'][slowest]['p95']:.0f} ms) | "
                     f"{s['failures']}{' — ' + '; '.join(s['errors'])[:120] if s['errors'] else ''} |")
    if knee:
        lines += ["", f"Knee: **{knee[1]:.1f} {what} per second** at {knee[0]} citizens (p95 {knee[2]:.0f} ms, no failure); "
                  f"{knee[1] / (os.cpu_count() or 1):.1f} per core."]
    else:
        lines += ["", f"No step kept p95 under {P95_LIMIT} ms without failures."]
    return lines


def main():
    sessions = prepare()
    results = {}
    try:
        for flow in os.environ.get("CAPACITY_FLOWS", "wizard,topup").split(","):
            started = time.monotonic()
            results[flow] = load(flow, sessions)
            print(f"{flow}: {len(results[flow])} steps in {time.monotonic() - started:.0f} s")
        time.sleep(10)  # the receipts' and credits' tasks drain
        submitted, credits, broken = counts()
    finally:
        stack.down()
    lines = [f"Run from a clean clone (`make bench-capacity`) of {datetime.now(UTC):%Y-%m-%d %H:%M UTC} on {machine()}.",
             "`make stack`'s topology (nginx, 2 gunicorn nodes of 2 gthread workers × 4 threads, a Celery worker per queue "
             "and beat, PostgreSQL, Redis) with locust on the same cores; think time 0.5–1.5 s between a citizen's "
             f"requests; each step settles {os.environ.get('CAPACITY_SETTLE', '8')} s, then is measured for "
             f"{os.environ.get('CAPACITY_MEASURE', '22')} s.", ""]
    for flow, steps in results.items():
        lines += [f"**{FLOWS[flow][1][0].upper()}{FLOWS[flow][1][1:]}**", "", *table(flow, steps), ""]
    lines += [f"After the run: {submitted:,} applications numbered, {credits:,} credits in the ledger, "
              f"{broken} invariant(s) broken."]
    text = "\n".join(lines)
    print(text)
    readme_section("capacity", text)


if __name__ == "__main__":
    main()

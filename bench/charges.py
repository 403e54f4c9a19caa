#!/usr/bin/env python
"""Daily charges for 200,000 pupils (PostgreSQL): the batch end to end, then the re-run of the same day.

Usage: make bench-charges   (PostgreSQL on 127.0.0.1:5432). Writes the table between the charges
markers in bench/README.md.
"""

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.ledger import ENV as LEDGER_ENV  # noqa: E402
from bench.pages import PY, ROOT, machine, run  # noqa: E402

DB = "sportello_bench_charges"
PUPILS = int(os.environ.get("BENCH_PUPILS", "200000"))
ENV = {**LEDGER_ENV, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}"}
DAY = "2026-11-25"  # a Wednesday in term

SETUP = """
import random
from datetime import date
from decimal import Decimal
from django.contrib.auth import get_user_model
from services.meals.models import Child, FeeBand, MealChange, Wallet
from services.schools.models import School
User = get_user_model()
pupils = {pupils}
families = pupils * 2 // 3
users = User.objects.bulk_create([User(username=f"f{{n}}", fiscal_code=f"FAM{{n:013d}}") for n in range(families)], batch_size=10000)
wallets = Wallet.objects.bulk_create([Wallet(holder=u, payment_code=f"W{{n:09d}}") for n, u in enumerate(users)], batch_size=10000)
bands = [FeeBand.objects.create(code=c, label=c, price=Decimal(p), valid_from=date(2026, 9, 1)) for c, p in (("A", "2.10"), ("B", "3.40"), ("C", "4.80"))]
schools = list(School.objects.all())
rng = random.Random(1)
children = Child.objects.bulk_create([
    Child(wallet=wallets[n % families], first_name=f"Bimbo{{n}}", last_name="Prova", fiscal_code=f"CHI{{n:013d}}",
          school=schools[n % len(schools)], fee_band=bands[n % 3], service_from=date(2026, 9, 15))
    for n in range(pupils)], batch_size=10000)
MealChange.objects.bulk_create([MealChange(child=c, day=date(2026, 11, 25), kind=rng.choice(["cancelled", "plain", "absent"]))
                                for c in rng.sample(children, pupils // 20)], batch_size=10000)
"""

TIMED = """
import json, time
from datetime import date
from services.meals.charges import charge_day
from services.meals.actions import ledger_mismatches
t = time.perf_counter(); first = charge_day(date.fromisoformat("{day}")); t1 = time.perf_counter() - t
t = time.perf_counter(); second = charge_day(date.fromisoformat("{day}")); t2 = time.perf_counter() - t
print(json.dumps({{"first": [first["charged"], str(first["amount"]), round(t1, 2)], "rerun": [second["charged"], round(t2, 2)],
                  "balanced": ledger_mismatches() == []}}))
"""


def main():
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", env=ENV)
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {DB}", env=ENV)
    run(PY, "manage.py", "migrate", "--noinput", env=ENV)
    run(PY, "manage.py", "load_demo_content", env=ENV)
    run(PY, "manage.py", "shell", "-c", SETUP.format(pupils=PUPILS), env=ENV)
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-qc", "VACUUM ANALYZE", env=ENV)
    out = subprocess.run([PY, "manage.py", "shell", "-c", TIMED.format(day=DAY)], cwd=ROOT, env=ENV, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    report(result)


def report(result):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    charged, amount, seconds = result["first"]
    lines = [f"Run of {when} on {machine()}.", f"{PUPILS:,} pupils in {PUPILS * 2 // 3:,} families, 24 schools, 3 fee bands; "
             f"5 % of the pupils cancelled, ate a plain meal or were absent on {DAY}.", "",
             "| run | meals charged | amount | seconds | target |", "|---|---:|---:|---:|---|",
             f"| first run of the day | {charged:,} | € {amount} | **{seconds}** | ≤ 30 s |",
             f"| re-run of the same day | {result['rerun'][0]:,} | — | {result['rerun'][1]} | changes nothing |", "",
             f"After the runs every balance equals the sum of its entries: {'yes' if result['balanced'] else 'NO'}."]
    table = "\n".join(lines)
    print(table)
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    text = re.sub(r"(<!-- charges:start -->\n).*?(\n<!-- charges:end -->)", lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
    readme.write_text(text)
    (ROOT / "bench" / "results" / "charges.json").write_text(json.dumps({"when": when, **result}, indent=2))


if __name__ == "__main__":
    main()

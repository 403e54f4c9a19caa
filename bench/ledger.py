#!/usr/bin/env python
"""Ledger benchmark: postings per second across many wallets and on one hot wallet (PostgreSQL).

Usage: make bench-ledger   (PostgreSQL on 127.0.0.1:5432). Each posting is `meals.actions.ledger_post`:
row lock on the wallet, idempotency check, balance update, entry insert, commit. Writes the table
between the ledger markers in bench/README.md.
"""

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
from bench.pages import PY, ROOT, machine, run  # noqa: E402

DB = "sportello_bench_ledger"
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "4"))
POSTINGS = int(os.environ.get("BENCH_POSTINGS", "2500"))  # per process
WALLETS = 1000
ENV = {**PAGE_ENV, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}", "REDIS_URL": "redis://127.0.0.1:6379/12",
       "FILE_ENCRYPTION_KEYS": "7jS0Lr8Y6Hn2lWm3b4QeJf9vX1cKzU5pAaTgRdNwEyo=", "CONN_MAX_AGE": "0"}

SETUP = """
from django.contrib.auth import get_user_model
from services.meals.models import Wallet
User = get_user_model()
users = User.objects.bulk_create([User(username=f"bench-l{{n}}", fiscal_code=f"BENCHL{{n:010d}}") for n in range({wallets})])
Wallet.objects.bulk_create([Wallet(holder=u, payment_code=f"B{{n:09d}}") for n, u in enumerate(users)])
"""


def worker(mode: str, count: int, seed: int):
    import random
    from decimal import Decimal

    import django

    django.setup()
    from services.meals.actions import ledger_post
    from services.meals.models import Wallet

    ids = list(Wallet.objects.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(seed)
    hot = ids[0]
    start = time.perf_counter()
    for n in range(count):
        wallet = hot if mode == "hot" else rng.choice(ids)
        ledger_post(wallet_id=wallet, kind="meal", amount=Decimal("-4.20"), reference=f"{mode}:{seed}:{n}", description="Pasto")
    print(json.dumps({"start": start, "end": time.perf_counter(), "count": count}))


def measure(mode: str) -> dict:
    procs = [subprocess.Popen([PY, __file__, "--worker", mode, str(POSTINGS), str(seed)], cwd=ROOT, env=ENV,
                              stdout=subprocess.PIPE, text=True) for seed in range(PROCESSES)]
    started = time.monotonic()
    outs = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    wall = time.monotonic() - started
    # the workers' own clocks exclude interpreter start-up and django.setup()
    busy = max(o["end"] - o["start"] for o in outs)
    total = sum(o["count"] for o in outs)
    return {"mode": mode, "postings": total, "seconds": round(busy, 2), "per_second": round(total / busy), "wall": round(wall, 2)}


def main():
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", env=ENV)
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {DB}", env=ENV)
    run(PY, "manage.py", "migrate", "--noinput", env=ENV)
    run(PY, "manage.py", "shell", "-c", SETUP.format(wallets=WALLETS), env=ENV)
    results = [measure("spread"), measure("hot")]
    check = subprocess.run([PY, "manage.py", "meals_check_ledger"], cwd=ROOT, env=ENV, capture_output=True, text=True)
    report(results, check.returncode == 0)


def report(results, balanced: bool):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    labels = {"spread": f"across {WALLETS:,} wallets (target ≥ 1,000/s)", "hot": "on one wallet (target ≥ 300/s)"}
    lines = [f"Run of {when} on {machine()}.", f"{PROCESSES} processes × {POSTINGS:,} postings each, PostgreSQL on the same 2 cores.", "",
             "| postings | count | seconds | per second |", "|---|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {labels[r['mode']]} | {r['postings']:,} | {r['seconds']} | **{r['per_second']:,}** |")
    lines += ["", f"After the run `meals_check_ledger`: {'every balance equals the sum of its entries' if balanced else 'MISMATCH'}."]
    table = "\n".join(lines)
    print(table)
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    text = re.sub(r"(<!-- ledger:start -->\n).*?(\n<!-- ledger:end -->)", lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
    readme.write_text(text)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "ledger.json").write_text(json.dumps({"when": when, "results": results, "balanced": balanced}, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()

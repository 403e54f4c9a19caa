#!/usr/bin/env python
"""The middleware floor: how fast the same "hello world" view answers behind Sportello's middleware, behind the list a
fresh `django-admin startproject` writes, and behind Sportello's list without each of its middleware in turn — one
gunicorn sync worker on production settings (PostgreSQL, Redis), loaded by wrk, all in one run. The profile to choose
levers from (issue 28: goal ≥ 0.8× the fresh project's hello world).

Usage: make bench-floor. Writes the table between the floor markers in bench/README.md and bench/results/floor.json."""

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages import ENV as PAGE_ENV  # noqa: E402
from bench.pages import PORT, PY, ROOT, machine, run, wait_until_up, wrk  # noqa: E402

DB = "sportello_bench_floor"
ENV = {**PAGE_ENV, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}", "REDIS_URL": "redis://127.0.0.1:6379/12"}
STARTPROJECT = [  # Django 5.2's project template
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


def ours() -> list[str]:
    out = subprocess.run([PY, "-c", "import django, json; django.setup(); from django.conf import settings; "
                                    "print(json.dumps(settings.MIDDLEWARE))"], cwd=ROOT, env=ENV, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(middleware: list[str]) -> float:
    env = {**ENV, "BENCH_MIDDLEWARE": ",".join(middleware)}
    proc = subprocess.Popen([PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{PORT}", "-w", "1",
                             "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        wait_until_up(proc, PORT)
        return wrk("/bench/hello/")["rps"]
    finally:
        proc.terminate()
        proc.wait()


def main():
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", env=ENV)
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {DB}", env=ENV)
    run(PY, "manage.py", "migrate", "--noinput", env=ENV)
    full = ours()
    fresh = measure(STARTPROJECT)
    whole = measure(full)
    rows = []
    for name in full:
        without = measure([m for m in full if m != name])
        rows.append((name, without))
    report(fresh, whole, rows, len(full))


def report(fresh: float, whole: float, rows: list, count: int):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"Run of {when} on {machine()}; one gunicorn sync worker, production settings, wrk on loopback.", "",
             f"- behind a fresh project's 7 middleware: **{fresh:,.0f}** req/s",
             f"- behind Sportello's {count}: **{whole:,.0f}** req/s = **{whole / fresh:.2f}×** (goal ≥ 0.80×)", "",
             "| without | req/s | gain on the whole list |", "|---|---:|---:|"]
    for name, rps in sorted(rows, key=lambda r: -r[1]):
        lines.append(f"| `{name}` | {rps:,.0f} | {rps / whole - 1:+.0%} |")
    table = "\n".join(lines)
    print(table)
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    text = re.sub(r"(<!-- floor:start -->\n).*?(\n<!-- floor:end -->)", lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
    readme.write_text(text)
    (ROOT / "bench" / "results" / "floor.json").write_text(json.dumps(
        {"when": when, "fresh_project": fresh, "sportello": whole, "without": dict(rows)}, indent=2))


if __name__ == "__main__":
    main()

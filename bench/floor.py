#!/usr/bin/env python
"""The middleware floor: how fast the same "hello world" view answers behind Sportello's middleware, behind the list a
fresh `django-admin startproject` writes, and behind Sportello's list without each of its middleware in turn — one
gunicorn sync worker on production settings (PostgreSQL, Redis), loaded by wrk, all in one run. The profile to choose
levers from (issue 28: goal ≥ 0.8× the fresh project's hello world).

Usage: make bench-floor. Writes the table between the floor markers in bench/README.md and bench/results/floor.json."""

import json
import os
import shutil
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.pages import ENV as PAGE_ENV  # noqa: E402
from bench.pages import PORT, PY, ROOT, machine, readme_section, run, wait_until_up, wrk  # noqa: E402

DB = "sportello_bench_floor"
ROUNDS = 5
# The server on one core and wrk on another (when there are two and taskset is here): neither takes the other's turn.
_PIN = shutil.which("taskset") and (os.cpu_count() or 1) >= 2
SERVER_CPU = ("taskset", "-c", "0") if _PIN else ()
LOAD_CPU = ("taskset", "-c", "1") if _PIN else ()
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


FRESH = ROOT / "var" / "floor-fresh"
HELLO = """
from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Hello, world!", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello)]
"""


def fresh_project() -> Path:
    """`django-admin startproject` as Django writes it, with the same hello-world view, DEBUG off."""
    shutil.rmtree(FRESH, ignore_errors=True)
    FRESH.mkdir(parents=True)
    subprocess.run([str(Path(PY).parent / "django-admin"), "startproject", "fresh", str(FRESH)], check=True)
    (FRESH / "fresh" / "urls.py").write_text(HELLO)
    settings = FRESH / "fresh" / "settings.py"
    settings.write_text(settings.read_text().replace("DEBUG = True", "DEBUG = False")
                        .replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = ['127.0.0.1', 'localhost']"))
    return FRESH


def measure(middleware: list[str] | None = None, project: Path | None = None) -> float | None:
    """Requests per second of the hello world; None when the project refuses to start without that middleware."""
    env = {**ENV, "BENCH_MIDDLEWARE": ",".join(middleware or [])}
    app = "config.wsgi:application"
    if project is not None:
        env = {**ENV, "DJANGO_SETTINGS_MODULE": "fresh.settings"}
        app = "fresh.wsgi:application"
    proc = subprocess.Popen([*SERVER_CPU, PY, "-m", "gunicorn", app, "-b", f"127.0.0.1:{PORT}", "-w", "1", "--log-level", "critical",
                             "--chdir", str(project or ROOT)], cwd=project or ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        try:
            wait_until_up(proc, PORT)
        except SystemExit:
            return None
        return wrk("/bench/hello/", pin=LOAD_CPU)["rps"]
    finally:
        proc.terminate()
        proc.wait()


def main():
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", env=ENV)
    run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {DB}", env=ENV)
    run(PY, "manage.py", "migrate", "--noinput", env=ENV)
    full = ours()
    project = fresh_project()
    # The two figures of the ratio, measured in pairs five times, one right after the other (the pair's order swapped
    # each round): one 10-second run on a shared 2-core machine moves by ±10 % and more, but both halves of a pair
    # see the same neighbours. The ratio is the median of the five pairs' ratios.
    fresh_runs, whole_runs = [], []
    for round_ in range(ROUNDS):
        if round_ % 2:
            whole_runs.append(measure(full))
            fresh_runs.append(measure(project=project))
        else:
            fresh_runs.append(measure(project=project))
            whole_runs.append(measure(full))
    fresh, whole = statistics.median(fresh_runs), statistics.median(whole_runs)
    ratio = statistics.median(w / f for f, w in zip(fresh_runs, whole_runs, strict=True))
    ours_startproject = measure(STARTPROJECT + ["allauth.account.middleware.AccountMiddleware"])
    rows = []
    for name in full:
        without = measure([m for m in full if m != name])
        rows.append((name, without))
    report(fresh, ours_startproject, whole, rows, len(full), fresh_runs, whole_runs, ratio)


def _runs(values) -> str:
    return ", ".join(f"{v:,.0f}" for v in values)


def _ratios(fresh_runs, whole_runs) -> str:
    return ", ".join(f"{w / f:.2f}" for f, w in zip(fresh_runs, whole_runs, strict=True))


def report(fresh: float, ours_startproject: float, whole: float, rows: list, count: int, fresh_runs=(), whole_runs=(),
           ratio=None):
    if ratio is None:
        ratio = whole / fresh
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    pinned = "pinned to one core, wrk to the other" if _PIN else "wrk on the same cores"
    lines = [f"Run of {when} on {machine()}; one gunicorn sync worker ({pinned}), production settings, wrk on loopback.",
             "",
             f"- a fresh `django-admin startproject` (its 7 middleware, its settings): **{fresh:,.0f}** req/s "
             f"(median of {_runs(fresh_runs)})",
             f"- Sportello's project behind those 7 (and allauth's, which it requires): {ours_startproject:,.0f} req/s "
             f"= {ours_startproject / fresh:.2f}×",
             f"- Sportello's project behind its own {count}: **{whole:,.0f}** req/s (median of {_runs(whole_runs)}); "
             f"the pairs' ratios {_ratios(fresh_runs, whole_runs)}, median **{ratio:.2f}×** (goal ≥ 0.80×)", "",
             "| without | req/s | gain on the whole list |", "|---|---:|---:|"]
    for name, rps in sorted(rows, key=lambda r: -(r[1] or 0)):
        lines.append(f"| `{name}` | {rps:,.0f} | {rps / whole - 1:+.0%} |" if rps else f"| `{name}` | — | required |")
    table = "\n".join(lines)
    print(table)
    readme_section("floor", table)
    (ROOT / "bench" / "results" / "floor.json").write_text(json.dumps(
        {"when": when, "fresh_project": fresh, "fresh_project_runs": list(fresh_runs), "sportello_runs": list(whole_runs),
         "ratio": ratio, "sportello_with_startproject_list": ours_startproject, "sportello": whole,
         "without": dict(rows)}, indent=2))


if __name__ == "__main__":
    main()

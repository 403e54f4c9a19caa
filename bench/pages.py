#!/usr/bin/env python
"""Page benchmark: gunicorn (1 worker) on PostgreSQL + Redis, loaded by wrk on loopback.

Usage: make bench-pages   (needs PostgreSQL on 127.0.0.1:5432, Redis on 6379, wrk)
Writes the table between the markers in bench/README.md and the raw figures in bench/results/.
"""

import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8100"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
DB = "sportello_bench"
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
THREADS = os.environ.get("BENCH_THREADS", "1")
SERVICE = "/servizi/educazione-e-formazione/iscrizione-oepac/"

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.bench",
    "SECRET_KEY": secrets.token_urlsafe(40),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB}"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "CONN_MAX_AGE": "600",
    "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    "SPID_KEY_FILE": str(ROOT / "var" / "saml" / "sp.key"),
    "SPID_CERT_FILE": str(ROOT / "var" / "saml" / "sp.crt"),
}
ENDPOINTS = [
    ("Django hello world", "/bench/hello/", True),
    ("Static file (CSS, WhiteNoise)", "/static/css/sportello.css", True),
    ("Home page, cached", "/", True),
    ("Service page, cached", SERVICE, True),
    ("Service page, uncached", SERVICE, False),
    ("Search «mensa»", "/cerca/?q=mensa", True),
]


def run(*args, env=ENV):
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare():
    if "BENCH_DATABASE_URL" not in os.environ:
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        run("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {DB}")
    run(PY, "manage.py", "migrate", "--noinput")
    run(PY, "manage.py", "load_demo_content")
    run(PY, "manage.py", "collectstatic", "--noinput")
    subprocess.run(["redis-cli", "-n", "9", "flushdb"], check=False, stdout=subprocess.DEVNULL)


def serve(page_cache):
    env = {**ENV, "PAGE_CACHE_ENABLED": "true" if page_cache else "false"}
    proc = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{PORT}", "-w", "1", "-k", WORKER_CLASS,
         "--threads", THREADS, "--log-level", "warning"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
    )
    return wait_until_up(proc, PORT)


def wait_until_up(proc, port):
    """The gunicorn process once it answers the hello-world URL (killed if it never does)."""
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/hello/", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def wrk(path):
    url = f"http://127.0.0.1:{PORT}{path}"
    for _ in range(3):  # warm up: caches, connections
        urllib.request.urlopen(url, timeout=5).read()
    subprocess.run(["wrk", "-t1", f"-c{CONNECTIONS}", "-d2s", url], capture_output=True, check=True)
    out = subprocess.run(["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "non_2xx": int(errors.group(1)) if errors else 0}


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GiB RAM, Python {platform.python_version()}, PostgreSQL {pg}"


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    prepare()
    results = []
    for cached in (True, False):
        proc = serve(page_cache=cached)
        try:
            for label, path, needs_cache in ENDPOINTS:
                if needs_cache == cached:
                    results.append({"label": label, "path": path, **wrk(path)})
        finally:
            proc.terminate()
            proc.wait()
    order = [e[0] for e in ENDPOINTS]
    results.sort(key=lambda r: order.index(r["label"]))
    hello = results[0]["rps"]
    for r in results:
        r["vs_hello"] = r["rps"] / hello
    report(results)


def report(results):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"Run of {when} on {machine()}.",
        f"gunicorn 1 worker ({WORKER_CLASS}, {THREADS} thread(s)), wrk 1 thread, {CONNECTIONS} connections, {DURATION} per endpoint.",
        "",
        "| endpoint | req/s | p50 | p99 | vs hello world | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['label']} | {r['rps']:,.0f} | {r['p50']} | {r['p99']} | {r['vs_hello']:.0%} | {r['non_2xx']} |")
    table = "\n".join(lines)
    print(table)
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    text = re.sub(r"(<!-- pages:start -->\n).*?(\n<!-- pages:end -->)", lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
    readme.write_text(text)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps({"when": when, "machine": machine(), "results": results}, indent=2))


if __name__ == "__main__":
    main()

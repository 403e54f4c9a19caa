#!/usr/bin/env python
"""Lighthouse mobile (its default: a mid-range phone on a throttled 4G network, simulated) on the main
public pages, served as `make run` serves them: demo settings, collectstatic with WhiteNoise's
compressed manifest, gunicorn in one process with threads, SQLite with the demo content.

Usage: make bench-lighthouse   (installs Lighthouse with npm into var/lighthouse; uses Debian's Chromium)
Writes the table between the markers in bench/README.md and the reports' scores in bench/results/.
Each page runs three times; the table gives the median run by performance.
"""

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = int(os.environ.get("BENCH_LIGHTHOUSE_PORT", "8200"))
LIGHTHOUSE_VERSION = "12.8.2"
TOOL = ROOT / "var" / "lighthouse"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
PAGES = [
    ("Home", "/"),
    ("Servizi", "/servizi/"),
    ("Service page (Iscrizione alla refezione scolastica)", "/servizi/educazione-e-formazione/iscrizione-refezione-scolastica/"),
    ("Novità", "/novita/"),
    ("Search «mensa»", "/cerca/?q=mensa"),
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def lighthouse_bin() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOL.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOL), "--no-audit", "--no-fund", "--silent", f"lighthouse@{LIGHTHOUSE_VERSION}"],
                       check=True)
    return binary


def serve(workdir: Path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.demo",
           "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}", "STATIC_ROOT": str(ROOT / "var" / "static"),
           "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{PORT}"}
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    for command in (["migrate", "--noinput"], ["load_demo_content"], ["collectstatic", "--noinput"]):
        subprocess.run([PY, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    proc = subprocess.Popen([PY, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{PORT}", "--workers", "1",
                             "--worker-class", "gthread", "--threads", "8", "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the demo server did not start")


def audit(binary: Path, path: str, out: Path) -> dict | None:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run([str(binary), f"http://127.0.0.1:{PORT}{path}", "--quiet", "--output=json", f"--output-path={out}",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu", f"--only-categories={','.join(CATEGORIES)}"],
                   env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not out.exists():
        return None
    report = json.loads(out.read_text())
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    if any(s is None for s in scores.values()):
        return None  # a trace Lighthouse could not record: run again
    audits = report["audits"]
    return {**{c: round(s * 100) for c, s in scores.items()},
            "fcp": audits["first-contentful-paint"]["displayValue"], "lcp": audits["largest-contentful-paint"]["displayValue"],
            "tbt": audits["total-blocking-time"]["displayValue"], "cls": audits["cumulative-layout-shift"]["displayValue"]}


def main():
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is missing at {CHROMIUM}: make system-deps")
    if not shutil.which("npm"):
        raise SystemExit("npm is missing")
    binary = lighthouse_bin()
    results = []
    with tempfile.TemporaryDirectory(prefix="sportello-lighthouse-") as tmp:
        workdir = Path(tmp)
        proc = serve(workdir)
        try:
            for label, path in PAGES:
                runs = []
                for n in range(RUNS * 2):  # a failed trace is retried, up to twice as many attempts
                    found = audit(binary, path, workdir / f"report-{n}.json")
                    if found:
                        runs.append(found)
                    if len(runs) == RUNS:
                        break
                if not runs:
                    raise SystemExit(f"Lighthouse could not audit {path}")
                median = statistics.median_low([r["performance"] for r in runs])
                chosen = next(r for r in runs if r["performance"] == median)
                results.append({"label": label, "path": path, "runs": runs, **chosen})
        finally:
            proc.terminate()
            proc.wait()
    report(results)


def report(results):
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"Run of {when} on {os.cpu_count()} cores, Python {platform.python_version()}, {chromium}, Lighthouse {LIGHTHOUSE_VERSION} "
        f"(mobile, simulated throttling); median of {RUNS} runs per page by performance.",
        "",
        "| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['label']} | {r['performance']} | {r['accessibility']} | {r['best-practices']} | {r['seo']} | {r['fcp']} | "
                     f"{r['lcp']} | {r['tbt']} | {r['cls']} |")
    table = "\n".join(lines)
    print(table)
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    text = re.sub(r"(<!-- lighthouse:start -->\n).*?(\n<!-- lighthouse:end -->)", lambda m: m.group(1) + table + m.group(2), text, flags=re.S)
    readme.write_text(text)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "lighthouse.json").write_text(json.dumps({"when": when, "results": results}, indent=2))


if __name__ == "__main__":
    main()

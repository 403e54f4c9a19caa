"""Figures through the real topology (`make bench-stack`): `make stack` (nginx in front of two gunicorn nodes, workers,
beat, PostgreSQL, Redis) loaded with wrk.

- the anonymous service page through nginx (kept by its cache) against a static file of the same size from the same
  nginx;
- a signed-in parent's personal area and a wizard step through nginx and both nodes, against the same pages asked of
  one gunicorn node directly: the proxy's and the second node's cost as ratios.

Starts the stack if it is not running (and stops it at the end then); writes the table into bench/README.md."""

import os
import re
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]

import stack  # noqa: E402 - site/stack.py, the same module `make stack` runs

from bench.pages import machine, wrk  # noqa: E402

SERVICE = "/servizi/educazione-e-formazione/iscrizione-refezione-scolastica/"
SESSION = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from services.istanze.actions import istanza_draft_get_or_create
user = get_user_model().objects.get(username="RSSMRA85C52H501N")
session = import_module(settings.SESSION_ENGINE).SessionStore()
session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                HASH_SESSION_KEY: user.get_session_auth_hash(), "auth_method": "spid", "auth_level": 2})
session.create()
draft, _ = istanza_draft_get_or_create(owner=user, procedure_code="OEPAC")
print(session.session_key, draft.public_id)
"""


def wrk_with(path, port, cookie=""):
    """wrk with the parent's session cookie (bench.pages.wrk without headers, extended)."""
    url = f"http://127.0.0.1:{port}{path}"
    args = ["wrk", "-t1", f"-c{os.environ.get('BENCH_CONNECTIONS', '16')}", f"-d{os.environ.get('BENCH_DURATION', '10s')}", "--latency"]
    if cookie:
        args += ["-H", f"Cookie: sessionid={cookie}", "-H", f"Host: 127.0.0.1:{stack.NGINX_PORT}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "non_2xx": int(errors.group(1)) if errors else 0}


def main():
    started = not any(stack.pid_of(f"web-{n}") for n in (1, 2))
    if started:
        stack.up(2)
        stack.ready()
    try:
        out = subprocess.run([stack.PY, "manage.py", "shell", "-c", SESSION], cwd=ROOT, env=stack.ENV, capture_output=True,
                             text=True, check=True).stdout.split()
        cookie, draft = out[-2], out[-1]
        wizard = f"/area-personale/pratiche/{draft}/compila/"
        page = urllib.request.urlopen(f"{stack.SITE}{SERVICE}", timeout=10).read()
        for _ in range(2):
            urllib.request.urlopen(f"{stack.SITE}{SERVICE}", timeout=10).read()
        same_size = Path(stack.ENV["STATIC_ROOT"]) / "bench" / "same-size.html"
        same_size.parent.mkdir(exist_ok=True)
        same_size.write_bytes(page)
        node = stack.FIRST_NODE_PORT
        rows = [
            ("Static file of the same size, nginx", wrk("/static/bench/same-size.html", port=stack.NGINX_PORT), None),
            ("Anonymous service page, nginx (cache hit)", wrk(SERVICE, port=stack.NGINX_PORT), 0),
            ("Personal area, one node directly", wrk_with("/area-personale/", node, cookie), None),
            ("Personal area, nginx and 2 nodes", wrk_with("/area-personale/", stack.NGINX_PORT, cookie), 2),
            ("Wizard step (OEPAC), one node directly", wrk_with(wizard, node, cookie), None),
            ("Wizard step (OEPAC), nginx and 2 nodes", wrk_with(wizard, stack.NGINX_PORT, cookie), 4),
        ]
    finally:
        if started:
            stack.down()
    report(rows, len(page))


def report(rows, size):
    lines = [f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M UTC} on {machine()}.",
             f"make stack: nginx (2 worker processes) in front of 2 gunicorn nodes (2 workers × 4 threads each), wrk 1 thread, "
             f"{os.environ.get('BENCH_CONNECTIONS', '16')} connections, {os.environ.get('BENCH_DURATION', '10s')} per endpoint; "
             f"the service page is {size:,} bytes.", "",
             "| endpoint | req/s | p50 | p99 | non-2xx | ratio |", "|---|---|---|---|---|---|"]
    for name, r, against in rows:
        ratio = ""
        if against is not None:
            base = rows[against][1]
            ratio = f"{r['rps'] / base['rps']:.2f} × {'the static file' if against == 0 else 'one node directly'}"
        lines.append(f"| {name} | {r['rps']:,.0f} | {r['p50']} | {r['p99']} | {r['non_2xx']} | {ratio} |")
    table = "\n".join(lines)
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    if "<!-- stack:start -->" not in text:
        raise SystemExit("bench/README.md has no stack section")
    text = re.sub(r"(<!-- stack:start -->\n)(?:.*?\n)?(<!-- stack:end -->)", lambda m: m.group(1) + table + "\n" + m.group(2), text,
                  count=1, flags=re.S)
    readme.write_text(text)
    print(table)


if __name__ == "__main__":
    main()

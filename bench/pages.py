#!/usr/bin/env python
"""Page benchmark: gunicorn (1 worker) on PostgreSQL + Redis, loaded by wrk on loopback; then the
same gunicorn behind nginx configured from site/nginx.conf, comparing an anonymous service page
with a static file of the same size from the same nginx.

Usage: make bench-pages   (needs PostgreSQL on 127.0.0.1:5432, Redis on 6379; installs wrk and nginx)
Writes the tables between the markers in bench/README.md and the raw figures in bench/results/.
"""

import base64
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
sys.path.insert(0, str(ROOT / "site"))  # before bench/, which has a stack.py of its own (make bench-stack)
import stack  # noqa: E402 - site/stack.py: nginx as the stack runs it

PY = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8100"))
NGINX_PORT = int(os.environ.get("BENCH_NGINX_PORT", "8180"))
NGINX_DIR = ROOT / "var" / "bench-nginx"
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
    "FILE_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),  # a Fernet key
}
# (label, path, served with the full-page cache on, who asks: None for an anonymous visitor, "citizen" for a citizen
# signed in with SPID, whose session cookie takes every page past the full-page cache, as in production)
ENDPOINTS = [
    ("Django hello world", "/bench/hello/", True, None),
    ("Static file (CSS, WhiteNoise)", "/static/css/sportello.css", True, None),
    ("Home page, cached", "/", True, None),
    ("Service page, cached", SERVICE, True, None),
    ("Django hello world, signed-in citizen", "/bench/hello/", True, "citizen"),
    ("Service page, signed-in citizen", SERVICE, True, "citizen"),
    ("Service page, uncached", SERVICE, False, None),
    ("Search «mensa»", "/cerca/?q=mensa", True, None),
]
# A citizen as a SPID login leaves them (tests/istanze/helpers.py spid_login), with a saved draft of the page's
# procedure so *Accedi al servizio* shows their own panel; prints the session cookie.
CITIZEN_SESSION = """
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from services.accounts.actions import identity_attested
from services.istanze.models import Istanza
user, _ = get_user_model().objects.get_or_create(username="BNCLRD80A01H501U", defaults={
    "fiscal_code": "BNCLRD80A01H501U", "first_name": "Leonardo", "last_name": "Bianchi", "email": "l.bianchi@example.it"})
identity_attested(user=user, method="spid", level=2)
Istanza.objects.get_or_create(owner=user, procedure_code="OEPAC", status="bozza")
client = Client()
client.force_login(user)
session = client.session
session["auth_method"], session["auth_level"] = "spid", 2
session.save()
print(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
"""


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
    out = subprocess.run([PY, "manage.py", "shell", "-c", CITIZEN_SESSION], cwd=ROOT, env=ENV, check=True,
                         capture_output=True, text=True).stdout
    return {"citizen": out.strip().splitlines()[-1]}


def serve(page_cache):
    env = {**ENV, "PAGE_CACHE_ENABLED": "true" if page_cache else "false"}
    proc = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{PORT}", "-w", "1", "-k", WORKER_CLASS,
         "--threads", THREADS, "--log-level", "warning"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
    )
    return wait_until_up(proc, PORT)


def wait_until_up(proc, port, path="/bench/hello/", name="gunicorn"):
    """The server process once it answers `path` (killed if it never does)."""
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()  # nginx's master, killed outright, would leave its workers holding the port
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    raise SystemExit(f"{name} did not start")


def wrk(path, port=PORT, pin=(), cookie=None):
    """`pin`: a command prefix (taskset) that keeps the load generator off the server's core; `cookie`: a Cookie
    header sent with every request (a signed-in session)."""
    url = f"http://127.0.0.1:{port}{path}"
    headers = {"Cookie": cookie} if cookie else {}
    for _ in range(3):  # warm up: caches, connections
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5).read()
    extra = ["-H", f"Cookie: {cookie}"] if cookie else []
    subprocess.run([*pin, "wrk", "-t1", f"-c{CONNECTIONS}", "-d2s", *extra, url], capture_output=True, check=True)
    out = subprocess.run([*pin, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", *extra, url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "non_2xx": int(errors.group(1)) if errors else 0}


def signed_in(cookie):
    """Stop unless the citizen's cookie gets their own, private service page (their panel in *Accedi al servizio*)."""
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{SERVICE}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=5) as response:
        body, control = response.read().decode(), response.headers.get("Cache-Control", "")
    if 'data-panel="procedure"' not in body or "private" not in control:
        raise SystemExit("the citizen's session did not reach their own service page: check CITIZEN_SESSION")


def nginx_conf(upstream_port):
    """site/nginx.conf as deployed, on loopback over plain HTTP: the TLS server without TLS, paths
    under var/, the bench settings' cookie name, and a minimal main context around it."""
    conf = (ROOT / "site" / "nginx.conf").read_text()
    conf = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", conf, count=1, flags=re.S)  # the redirect to HTTPS
    conf = re.sub(r"\n\s*(http2 on|ssl_\w+ [^;]*);", "", conf)
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{NGINX_PORT};",
        "/var/cache/nginx/sportello": str(NGINX_DIR / "cache"),
        "/srv/sportello/static_collected/": ENV["STATIC_ROOT"] + "/",
        "/srv/sportello/media/": str(ROOT / "media") + "/",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "__Host-sessionid=": "sessionid=",
    }
    for old, new in replacements.items():
        if old not in conf:
            raise SystemExit(f"site/nginx.conf no longer has {old!r}: update bench/pages.py")
        conf = conf.replace(old, new)
    temp = NGINX_DIR / "tmp"
    return (f"{stack.nginx_user()}worker_processes 1;\npid {NGINX_DIR / 'nginx.pid'};\nerror_log {NGINX_DIR / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n sendfile on;\n tcp_nopush on;\n"
            f" client_body_temp_path {temp}/body;\n proxy_temp_path {temp}/proxy;\n fastcgi_temp_path {temp}/fastcgi;\n"
            f" uwsgi_temp_path {temp}/uwsgi;\n scgi_temp_path {temp}/scgi;\n{conf}\n}}\n")


def nginx_start():
    shutil.rmtree(NGINX_DIR, ignore_errors=True)
    (NGINX_DIR / "tmp").mkdir(parents=True)
    (NGINX_DIR / "nginx.conf").write_text(nginx_conf(PORT))
    subprocess.run(["nginx", "-t", "-q", "-c", str(NGINX_DIR / "nginx.conf")], check=True)
    proc = subprocess.Popen(["nginx", "-c", str(NGINX_DIR / "nginx.conf"), "-g", "daemon off;"])
    return wait_until_up(proc, NGINX_PORT, path="/static/css/sportello.css", name="nginx")


def through_nginx():
    """The service page kept by nginx against a static file of the same size from the same nginx."""
    page = f"http://127.0.0.1:{NGINX_PORT}{SERVICE}"
    body = urllib.request.urlopen(page, timeout=5).read()
    statuses = [urllib.request.urlopen(page, timeout=5).headers.get("X-Proxy-Cache") for _ in range(3)]
    if statuses[-1] != "HIT":
        raise SystemExit(f"nginx did not keep the service page: X-Proxy-Cache {statuses}")
    same_size = Path(ENV["STATIC_ROOT"]) / "bench" / "same-size.html"
    same_size.parent.mkdir(exist_ok=True)
    same_size.write_bytes(body)
    static = wrk("/static/bench/same-size.html", port=NGINX_PORT)
    service = wrk(SERVICE, port=NGINX_PORT)
    after = urllib.request.urlopen(page, timeout=5).headers.get("X-Proxy-Cache")
    return {"bytes": len(body), "cache_status": statuses + [after], "static": static, "service": service,
            "ratio": service["rps"] / static["rps"]}


def readme_section(name: str, table: str) -> None:
    """Put `table` between the `<!-- name:start -->` and `<!-- name:end -->` markers of bench/README.md."""
    readme = ROOT / "bench" / "README.md"
    text = readme.read_text()
    text, found = re.subn(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
                          lambda m: m.group(1) + table.rstrip("\n") + "\n" + m.group(2), text, flags=re.S)
    if not found:
        raise SystemExit(f"bench/README.md has no {name} markers")
    readme.write_text(text)


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    mem = next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {int(mem) // 1024 // 1024} GiB RAM, Python {platform.python_version()}, PostgreSQL {pg}"


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    if not shutil.which("nginx"):
        raise SystemExit("nginx is missing: apt-get install nginx")
    cookies = prepare()
    results = []
    for cached in (True, False):
        proc = serve(page_cache=cached)
        try:
            if cached:
                signed_in(cookies["citizen"])
            for label, path, needs_cache, who in ENDPOINTS:
                if needs_cache == cached:
                    results.append({"label": label, "path": path, **wrk(path, cookie=cookies.get(who))})
            if cached:
                proxy = nginx_start()
                try:
                    nginx = through_nginx()
                finally:
                    proxy.terminate()
                    proxy.wait()
        finally:
            proc.terminate()
            proc.wait()
    order = [e[0] for e in ENDPOINTS]
    results.sort(key=lambda r: order.index(r["label"]))
    hello = results[0]["rps"]
    for r in results:
        r["vs_hello"] = r["rps"] / hello
    report(results, nginx)


def report(results, nginx):
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
    lines += [
        "",
        f"Through nginx (site/nginx.conf on loopback without TLS, 1 worker process), same wrk settings; the page is "
        f"{nginx['bytes']:,} bytes and the static file is a copy of it. X-Proxy-Cache on the page: "
        f"{', '.join(str(s) for s in nginx['cache_status'])}.",
        "",
        "| through nginx | req/s | p50 | p99 | non-2xx |",
        "|---|---:|---:|---:|---:|",
        f"| Static file of the same size | {nginx['static']['rps']:,.0f} | {nginx['static']['p50']} | {nginx['static']['p99']} | {nginx['static']['non_2xx']} |",
        f"| Service page (anonymous) | {nginx['service']['rps']:,.0f} | {nginx['service']['p50']} | {nginx['service']['p99']} | {nginx['service']['non_2xx']} |",
        "",
        f"Service page / static file: **{nginx['ratio']:.0%}** (goal ≥ 50 %).",
    ]
    table = "\n".join(lines)
    print(table)
    readme_section("pages", table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps({"when": when, "machine": machine(), "results": results, "nginx": nginx}, indent=2))


if __name__ == "__main__":
    main()

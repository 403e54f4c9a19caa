"""The production topology on this machine: `make stack` (up) and `make stack-down` (down).

    nginx (site/nginx.conf on 127.0.0.1:8080, without TLS)  →  NODES gunicorn nodes (127.0.0.1:8101…)
    Celery workers, one per queue (messages, payments, batch, default), and one beat
    the partners' sandboxes (pagoPA, App IO, the demo IdP, the protocol systems) in a gunicorn of their own
    (127.0.0.1:8191), as the systems they stand for are: nginx sends /pagopa-sandbox/, /io-sandbox/, /demo-idp/ and
    /protocollo-sandbox/ there
    PostgreSQL (database sportello_stack, created if missing) and Redis (db 10 cache and sessions, db 11 broker)

The same files production uses: site/nginx.conf (its TLS server made plain HTTP on loopback, paths under var/stack),
site/gunicorn.conf.py, config/settings/stack.py (production's shape with the demo's identity provider and sandboxes).
Every process writes its pid under var/stack/pids; `down` stops exactly those, never by name.

Usage: python site/stack.py up [--nodes N] | down | status"""

import argparse
import contextlib
import getpass
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACK = Path(os.environ.get("STACK_DIR", ROOT / "var" / "stack"))  # the fault suite runs its own under var/faults
PIDS, LOGS, NGINX, METRICS = STACK / "pids", STACK / "logs", STACK / "nginx", STACK / "prometheus"
PY = str(ROOT / ".venv" / "bin" / "python")
NGINX_PORT = int(os.environ.get("STACK_NGINX_PORT", "8080"))
FIRST_NODE_PORT = int(os.environ.get("STACK_NODE_PORT", "8101"))
DB = os.environ.get("STACK_DB", "sportello_stack")
PG = os.environ.get("STACK_POSTGRES", "postgres://postgres@127.0.0.1:5432")
QUEUES = ("messages", "payments", "batch", "default")
PARTNERS_PORT = FIRST_NODE_PORT + 90
PARTNER_PREFIXES = ("pagopa-sandbox", "io-sandbox", "demo-idp", "protocollo-sandbox")
SITE = f"http://127.0.0.1:{NGINX_PORT}"

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.stack",
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/10"),
    "CELERY_BROKER_URL": os.environ.get("STACK_BROKER_URL", "redis://127.0.0.1:6379/11"),
    "STACK_SITE_URL": SITE,
    "SPID_BASE_URL": SITE,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CSRF_TRUSTED_ORIGINS": SITE,
    "PROMETHEUS_MULTIPROC_DIR": str(METRICS),
    "STATIC_ROOT": str(ROOT / "var" / "static"),
    "CONN_MAX_AGE": "60",
}


def run(*args, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=ENV, check=True, **kwargs)


def database():
    """Create the stack's database if it is missing (PostgreSQL with trust auth on loopback, as on this machine)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{DB}"')
            print(f"database {DB} created")


def nginx_user() -> str:
    """Started as root, nginx runs its workers as `nobody`, which cannot read a checkout in a private directory (a clone
    under `mktemp -d`, mode 0700): the line that runs them as the user who started it instead."""
    return f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""


def nginx_conf(nodes: int) -> str:
    """site/nginx.conf as deployed, on loopback over plain HTTP: the TLS server without TLS, one upstream server per
    node, paths under var/stack, the demo's session cookie name, and a minimal main context around it."""
    conf = (ROOT / "site" / "nginx.conf").read_text()
    # no TLS on loopback, so no client certificates: the CNS host is left out of the stack
    conf = re.sub(r"\n# cns-begin.*?# cns-end\n", "\n", conf, flags=re.S)
    conf = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", conf, count=1, flags=re.S)  # the redirect to HTTPS
    conf = re.sub(r"\n\s*(http2 on|ssl_\w+ [^;]*);", "", conf)
    upstream = "\n    ".join(f"server 127.0.0.1:{FIRST_NODE_PORT + n};" for n in range(nodes))
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{NGINX_PORT};",
        "/var/cache/nginx/sportello": str(NGINX / "cache"),
        "/srv/sportello/static_collected/": ENV["STATIC_ROOT"] + "/",
        "/srv/sportello/media/": str(ROOT / "media") + "/",
        "server 127.0.0.1:8000;": upstream,
        "__Host-sessionid=": "sessionid=",
        # Debian's proxy_params send Host without the port (fine on 443): on 8080 the links Django builds need it.
        "include /etc/nginx/proxy_params;": ("proxy_set_header Host $host:$server_port;\n        proxy_set_header X-Real-IP $remote_addr;\n"
                                             "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                                             "        proxy_set_header X-Forwarded-Proto $scheme;"),
    }
    for old, new in replacements.items():
        if old not in conf:
            raise SystemExit(f"site/nginx.conf no longer has {old!r}: update site/stack.py")
        conf = conf.replace(old, new)
    # The partners' sandboxes (pagoPA, App IO, the demo IdP) stand in for systems of their own: their process, not a
    # thread of the nodes that call them (a top-up would otherwise wait for a thread of the nodes it is holding).
    proxy = "\n        ".join(["proxy_set_header Host $host:$server_port;", "proxy_set_header X-Real-IP $remote_addr;",
                               "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                               'proxy_set_header Connection "";', "proxy_no_cache 1;", "proxy_cache_bypass 1;"])
    partners = (f"upstream sportello_partners {{\n    server 127.0.0.1:{PARTNERS_PORT};\n    keepalive 16;\n"
                "    keepalive_timeout 4s;\n}\n")
    location = (f"    location ~ ^/({'|'.join(PARTNER_PREFIXES)})/ {{\n        proxy_pass http://sportello_partners;\n"
                f"        {proxy}\n    }}\n\n    location / {{")
    conf = partners + conf.replace("    location / {", location, 1)
    temp = NGINX / "tmp"
    return (f"{nginx_user()}worker_processes 2;\npid {PIDS / 'nginx.pid'};\nerror_log {LOGS / 'nginx.error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n include /etc/nginx/mime.types;\n sendfile on;\n tcp_nopush on;\n"
            " log_format stack '$remote_addr \"$request_method $uri\" $status $body_bytes_sent $request_time '\n"
            "                  'id=$request_id upstream=$upstream_addr cache=$upstream_cache_status';\n"
            f" access_log {LOGS / 'nginx.access.log'} stack;\n"
            f" client_body_temp_path {temp}/body;\n proxy_temp_path {temp}/proxy;\n fastcgi_temp_path {temp}/fastcgi;\n"
            f" uwsgi_temp_path {temp}/uwsgi;\n scgi_temp_path {temp}/scgi;\n{conf}\n}}\n")


def background(name: str, *args) -> None:
    """A process of its own session, its output (Django's JSON log lines) in var/stack/logs/<name>.log; it writes its
    pid file itself (Celery's --pidfile)."""
    with open(LOGS / f"{name}.log", "ab") as log:
        subprocess.Popen(args, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    deadline = time.monotonic() + 30
    while not pid_of(name):
        if time.monotonic() > deadline:
            raise SystemExit(f"{name} did not start: see {LOGS / (name + '.log')}")
        time.sleep(0.2)


def pid_of(name: str) -> int | None:
    path = PIDS / f"{name}.pid"
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None
    try:  # a process killed but not yet reaped (a zombie of this script, after the fault suite's SIGKILL) is gone
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
            return None
    except (FileNotFoundError, IndexError):
        return None
    return pid


def wait_for(url: str, seconds: float = 60, ok=(200,)) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status in ok:
                    return response.status
        except urllib.error.HTTPError as error:
            if error.code in ok:
                return error.code
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:g} s: see {LOGS}")


def start_worker(queue: str) -> bool:
    """The worker of `queue`, unless it runs (its own process group: the fault suite kills the whole of it)."""
    name = f"worker-{queue}"
    if pid_of(name):
        return False
    background(name, "nice", "-n", "10", PY, "-m", "celery", "-A", "config", "worker", "-Q", queue, "-n", f"{queue}@%h", "--concurrency", "2",
               "--pidfile", str(PIDS / f"{name}.pid"), "--loglevel", "INFO")
    return True


def start_beat() -> bool:
    if pid_of("beat"):
        return False
    background("beat", PY, "-m", "celery", "-A", "config", "beat", "--pidfile", str(PIDS / "beat.pid"),
               "--schedule", str(STACK / "celerybeat-schedule"), "--loglevel", "INFO")
    return True


def fresh() -> None:
    """A new database and empty Redis databases (make stack-smoke): a run must not inherit a previous run's outbox,
    whose messages waited, undelivered, while the stack was down."""
    import psycopg
    import redis

    if PIDS.exists() and any(pid_of(p.stem) for p in PIDS.glob("*.pid")):
        raise SystemExit("the stack is running: make stack-down first")
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    for url in (ENV["REDIS_URL"], ENV["CELERY_BROKER_URL"]):
        redis.Redis.from_url(url).flushdb()


def up(nodes: int) -> None:
    if not shutil.which("nginx"):
        raise SystemExit("nginx is missing: make test-deps (or apt-get install nginx)")
    for directory in (PIDS, LOGS, NGINX / "tmp", NGINX / "cache", METRICS):
        directory.mkdir(parents=True, exist_ok=True)
    for stale in METRICS.glob("*.db"):  # counters of a previous run
        stale.unlink()
    database()
    run(PY, "manage.py", "migrate", "--noinput", "--verbosity", "0")
    run(PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0")
    run(PY, "manage.py", "load_demo_content", "--with-users", stdout=subprocess.DEVNULL)
    started = []
    for n in range(nodes):
        name = f"web-{n + 1}"
        if pid_of(name):
            continue
        run(PY, "-m", "gunicorn", "-c", "site/gunicorn.conf.py", "config.wsgi:application", "--daemon",
            "--bind", f"127.0.0.1:{FIRST_NODE_PORT + n}", "--workers", "2", "--worker-class", "gthread", "--threads", "4",
            "--pid", str(PIDS / f"{name}.pid"), "--access-logfile", str(LOGS / f"{name}.access.log"),
            "--error-logfile", str(LOGS / f"{name}.log"), "--capture-output")
        started.append(f"{name}: gunicorn on 127.0.0.1:{FIRST_NODE_PORT + n}")
    if not pid_of("partners"):
        run(PY, "-m", "gunicorn", "-c", "site/gunicorn.conf.py", "config.wsgi:application", "--daemon",
            "--bind", f"127.0.0.1:{PARTNERS_PORT}", "--workers", "2", "--worker-class", "gthread", "--threads", "8",
            "--pid", str(PIDS / "partners.pid"), "--access-logfile", str(LOGS / "partners.access.log"),
            "--error-logfile", str(LOGS / "partners.log"), "--capture-output")
        started.append(f"partners: the pagoPA, App IO and demo IdP sandboxes on 127.0.0.1:{PARTNERS_PORT}")
    if not pid_of("nginx"):
        (NGINX / "nginx.conf").write_text(nginx_conf(nodes))
        subprocess.run(["nginx", "-t", "-q", "-c", str(NGINX / "nginx.conf")], check=True)
        subprocess.run(["nginx", "-c", str(NGINX / "nginx.conf")], check=True)
        started.append(f"nginx: {SITE} (site/nginx.conf without TLS) in front of {nodes} node(s)")
    wait_for(f"{SITE}/salute/vivo/")  # the workers send what the demo queued through nginx: it answers first
    for queue in QUEUES:
        if start_worker(queue):
            started.append(f"worker-{queue}: Celery worker on the queue {queue}")
    if start_beat():
        started.append("beat: Celery beat (one per deployment, holds the beat lock)")
    for port in [FIRST_NODE_PORT + n for n in range(nodes)] + [PARTNERS_PORT]:
        wait_for(f"http://127.0.0.1:{port}/salute/vivo/")
    wait_for(f"{SITE}/salute/vivo/")
    print("\n".join(started) or "already running")
    print(f"\nSportello: {SITE}/  ·  admin {SITE}/admin/ (admin / sportello-demo)  ·  readiness {SITE}/salute/pronto/  ·  "
          f"metrics {SITE}/metriche/\nlogs: {LOGS}  ·  stop: make stack-down")


def ready(seconds: float = 90) -> dict:
    """Wait until readiness is green (workers and beat send their first heartbeat within seconds)."""
    deadline = time.monotonic() + seconds
    report = {}
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{SITE}/salute/pronto/", timeout=15) as response:
                report = json.loads(response.read())
        except urllib.error.HTTPError as error:
            report = json.loads(error.read() or b"{}")
        except OSError:
            report = {}
        if report.get("status") in ("ok", "warn"):  # warn: e.g. a new deployment's daily charge has not run yet
            return report
        time.sleep(2)
    for log in sorted(LOGS.glob("*.log")):  # what the processes said, for whoever reads CI's output
        lines = log.read_text(errors="replace").splitlines()[-15:]
        print(f"--- {log.name} (last {len(lines)} lines)\n" + "\n".join(lines))
    failing = [f"{c['name']}: {c['detail']}" for c in report.get("checks", []) if c.get("status") == "error"]
    raise SystemExit(f"readiness in error after {seconds:.0f} s: " + ("; ".join(failing) or json.dumps(report)))


SMOKE_PUBLISH = """
from home.models import ServicePage
page = ServicePage.objects.get(slug="iscrizione-refezione-scolastica")
page.summary = page.summary.split(" [")[0] + " [%s]"
page.save_revision().publish()
"""
SMOKE_RESET = """
from services.payments.suspension import PaymentSettings
conf = PaymentSettings.load()
conf.suspended_from = conf.suspended_until = None
conf.save()
"""


def smoke() -> None:
    """Through nginx, as a person: readiness not in error, an anonymous page (kept by nginx), a SPID login at the demo
    identity provider and a top-up paid at the pagoPA sandbox, credited to the balance. Uses Debian's Chromium."""
    import re

    from playwright.sync_api import sync_playwright

    ready()
    page_url = f"{SITE}/servizi/educazione-e-formazione/iscrizione-refezione-scolastica/"
    statuses = []
    for _ in range(3):
        with urllib.request.urlopen(page_url, timeout=10) as response:
            statuses.append(response.headers.get("X-Proxy-Cache"))
    if statuses[-1] != "HIT":
        raise SystemExit(f"nginx did not keep the anonymous page: X-Proxy-Cache {statuses}")
    run(PY, "manage.py", "shell", "-c", SMOKE_RESET)  # the demo's switch-over dates must not stop the top-up
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(locale="it-IT")
        page.goto(f"{SITE}/accedi/?next=/area-personale/conto-mensa/")
        page.click("summary[data-element='spid-access-button']")
        page.click("text=Sportello demo IdP")
        page.wait_for_url(re.compile(r"/demo-idp/sso/"))
        page.click('label[for="id-maria.rossi"]')
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/area-personale/conto-mensa/$"))
        before = page.text_content("#wallet-balance").strip()
        page.goto(f"{SITE}/area-personale/conto-mensa/ricarica/")
        page.fill("#id_amount", "20,00")
        page.click("label[for=id_how_0]")
        page.click("button:has-text('Prosegui')")
        page.wait_for_url(re.compile(r"/pagopa-sandbox/checkout/"))
        page.click("button[value=paga]")
        try:
            page.wait_for_url(re.compile(r"/esito/\?esito=ok"))
        except Exception as error:
            raise SystemExit(f"pagoPA's return did not come back: at {page.url}") from error
        if "Pagamento di € 20,00 ricevuto" not in page.content():
            raise SystemExit("the top-up was not credited on the return page")
        page.goto(f"{SITE}/area-personale/conto-mensa/")
        after = page.text_content("#wallet-balance").strip()
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
        browser.close()
    nodes = sorted(int(p.stem.split("-")[1]) for p in PIDS.glob("web-*.pid"))
    for n in nodes:  # the session made through nginx works on every node, asked directly
        request = urllib.request.Request(f"http://127.0.0.1:{FIRST_NODE_PORT + n - 1}/area-personale/conto-mensa/",
                                         headers={"Cookie": cookie, "Host": f"127.0.0.1:{NGINX_PORT}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            if "wallet-balance" not in response.read().decode():
                raise SystemExit(f"the session does not work on node {n}")
    mark = f"pubblicato {int(time.time())}"
    run(PY, "manage.py", "shell", "-c", SMOKE_PUBLISH % mark)  # a publish, as an editor's on any node
    # Every node's full-page cache shows it once the generation it believes has been read again: within
    # PAGE_CACHE_GENERATION_TTL (1 s, home/cache.py); nginx's within SHARED_CACHE_MAX_AGE.
    time.sleep(float(os.environ.get("PAGE_CACHE_GENERATION_TTL", "1")) + 0.5)
    for n in nodes:
        request = urllib.request.Request(f"http://127.0.0.1:{FIRST_NODE_PORT + n - 1}{page_url.removeprefix(SITE)}",
                                         headers={"Host": f"127.0.0.1:{NGINX_PORT}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            if mark not in response.read().decode():
                raise SystemExit(f"node {n} still serves the page as it was before the publish")
    print(f"smoke: page kept by nginx ({statuses[-1]}), SPID demo login, top-up € 20,00 credited ({before} → {after}), "
          f"the session valid on each of {len(nodes)} nodes, a publish seen on each within a second")


def down() -> None:
    names = sorted(p.stem for p in PIDS.glob("*.pid")) if PIDS.exists() else []
    for name in names:
        pid = pid_of(name)
        if pid is None:
            (PIDS / f"{name}.pid").unlink(missing_ok=True)
            continue
        os.kill(pid, signal.SIGTERM if name != "nginx" else signal.SIGQUIT)
        print(f"stopping {name} ({pid})")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(pid_of(name) for name in names):
        time.sleep(0.5)
    for name in names:
        pid = pid_of(name)
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
        (PIDS / f"{name}.pid").unlink(missing_ok=True)


def status() -> None:
    for path in sorted(PIDS.glob("*.pid")) if PIDS.exists() else []:
        print(f"{path.stem}: {'running' if pid_of(path.stem) else 'stopped'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["up", "down", "status", "ready", "smoke"])
    parser.add_argument("--nodes", type=int, default=int(os.environ.get("NODES", "2")))
    parser.add_argument("--fresh", action="store_true", help="a new database and empty Redis databases first")
    args = parser.parse_args()
    if args.command == "up":
        if args.fresh:
            fresh()
        up(args.nodes)
        report = ready()
        print("readiness: " + ", ".join(f"{c['name']} {c['status']}" for c in report["checks"]))
    elif args.command == "ready":
        ready()
        print("readiness: ok")
    elif args.command == "smoke":
        smoke()
    elif args.command == "down":
        down()
    else:
        status()


if __name__ == "__main__":
    sys.exit(main())

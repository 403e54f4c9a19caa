"""`make faults`: break the production topology on purpose and prove that nothing is lost.

Each run makes a PostgreSQL cluster and a Redis of its own (ports 55432 and 56379, data under FAULTS_DIR, removed at
the end: restarting the machine's shared services would break everything else on it), starts the stack of
site/stack.py on them (nginx on 127.0.0.1:8180, two gunicorn nodes, a worker per queue, beat), loads the demo Comune
and FAULTS_FAMILIES families on the meal service, then runs each scenario: load from outside, the fault, the recovery,
and the invariants (`manage.py check_invariants --settled`: balances, credits, receipts, numbers, messages). A broken
invariant fails the run. A supervisor plays systemd's part (Restart=always): a worker or beat that dies is started
again after 2 s and counted; the scenarios only kill. The figures go to bench/README.md (between the faults markers) and bench/results/faults.json.

Scenarios (FAULTS_SCENARIOS, comma-separated, all by default):
  worker_broadcast   SIGKILL the whole messages worker in the middle of a broadcast to every family
  redis_restart      SIGKILL Redis (cache, sessions' cache, broker) under signed-in and anonymous load and during a
                     broadcast, and start it again
  worker_receipts    SIGKILL the payments worker while it settles receipts found by polling
  postgres_charges   restart PostgreSQL in the middle of the daily charges; the re-run completes, no meal charged twice
  backup_during_charges  make backup while the daily charges write; make restore into a new database checks it
  pagopa_down        pagoPA unavailable while citizens top up (Italian message, no error), then receipts pushed twice
  io_down            App IO unavailable during a broadcast: its messages wait, then go once each
  gunicorn_submit    SIGKILL a gunicorn worker while citizens press *Invia*; those who saw an error press it again
  beat_catch_up      beat stopped for an hour (its schedule set back an hour) and started: each job runs once, not N times

Usage: make faults  (FAULTS_FAMILIES=10000; CI runs `make faults FAULTS_FAMILIES=1500`)."""

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG_PORT, REDIS_PORT, NGINX_PORT, NODE_PORT = 55432, 56379, 8180, 8201
FAMILIES = int(os.environ.get("FAULTS_FAMILIES", "10000"))
FAULTS_DIR = Path(os.environ.get("FAULTS_DIR") or tempfile.mkdtemp(prefix="sportello-faults-"))
SCENARIOS = [s for s in os.environ.get("FAULTS_SCENARIOS", "").split(",") if s]

os.environ.update({
    "STACK_DIR": str(ROOT / "var" / "faults" / "stack"), "STACK_POSTGRES": f"postgres://postgres@127.0.0.1:{PG_PORT}",
    "STACK_DB": "sportello_faults", "STACK_REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "STACK_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/1", "STACK_NGINX_PORT": str(NGINX_PORT),
    "STACK_NODE_PORT": str(NODE_PORT),
    # The sweeps, sooner than in production so that a run takes minutes: the outbox every 10 s, a dispatch queued and
    # not picked up after 15 s, one left sending by a dead worker after 30 s, a broadcast never fanned out after 30 s.
    "REQUEUE_EVERY_SECONDS": "10", "OUTBOX_STALE_QUEUED_SECONDS": "15", "OUTBOX_STALE_SENDING_SECONDS": "30",
    "OUTBOX_STALE_BROADCAST_SECONDS": "30", "PAGOPA_PUBLISH_STUCK_MINUTES": "1",
})
sys.path.insert(0, str(ROOT / "site"))
sys.path.insert(0, str(ROOT))
import stack  # noqa: E402  (site/stack.py, configured by the environment above)

from bench.messages import SETUP as FAMILIES_SETUP  # noqa: E402  (the 10,000-family fixture of make bench-messages)
from bench.pages import readme_section  # noqa: E402

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
CSRF = ("faults" * 6)[:32]  # a CSRF cookie and header of the right shape (32 characters), as a browser's form would send
SERVICE_PAGE = "/servizi/educazione-e-formazione/iscrizione-refezione-scolastica/"


class Supervisor(threading.Thread):
    """What systemd does in production for the workers and beat (site/sportello-worker@.service: Restart=always,
    RestartSec=2): a process that died — killed by a scenario, or exited on its own — is started again, and counted.
    The scenarios only kill; the restarts are this supervisor's."""

    def __init__(self):
        super().__init__(daemon=True)
        self.paused: set[str] = set()
        self.restarts: dict[str, int] = {}
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(2):
            for name, start in [*((f"worker-{q}", lambda q=q: stack.start_worker(q)) for q in stack.QUEUES),
                                ("beat", stack.start_beat)]:
                if name not in self.paused and not stack.pid_of(name):
                    try:
                        started = start()
                    except SystemExit as error:  # did not write its pid file in time: try again in 2 s
                        log(f"supervisor: {name} did not start ({error})")
                        continue
                    if started:
                        self.restarts[name] = self.restarts.get(name, 0) + 1
                        log(f"supervisor: {name} was not running, started again")


def log(text: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {text}", flush=True)


# The cluster and the Redis of the run ------------------------------------------------------------------------------

class Postgres:
    def __init__(self):
        self.data, self.socket, self.logfile = FAULTS_DIR / "pg", FAULTS_DIR / "pg-socket", FAULTS_DIR / "pg.log"

    def pg(self, *args, check=True):
        return subprocess.run([*AS_POSTGRES, str(PG_BIN / args[0]), *args[1:]], check=check, capture_output=True, text=True)

    def init(self):
        for path in (self.data, self.socket):
            path.mkdir(parents=True)
        if AS_POSTGRES:
            shutil.chown(FAULTS_DIR, "postgres")
            for path in (self.data, self.socket):
                shutil.chown(path, "postgres")
        self.pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")
        self.start()

    def start(self):
        self.pg("pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-w", "-o",
                f"-p {PG_PORT} -k {self.socket} -c listen_addresses=127.0.0.1 -c max_connections=200", "start")

    def restart(self):
        self.pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        self.start()

    def stop(self):
        self.pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def query(self, sql: str):
        import psycopg

        with psycopg.connect(f"postgres://postgres@127.0.0.1:{PG_PORT}/sportello_faults", autocommit=True) as conn:
            return conn.execute(sql).fetchall()

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres", autocommit=True) as conn:
            conn.execute(sql)


class Redis:
    """With its append-only file, as a broker must run in production (site/README.md): a restart keeps the queues."""

    def __init__(self):
        self.dir, self.process = FAULTS_DIR / "redis", None

    def start(self):
        self.dir.mkdir(exist_ok=True)
        with open(FAULTS_DIR / "redis.log", "ab") as out:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--dir", str(self.dir), "--appendonly",
                 "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "no"], stdout=out, stderr=out,
                start_new_session=True)
        deadline = time.monotonic() + 20
        while subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
            if time.monotonic() > deadline:
                raise SystemExit("the run's Redis did not start: see redis.log")
            time.sleep(0.1)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def manage(code: str, timeout: float = 600) -> str:
    """Python in the stack's environment (manage.py shell); the last line printed."""
    done = subprocess.run([stack.PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=stack.ENV, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"manage.py shell failed: {done.stderr[-1500:]}")
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def invariants() -> dict:
    """Every invariant, the settled ones too, once the outbox has drained (every message delivered or visibly failed,
    retries included); a broken one fails the run."""
    wait(drained, 600, 2, "the outbox drained")
    done = subprocess.run([stack.PY, "manage.py", "check_invariants", "--settled", "--json"], cwd=ROOT, env=stack.ENV,
                          capture_output=True, text=True, timeout=600)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    broken = {name: problems for name, problems in result.items() if problems}
    if broken:
        raise AssertionError(f"invariants broken: {json.dumps(broken, ensure_ascii=False)}")
    return result


def wait(condition, seconds: float, every: float = 1.0, what: str = ""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not within {seconds:g} s: {what}")


def outbox() -> dict:
    return dict(Postgres().query("select status, count(*) from notifications_dispatch group by status"))


def drained() -> bool:
    counts = outbox()
    return not any(counts.get(s) for s in ("queued", "sending", "retry")) and not Postgres().query(
        "select 1 from notifications_broadcast where status = 'queued' limit 1")


# Load from outside, through nginx -----------------------------------------------------------------------------------

class Load:
    """Threads asking nginx for pages, as people would, for as long as it runs: counts what was served and what a person
    saw as an error (a 5xx or no answer at all)."""

    def __init__(self, paths_with_cookies: list[tuple[str, str]], threads: int = 6):
        self.targets, self.threads = paths_with_cookies, threads
        self.served = self.errors = 0
        self.error_times: list[float] = []
        self.stop_event, self.lock, self.workers = threading.Event(), threading.Lock(), []

    def _run(self, n: int):
        i = n
        while not self.stop_event.is_set():
            path, cookie = self.targets[i % len(self.targets)]
            i += self.threads
            request = urllib.request.Request(f"{stack.SITE}{path}", headers={"Cookie": cookie} if cookie else {})
            try:
                with urllib.request.urlopen(request, timeout=15) as response:
                    response.read()
                    ok = response.status < 500
            except urllib.error.HTTPError as error:
                ok = error.code < 500
            except OSError:
                ok = False
            with self.lock:
                if ok:
                    self.served += 1
                else:
                    self.errors += 1
                    self.error_times.append(time.monotonic())
            time.sleep(0.05)

    def __enter__(self):
        self.started = time.monotonic()
        self.workers = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.threads)]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for worker in self.workers:
            worker.join(timeout=20)
        self.seconds = time.monotonic() - self.started


SESSIONS = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from importlib import import_module
from services.accounts.actions import identity_attested
from services.istanze.actions import istanza_compile, istanza_draft_get_or_create
store = import_module(settings.SESSION_ENGINE).SessionStore
out = []
for user in get_user_model().objects.filter(username__startswith="bench-m").order_by("pk")[:{n}]:
    identity_attested(user=user, method="spid", level=2)
    session = store()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["auth_method"], session["auth_level"] = "spid", 2
    session.create()
    draft, _ = istanza_draft_get_or_create(owner=user, procedure_code="SERV06_UTENTI")
    if {ready}:
        draft = istanza_compile(istanza=draft, by=user, data={{}}, summary=[], files=[], wizard={{}})
    out.append([session.session_key, str(draft.public_id)])
import json; print(json.dumps(out))
"""


def signed_in(n: int, ready: bool = False) -> list[tuple[str, str]]:
    """n families signed in with SPID (sessions made as the login makes them), each with a draft application."""
    return [tuple(row) for row in json.loads(manage(SESSIONS.format(n=n, ready=ready)))]


def broadcast(subject: str = "Prova guasti") -> int:
    """Staff send a message to every family of the meal service (the fan-out and the deliveries run on the workers)."""
    return int(manage("import uuid\nfrom services.notifications.actions import broadcast_create\n"
                      f"b, _ = broadcast_create(by=None, token=uuid.uuid4(), subject={subject!r}, audience='meals', "
                      "body='Messaggio di prova: nessuna azione richiesta.', channels=('io', 'email', 'sms'))\nprint(b.pk)"))


IO_INBOXES = """
import json
from django.contrib.auth import get_user_model
from services.notifications import io_sandbox
got = twice = 0
for code in get_user_model().objects.filter(username__startswith="bench-m").values_list("fiscal_code", flat=True):
    n = sum(1 for m in io_sandbox.messages(code) if {subject!r} in m["content"]["subject"])
    got, twice = got + (n > 0), twice + (n > 1)
print(json.dumps([got, twice]))
"""


# Scenarios ------------------------------------------------------------------------------------------------------------

def worker_broadcast() -> dict:
    """SIGKILL the whole messages worker (parent and children, as a machine dies) when a quarter of a broadcast to every
    family has gone; start it again. The broker still holds the batches the dead worker took (unacknowledged until the
    visibility timeout): the sweep sends their dispatches; nothing twice (one message per family and event, one dispatch
    per channel, a batch re-delivered later skips what was sent)."""
    before = sum(outbox().values())
    started = time.monotonic()
    broadcast_pk = broadcast()
    expected = wait(lambda: int(Postgres().query(
        f"select count(*) from notifications_message where event = 'broadcast:{broadcast_pk}'")[0][0]) or None, 120, 0.5,
        "the fan-out started")
    wait(lambda: sum(n for s, n in outbox().items() if s in ("sent", "delivered", "failed", "unreachable"))
         >= before + 0.25 * FAMILIES, 300, 0.2, "a quarter sent")
    pid = stack.pid_of("worker-messages")
    os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    killed_at = time.monotonic()
    sent_at_kill = outbox()
    log(f"killed the messages worker (pid {pid}) with {sent_at_kill}")
    wait(drained, 900, 2, "the outbox drained")
    recovered = time.monotonic() - killed_at
    messages = int(Postgres().query(
        f"select count(*) from notifications_message where event = 'broadcast:{broadcast_pk}'")[0][0])
    checked = invariants()
    total = sum(outbox().values()) - before
    return {"families": FAMILIES, "messages": messages, "dispatches": total, "killed_after_s": round(killed_at - started, 1),
            "recover_s": round(recovered, 1), "user_errors": 0, "invariants": len(checked), "first_seen": expected}


def redis_restart() -> dict:
    """Under load (anonymous pages, signed-in personal areas and wizard pages), SIGKILL Redis, wait 5 s, start it again
    (its append-only file brings the queues back). Signed-in people stay signed in; nobody sees a 5xx."""
    people = signed_in(40)
    targets = [(SERVICE_PAGE, ""), ("/", "")]
    for key, draft in people:
        targets += [("/area-personale/", f"sessionid={key}"), (f"/area-personale/pratiche/{draft}/compila/", f"sessionid={key}")]
    redis = RUN["redis"]
    broadcast()  # and a broadcast on its way to every family
    with Load(targets) as load:
        time.sleep(5)
        redis.kill()
        down_at = time.monotonic()
        log("Redis killed")
        time.sleep(5)
        redis.start()
        log("Redis started again")
        time.sleep(10)
    # a person still signed in after the restart, on the database's copy of the session
    key, _ = people[0]
    request = urllib.request.Request(f"{stack.SITE}/area-personale/", headers={"Cookie": f"sessionid={key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        still_signed_in = "/accedi/" not in response.url
    stack.ready(120)
    recovered = time.monotonic() - down_at
    checked = invariants()
    if load.errors:
        raise AssertionError(f"{load.errors} requests answered 5xx or nothing while Redis was down")
    if not still_signed_in:
        raise AssertionError("a signed-in person was signed out by the Redis restart")
    return {"served": load.served, "user_errors": load.errors, "seconds": round(load.seconds, 1),
            "recover_s": round(recovered, 1), "invariants": len(checked)}


def io_down() -> dict:
    """App IO unavailable (every call 503) while a broadcast goes out: e-mail and SMS go on, the App IO messages wait
    (retry, with backoff); IO back, each family gets its App IO message exactly once."""
    subject = f"Prova App IO {int(time.time())}"
    sandbox("guasti/", {"unavailable": True}, partner="io-sandbox")
    pk = broadcast(subject)
    wait(lambda: not any(outbox().get(s) for s in ("queued", "sending")) and not Postgres().query(
        f"select 1 from notifications_broadcast where id = {pk} and status = 'queued'"), 600, 2, "the broadcast fanned out")
    waiting = int(Postgres().query(f"select count(*) from notifications_dispatch d join notifications_message m on "
                                   f"m.id = d.message_id where m.event = 'broadcast:{pk}' and d.channel = 'io' and "
                                   f"d.status = 'retry'")[0][0])
    sandbox("guasti/", {"unavailable": False}, partner="io-sandbox")
    back = time.monotonic()
    log(f"App IO back with {waiting} messages waiting for it")
    checked = invariants()
    recovered = time.monotonic() - back
    got, twice = json.loads(manage(IO_INBOXES.format(subject=subject)))
    if twice or got < FAMILIES:
        raise AssertionError(f"{got} of {FAMILIES} families got the App IO message, {twice} twice")
    return {"families": FAMILIES, "io_waiting": waiting, "io_received": got, "io_twice": twice,
            "recover_s": round(recovered, 1), "user_errors": 0, "invariants": len(checked)}


def worker_receipts() -> dict:
    """Receipts that come only by polling (the push lost) for notices paid at a PSP; SIGKILL the payments worker while
    the polling task settles them, start it again and poll again: every top-up credited exactly once."""
    n = max(20, min(200, FAMILIES // 5))
    positions = json.loads(manage(TOPUP.format(start=100, stop=100 + n, amount="12,00")))
    ids = ",".join(str(pk) for pk, _, _ in positions)
    wait(lambda: int(Postgres().query(f"select count(*) from payments_paymentposition where id in ({ids}) and status = 'VALID'")[0][0])
         == len(positions), 300, 1, "the notices published")
    sandbox("guasti/", {"no_push": True})
    navs = [nav for _, nav, _ in positions]
    paid = int(manage("from django.conf import settings\nfrom services.payments import sandbox\n"
                      f"print(sum(1 for nav in {navs!r} if sandbox.pay(nav, settings.PAGOPA_CREDITOR['fiscal_code'], 'PSP')))"))
    settled = f"select count(*) from payments_paymentposition where id in ({ids}) and settled_at is not null"
    poll = "from services.payments.tasks import poll_receipts\npoll_receipts.delay()\nprint('ok')"
    manage(poll)
    wait(lambda: int(Postgres().query(settled)[0][0]) >= max(1, n // 10), 300, 0.05, "the polling started settling")
    pid = stack.pid_of("worker-payments")
    os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
    at_kill = int(Postgres().query(settled)[0][0])
    killed = time.monotonic()
    log(f"killed the payments worker with {at_kill} of {paid} settled")
    wait(lambda: stack.pid_of("worker-payments"), 60, 0.5, "the payments worker started again")
    manage(poll)  # the next polling run, as beat sends it every 5 minutes
    wait(lambda: int(Postgres().query(settled)[0][0]) == paid, 300, 1, "every paid notice settled")
    recovered = time.monotonic() - killed
    sandbox("guasti/", {"no_push": False})
    checked = invariants()
    return {"notices": n, "paid": paid, "settled_at_kill": at_kill, "recover_s": round(recovered, 1), "user_errors": 0,
            "invariants": len(checked)}


DAY = "2026-11-25"  # a Wednesday in term


def postgres_charges() -> dict:
    """Restart PostgreSQL (fast shutdown: every connection cut) while the daily charges run; run them again: every
    child charged exactly once, every balance the sum of its entries."""
    code = ("import json\nfrom datetime import date\nfrom services.meals.charges import charge_day\n"
            f"r = charge_day(date.fromisoformat('{DAY}'), chunk=25)\nprint(json.dumps({{'charged': r['charged']}}))")
    meals = f"select count(*) from meals_ledgerentry where reference like 'meal:{DAY}:%'"
    before = int(Postgres().query(meals)[0][0])  # the demo's own families may have been charged for that day already
    first = subprocess.Popen([stack.PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=stack.ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    wait(lambda: int(Postgres().query(meals)[0][0]) > before, 120, 0.02, "the first charges committed")
    at_restart = int(Postgres().query(meals)[0][0]) - before
    restarted = time.monotonic()
    RUN["pg"].restart()
    log(f"PostgreSQL restarted with {at_restart} meals charged")
    out, _ = first.communicate(timeout=600)
    first_finished = first.returncode == 0
    rerun = json.loads(manage(code).strip())
    recovered = time.monotonic() - restarted
    charged = int(Postgres().query(meals)[0][0]) - before
    twice = int(Postgres().query(f"select count(*) from (select wallet_id, reference from meals_ledgerentry where reference "
                                 f"like 'meal:{DAY}:%' group by 1, 2 having count(*) > 1) d")[0][0])
    checked = invariants()
    if twice:
        raise AssertionError(f"{twice} meals charged twice")
    stack.ready(120)
    return {"charged_before_restart": at_restart, "first_run_survived": first_finished, "rerun_charged": rerun["charged"],
            "meals_charged": charged, "charged_twice": twice, "recover_s": round(recovered, 1), "invariants": len(checked)}


def backup_during_charges() -> dict:
    """`make backup` while the daily charges write; the backup restored into a new database and directory by
    `make restore`, which checks the rows the manifest counted in the dump's snapshot, the files and every invariant."""
    day = "2026-11-26"  # a Thursday in term, not charged by another scenario
    code = ("from datetime import date\nfrom services.meals.charges import charge_day\n"
            f"print(charge_day(date.fromisoformat('{day}'), chunk=25)['charged'])")
    meals = f"select count(*) from meals_ledgerentry where reference like 'meal:{day}:%'"
    before = int(Postgres().query(meals)[0][0])
    charges = subprocess.Popen([stack.PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=stack.ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait(lambda: int(Postgres().query(meals)[0][0]) > before, 120, 0.02, "the charges started")
    started = time.monotonic()
    done = subprocess.run([stack.PY, "manage.py", "backup", "--dest", str(FAULTS_DIR / "backups")], cwd=ROOT,
                          env=stack.ENV, capture_output=True, text=True, timeout=900)
    backup_s = time.monotonic() - started
    if done.returncode:
        raise AssertionError(f"the backup failed: {done.stderr[-800:]}")
    path = done.stdout.strip().splitlines()[-1].split()[0]
    in_snapshot = json.loads((Path(path) / "manifest.json").read_text())["rows"]["meals_ledgerentry"]
    charges.communicate(timeout=600)
    total = int(Postgres().query("select count(*) from meals_ledgerentry")[0][0])
    Postgres().execute("CREATE DATABASE sportello_restored")
    env = {**stack.ENV, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/sportello_restored",
           "PRIVATE_MEDIA_ROOT": str(FAULTS_DIR / "restored-private"), "MEDIA_ROOT": str(FAULTS_DIR / "restored-media")}
    started = time.monotonic()
    restored = subprocess.run([stack.PY, "manage.py", "restore", path], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=900)
    restore_s = time.monotonic() - started
    if restored.returncode:
        raise AssertionError(f"the restore failed: {restored.stderr[-800:]}")
    checked = invariants()
    return {"entries_in_snapshot": in_snapshot, "entries_after_charges": total, "backup_s": round(backup_s, 1), "restore_s": round(restore_s, 1),
            "restored": restored.stdout.strip().splitlines()[-1][:160], "user_errors": 0, "invariants": len(checked)}


TOPUP = """
import json
from django.contrib.auth import get_user_model
from services.meals.actions import topup_start
from services.payments import client
ids = []
for user in get_user_model().objects.filter(username__startswith="bench-m").order_by("pk")[{start}:{stop}]:
    position = topup_start(holder=user, amount="{amount}")
    ids.append([position.pk, position.nav, str(position.public_id)])
print(json.dumps(ids))
"""


def sandbox(path: str, body: dict | None = None, partner: str = "pagopa-sandbox") -> dict:
    request = urllib.request.Request(f"{stack.SITE}/{partner}/{path}", data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"}, method="POST" if body is not None else "GET")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def pagopa_down() -> dict:
    """pagoPA unavailable (every call 503) while citizens press *Paga*: each is told in Italian, nobody sees a 5xx, the
    notices wait. Back up: the notices are published, paid at a PSP with every receipt pushed twice, and each top-up is
    credited exactly once."""
    people = signed_in(30)
    positions = json.loads(manage(TOPUP.format(start=0, stop=30, amount="15,00")))
    sandbox("guasti/", {"unavailable": True})
    told = errors = 0
    for (key, _), (_pk, _nav, public_id) in zip(people, positions, strict=False):
        # a browser: keeps the cookies it is given (the message travels in one) and follows the redirect
        with httpx.Client(base_url=stack.SITE, cookies={"sessionid": key, "csrftoken": CSRF}, follow_redirects=True,
                          timeout=30) as browser:
            try:
                response = browser.post(f"/area-personale/pagamenti/{public_id}/paga/", headers={"X-CSRFToken": CSRF})
            except httpx.HTTPError:
                errors += 1
                continue
        errors += response.status_code >= 500
        told += "pagoPA non è raggiungibile" in response.text
    sandbox("guasti/", {"unavailable": False, "duplicate_push": True})
    back = time.monotonic()
    manage("from services.payments.actions import positions_publish_stuck\nfrom datetime import timedelta\n"
           "from django.utils import timezone\nprint(positions_publish_stuck(now=timezone.now() + timedelta(minutes=2)))")
    navs = [nav for _, nav, _ in reversed(positions)]  # paid, and their receipts pushed, in the reverse order
    paid = int(manage("from django.conf import settings\nfrom services.payments import sandbox\npaid = 0\n"
                      f"for nav in {navs!r}:\n"
                      "    receipt = sandbox.pay(nav, settings.PAGOPA_CREDITOR['fiscal_code'], 'PSP di prova')\n"
                      "    if receipt:\n        sandbox.push(receipt)\n        paid += 1\n"
                      "print(paid)"))
    if paid != len(positions):
        raise AssertionError(f"the sandbox could pay {paid} of {len(positions)} notices: some were never published")
    wait(lambda: int(Postgres().query("select count(*) from payments_paymentposition where purpose = 'wallet-topup' "
                                      "and status = 'PAID' and settled_at is not null")[0][0]) >= paid, 300, 2, "credited")
    recovered = time.monotonic() - back
    sandbox("guasti/", {"duplicate_push": False})
    checked = invariants()
    if errors or told != len(positions):
        raise AssertionError(f"{errors} citizens saw a 5xx, {told} of {len(positions)} were told pagoPA is unreachable")
    return {"citizens": len(positions), "told_in_italian": told, "user_errors": errors, "paid": paid,
            "recover_s": round(recovered, 1), "invariants": len(checked)}


def gunicorn_submit() -> dict:
    """Citizens press *Invia* on a complete application while a gunicorn worker is SIGKILLed; whoever saw an error (a
    502 from nginx) presses it again. Every application is numbered once, with its history; none half-submitted."""
    people = signed_in(60, ready=True)
    results: dict[str, int] = {}
    lock = threading.Lock()

    def press(key: str, draft: str) -> int:
        request = urllib.request.Request(f"{stack.SITE}/area-personale/pratiche/{draft}/invia/", data=b"", method="POST",
                                         headers={"Cookie": f"sessionid={key}; csrftoken={CSRF}", "X-CSRFToken": CSRF,
                                                  "Referer": stack.SITE + "/"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 599

    def citizen(key, draft):
        with lock:
            results[draft] = press(key, draft)

    master = stack.pid_of("web-1")
    children = [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    threads = [threading.Thread(target=citizen, args=row) for row in people]
    for n, thread in enumerate(threads):
        thread.start()
        if n == len(threads) // 3:
            os.kill(children[0], signal.SIGKILL)
            log(f"killed gunicorn worker {children[0]} of web-1")
        time.sleep(0.01)
    for thread in threads:
        thread.join()
    failed = [draft for draft, status in results.items() if status >= 500]
    retried = {draft: press(key, draft) for key, draft in people if draft in failed}
    numbers = Postgres().query("select count(*), count(distinct number) from istanze_istanza where procedure_code = "
                               "'SERV06_UTENTI' and status = 'inviata'")[0]
    checked = invariants()
    if any(status >= 500 for status in retried.values()):
        raise AssertionError(f"pressing Invia again failed: {retried}")
    if numbers[0] < len(people) or numbers[0] != numbers[1]:
        raise AssertionError(f"{numbers[0]} of {len(people)} applications submitted, {numbers[1]} distinct numbers")
    return {"citizens": len(people), "errors_seen": len(failed), "pressed_again": len(retried),
            "submitted": numbers[0], "distinct_numbers": numbers[1], "invariants": len(checked)}


BEAT_BACK = """
import shelve
from datetime import timedelta
path = "{path}"
with shelve.open(path, writeback=True) as db:
    for entry in db["entries"].values():
        if entry.last_run_at is not None:
            entry.last_run_at = entry.last_run_at - timedelta(hours=1)
    print(len(db["entries"]))
"""


def beat_catch_up() -> dict:
    """Beat stopped for an hour: stop it, move every entry's last run an hour back (what an hour of downtime leaves in
    its schedule), start it. Each job is sent once — not once per missed run — and the 10-second sweep about every 10 s."""
    RUN["supervisor"].paused.add("beat")  # as `systemctl stop sportello-beat`
    os.kill(stack.pid_of("beat"), signal.SIGTERM)
    wait(lambda: stack.pid_of("beat") is None, 30, 0.5, "beat stopped")  # it releases its lock as it stops
    entries = int(manage(BEAT_BACK.format(path=stack.STACK / "celerybeat-schedule")))
    # the 35 s watched below stay inside one minute: a crontab job due on the minute (refresh-io-statuses, */10) is
    # then sent for the missed hour only, not also for a new run that falls in the window
    second = time.localtime().tm_sec
    if second > 15:
        time.sleep(62 - second)
    beat_log = stack.LOGS / "beat.log"
    offset = beat_log.stat().st_size
    stack.start_beat()
    RUN["supervisor"].paused.discard("beat")
    time.sleep(35)
    with open(beat_log) as handle:
        handle.seek(offset)
        sent = re.findall(r"Sending due task ([\w.-]+) ", handle.read())
    counts = {name: sent.count(name) for name in set(sent)}
    if not stack.pid_of("beat") or not counts:
        raise AssertionError(f"beat did not start again or sent nothing: see {beat_log}")
    too_many = {name: n for name, n in counts.items() if n > (5 if name == "requeue-messages" else 1)}
    if too_many:
        raise AssertionError(f"missed runs sent more than once: {too_many}")
    return {"entries": entries, "sent_after_restart": len(sent), "most_for_one_job": max(counts.values(), default=0),
            "jobs": len(counts)}


ALL = {"worker_broadcast": worker_broadcast, "worker_receipts": worker_receipts, "redis_restart": redis_restart,
       "postgres_charges": postgres_charges, "backup_during_charges": backup_during_charges,
       "pagopa_down": pagopa_down, "io_down": io_down,
       "gunicorn_submit": gunicorn_submit, "beat_catch_up": beat_catch_up}
RUN: dict = {}


def report(results: dict, seconds: float) -> None:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [f"Run of {when} ({seconds / 60:.1f} min in all), {FAMILIES:,} families, nginx + 2 gunicorn nodes + a worker "
            "per queue + beat, on a PostgreSQL cluster and a Redis of the run's own.", "",
            "| scenario | fault | what was measured | errors seen by people | time to recover | restarted (systemd's part) | invariants |",
            "|---|---|---|---:|---:|---|---|"]
    described = {
        "worker_broadcast": ("SIGKILL of the messages worker at a quarter of a broadcast",
                             lambda r: f"{r['messages']:,} messages, {r['dispatches']:,} dispatches, none twice"),
        "worker_receipts": ("SIGKILL of the payments worker while polled receipts are settled",
                            lambda r: f"{r['paid']} notices paid, {r['settled_at_kill']} settled at the kill, each credited once"),
        "redis_restart": ("SIGKILL of Redis, 5 s down, under load and during a broadcast",
                          lambda r: f"{r['served']:,} requests served in {r['seconds']} s, people stayed signed in"),
        "io_down": ("App IO 503 during a broadcast", lambda r: f"{r['io_waiting']:,} App IO messages waited, "
                                                              f"{r['io_received']:,} received, {r['io_twice']} twice"),
        "postgres_charges": ("PostgreSQL restarted during the daily charges",
                             lambda r: f"{r['charged_before_restart']:,} charged before the restart, the run "
                                       f"{'finished all the same' if r['first_run_survived'] else 'cut'}, "
                                       f"{r['meals_charged']:,} after the re-run, {r['charged_twice']} twice"),
        "backup_during_charges": ("make backup while the daily charges write, restored into a new database",
                                  lambda r: f"backed up in {r['backup_s']} s with {r['entries_in_snapshot']:,} of "
                                            f"{r['entries_after_charges']:,} ledger entries, restored and checked in "
                                            f"{r['restore_s']} s"),
        "pagopa_down": ("pagoPA 503 while citizens pay, then receipts pushed twice, in reverse order",
                        lambda r: f"{r['told_in_italian']}/{r['citizens']} told in Italian, {r['paid']} paid, each credited once"),
        "gunicorn_submit": ("SIGKILL of a gunicorn worker during *Invia*",
                            lambda r: f"{r['submitted']} submitted, {r['distinct_numbers']} distinct numbers, "
                                      f"{r['pressed_again']} pressed again"),
        "beat_catch_up": ("beat down for an hour", lambda r: f"{r['jobs']} jobs sent {r['sent_after_restart']} times in 35 s "
                                                             f"(at most {r['most_for_one_job']} for one)"),
    }
    for name, result in results.items():
        fault, measured = described[name]
        if "error" in result:
            rows.append(f"| {name} | {fault} | **FAILED**: {result['error'][:200]} | | | | broken |")
            continue
        errors = result.get("user_errors", result.get("errors_seen", 0))
        recover = f"{result['recover_s']} s" if "recover_s" in result else "—"
        restarted = ", ".join(f"{k} ×{n}" for k, n in result.get("restarted", {}).items()) or "—"
        rows.append(f"| {name} | {fault} | {measured(result)} | {errors} | {recover} | {restarted} | "
                    f"{result.get('invariants', '—')} hold |")
    table = "\n".join(rows)
    print(table)
    readme_section("faults", table)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "faults.json").write_text(json.dumps({"when": when, "families": FAMILIES, **results}, indent=2))


def main() -> int:
    if PG_BIN is None or not shutil.which("redis-server"):
        raise SystemExit("make faults needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin) and redis-server")
    started = time.monotonic()
    pg, redis = Postgres(), Redis()
    RUN.update(pg=pg, redis=redis)
    results, failed = {}, False
    try:
        log(f"PostgreSQL on {PG_PORT} and Redis on {REDIS_PORT} in {FAULTS_DIR}")
        pg.init()
        redis.start()
        stack.up(2)
        stack.ready(180)
        manage(FAMILIES_SETUP.format(families=FAMILIES), timeout=1200)
        log(f"stack up with {FAMILIES:,} families")
        supervisor = RUN["supervisor"] = Supervisor()
        supervisor.start()
        for name in SCENARIOS or list(ALL):
            log(f"scenario {name}")
            before = dict(supervisor.restarts)
            try:
                results[name] = ALL[name]()
                results[name]["restarted"] = {k: n - before.get(k, 0) for k, n in supervisor.restarts.items()
                                              if n - before.get(k, 0)}
                log(f"{name}: {results[name]}")
            except Exception as error:  # noqa: BLE001 - every scenario runs and is reported; the run fails at the end
                failed = True
                results[name] = {"error": f"{type(error).__name__}: {error}"}
                log(f"{name} FAILED: {error}")
    finally:
        if "supervisor" in RUN:
            RUN["supervisor"].stopping.set()
            RUN["supervisor"].join()
        stack.down()
        redis.stop()
        pg.stop()
        if not os.environ.get("FAULTS_KEEP"):
            shutil.rmtree(FAULTS_DIR, ignore_errors=True)
    report(results, time.monotonic() - started)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Builder benchmark: a built procedure's step save against a coded one's, in the same run (issue 33: at most 1.5×).

Usage: make bench-builder   (SQLite file under var/, no other service). The built procedure is the demo's *Rimborso
del credito del conto mensa* (services/builder/data/rimborso-mensa.json), published as an office would; the coded one
is the same two steps written by hand as Django forms and registered in the engine like the coded procedures, so the
difference is the builder's own work: forms made from the definition, conditions evaluated as data, the version
looked up. For BENCH_DRAFTS drafts of each, alternated, it times the POST of step 1 (name, codice fiscale, amount,
reason, and the explanation asked only for «altro») and of step 2 (IBAN, holder, declaration), and counts the SQL
queries. Writes bench/results/builder.json and the table between the builder markers of bench/README.md.
"""

import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DRAFTS = int(os.environ.get("BENCH_DRAFTS", "60"))
DB_FILE = ROOT / "var" / "bench-builder.sqlite3"
CODED = "RIMBORSO_CODED"
BUILT = "RIMBORSO_MENSA"
STEP1 = {"nome": "Giulia", "cognome": "Rossi", "codice_fiscale": "RSSGLI15M41H501Z", "importo": "35,40", "motivo": "altro",
         "motivo_altro": "Cambio di scuola a metà anno"}
STEP2 = {"iban": "IT60X0542811101000000123456", "intestatario": "Maria Rossi", "intestato_a_me": "on"}


def setup():
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
    os.environ.pop("CELERY_BROKER_URL", None)
    DB_FILE.parent.mkdir(parents=True, exist_ok=True)  # var/ is not in a fresh clone
    DB_FILE.unlink(missing_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    import datetime
    from zoneinfo import ZoneInfo

    from services.core import demo as demo_loaders

    context = demo_loaders.Context(today=datetime.datetime.now(ZoneInfo("Europe/Rome")).date())
    for loader in demo_loaders.loaders():
        if loader.name in ("accounts.offices", "builder.procedures"):
            loader.load(context)
    register_coded()


def register_coded():
    """The refund written by hand, as a developer would: the same fields, rules and messages."""
    from django import forms

    from services.builder.procedure import IbanField
    from services.core.forms import EuroField, FiscalCodeField, SportelloForm
    from services.istanze import registry
    from services.istanze.forms import DeclarationsForm

    class Alunno(SportelloForm):
        nome = forms.CharField(label="Nome del figlio", max_length=60)
        cognome = forms.CharField(label="Cognome del figlio", max_length=60)
        codice_fiscale = FiscalCodeField(label="Codice fiscale del figlio")
        importo = EuroField(label="Credito da rimborsare (euro)")
        motivo = forms.ChoiceField(label="Motivo", widget=forms.RadioSelect, choices=[
            ("fine_servizio", "Mio figlio non usa più la mensa"), ("trasferimento", "Ci trasferiamo in un altro Comune"),
            ("altro", "Altro motivo")])
        motivo_altro = forms.CharField(label="Spiega il motivo", widget=forms.Textarea, max_length=500, required=False)

        def clean(self):
            cleaned = super().clean()
            if cleaned.get("motivo") == "altro" and not cleaned.get("motivo_altro"):
                self.add_error("motivo_altro", "Questo campo è obbligatorio: compilalo per proseguire.")
            elif cleaned.get("motivo") != "altro":
                cleaned["motivo_altro"] = None
            return cleaned

    class Accredito(SportelloForm):
        iban = IbanField(label="IBAN", max_length=40)
        intestatario = forms.CharField(label="Intestatario del conto", max_length=120)
        intestato_a_me = forms.BooleanField(label="Dichiaro che il conto è intestato o cointestato a me")

    registry.register(registry.Procedure(
        code=CODED, title="Rimborso (scritto a mano)", category="Banco di prova", steps=(
            registry.Step("alunno", "Conto mensa", Alunno), registry.Step("accredito", "Conto per l'accredito", Accredito),
            registry.Step("dichiarazioni", "Dichiarazioni", DeclarationsForm))))


def post(client, url, step, data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    payload = {"istanza-current_step": step, "azione": "avanti", **{f"{step}-{k}": v for k, v in data.items()}}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(url, payload)
        elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"{step} of {url} answered {response.status_code}: the step was not valid")
    return elapsed * 1000, len(queries.captured_queries)


def measure():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from services.istanze.models import Istanza

    settings.PROCEDURE_WINDOWS = {}
    user, _ = get_user_model().objects.get_or_create(username="RSSMRA85C52H501N", defaults={
        "fiscal_code": "RSSMRA85C52H501N", "fiscal_code_source": "spid", "assurance_level": 2})
    client = Client()
    client.force_login(user)
    session = client.session
    session["auth_method"], session["auth_level"] = "spid", 2
    session.save()
    times = {(kind, step): [] for kind in (CODED, BUILT) for step in ("alunno", "accredito")}
    queries = {key: [] for key in times}
    for n in range(DRAFTS * 2 + 2):
        code = (CODED, BUILT)[n % 2]
        Istanza.objects.filter(owner=user, procedure_code=code).delete()
        client.post(f"/area-personale/pratiche/nuova/{code}/", {"scelta": "nuova"})
        istanza = Istanza.objects.filter(owner=user, procedure_code=code).latest("pk")
        url = f"/area-personale/pratiche/{istanza.public_id}/compila/"
        for step, data in (("alunno", STEP1), ("accredito", STEP2)):
            ms, q = post(client, url, step, data)
            if n >= 2:  # the first draft of each warms the process (forms built, templates compiled)
                times[(code, step)].append(ms)
                queries[(code, step)].append(q)
    return times, queries


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def main():
    setup()
    times, queries = measure()
    from bench.pages import machine, readme_section

    result = {"at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "drafts": DRAFTS, "steps": {}}
    lines = [f"Run of {result['at']} on {result['machine']}; this bench uses a SQLite file, not PostgreSQL.",
             f"{DRAFTS} drafts of each procedure, alternated, one process; the step's POST through the test client.", "",
             "| step | coded median / p95 | built median / p95 | built ÷ coded (median) | SQL queries coded / built |",
             "|---|---:|---:|---:|---:|"]
    for step, label in (("alunno", "1 · child, amount, reason (a condition on the same page)"),
                        ("accredito", "2 · IBAN, holder, declaration")):
        coded, built = times[(CODED, step)], times[(BUILT, step)]
        ratio = statistics.median(built) / statistics.median(coded)
        result["steps"][step] = {"coded_median_ms": round(statistics.median(coded), 1), "coded_p95_ms": round(p95(coded), 1),
                                 "built_median_ms": round(statistics.median(built), 1), "built_p95_ms": round(p95(built), 1),
                                 "ratio": round(ratio, 2), "coded_queries": max(queries[(CODED, step)]),
                                 "built_queries": max(queries[(BUILT, step)])}
        s = result["steps"][step]
        lines.append(f"| {label} | {s['coded_median_ms']:.1f} / {s['coded_p95_ms']:.1f} ms | {s['built_median_ms']:.1f} / "
                     f"{s['built_p95_ms']:.1f} ms | **{s['ratio']:.2f}×** | {s['coded_queries']} / {s['built_queries']} |")
    (ROOT / "bench" / "results" / "builder.json").write_text(json.dumps(result, indent=2) + "\n")
    readme_section("builder", "\n".join(lines) + "\n")
    print("\n".join(lines))
    worst = max(s["ratio"] for s in result["steps"].values())
    if worst > 1.5:
        raise SystemExit(f"the built procedure costs {worst:.2f}× the coded one: over the 1.5× budget")


if __name__ == "__main__":
    main()

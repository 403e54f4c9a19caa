"""Wizard load: each simulated citizen files SERV06_UTENTI applications one after another.

Run by bench/wizard.py (`make bench-wizard`); sessions come from var/bench-sessions.json.
Only the POSTs are measured: step saves and submissions, as DESIGN §6 asks. Redirects are not followed.
"""

import itertools
import json
import os
import random

from locust import FastHttpUser, between, task

SESSIONS = json.load(open(os.environ.get("BENCH_SESSIONS", "var/bench-sessions.json")))
_next = itertools.count()
CSRF = "benchbenchbenchbenchbenchbench12"  # 32 characters: accepted as the unmasked secret
WAIT = [float(x) for x in os.environ.get("BENCH_WAIT", "0.5,1.5").split(",")]

COMUNE = {
    "comune-provincia": "AN", "comune-comune": "A271", "comune-cap": "60121", "comune-indirizzo": "Piazza XXIV Maggio 1",
    "comune-codice_fiscale_comune": "00351040423", "comune-pec": "comune@pec.example.it", "comune-rup_nome": "Chiara Galli",
    "comune-rup_email": "rup@example.it", "comune-rup_telefono": "0712223333",
}
UTENTI = {
    "utenti-TOTAL_FORMS": "2", "utenti-INITIAL_FORMS": "0", "utenti-MIN_NUM_FORMS": "1", "utenti-MAX_NUM_FORMS": "50",
    "utenti-0-nome": "Luca", "utenti-0-cognome": "Bianchi", "utenti-0-codice_fiscale": "BNCLCU82S02A271A",
    "utenti-0-data_nascita": "02/11/1982", "utenti-0-email": "luca@example.it", "utenti-0-telefono": "3331234567",
    "utenti-0-ha_credenziali": "on",
    "utenti-1-nome": "Giulia", "utenti-1-cognome": "Esposito", "utenti-1-codice_fiscale": "SPSGLI75L65F839U",
    "utenti-1-data_nascita": "25/07/1975", "utenti-1-email": "giulia@example.it", "utenti-1-telefono": "3337654321",
}


class SignedInCitizen(FastHttpUser):
    """A citizen with one of the prepared sessions and the CSRF token every POST carries (bench/capacity.py too)."""

    abstract = True
    wait_time = between(*WAIT)

    def on_start(self):
        self.session_key = SESSIONS[next(_next) % len(SESSIONS)]
        self.headers = {"Cookie": f"sessionid={self.session_key}; csrftoken={CSRF}", "Referer": self.host + "/",
                        "X-CSRFToken": CSRF}


class Citizen(SignedInCitizen):

    def post(self, path, data, name):
        with self.client.post(path, data=data, headers=self.headers, allow_redirects=False, name=name, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}")
                return None
            return response.headers.get("Location", "")

    @task
    def file_an_application(self):
        location = self.post("/area-personale/pratiche/nuova/SERV06_UTENTI/", {"scelta": "nuova"}, "start")
        if not location or "/compila/" not in location:
            return
        compile_url = location
        steps = [
            ({"istanza-current_step": "privacy", "azione": "avanti", "privacy-accetta": "on"}, "step privacy"),
            ({"istanza-current_step": "comune", "azione": "avanti", **COMUNE}, "step comune"),
        ]
        if random.random() < 0.3:  # some citizens save a draft on the way
            steps.insert(1, ({"istanza-current_step": "comune", "azione": "bozza", **COMUNE}, "salva in bozza"))
        for data, name in steps:
            self.wait()
            if self.post(compile_url, data, name) is None:
                return
        self.wait()
        summary = self.post(compile_url, {"istanza-current_step": "utenti", "azione": "avanti", **UTENTI}, "step utenti + salva e prosegui")
        if not summary or not summary.endswith("/riepilogo/"):
            return
        self.wait()
        self.post(summary.replace("/riepilogo/", "/invia/"), {}, "invia")

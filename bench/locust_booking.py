"""Booking load: each simulated citizen (signed in) goes through the steps once and tries to book one of the same 20
slots of one place. Run by bench/booking.py (`make bench-booking`). Redirects are not followed; a refused time is
answered 400 with "Posto non più disponibile" and the next free times, and counted as a refusal, not a failure."""

import json
import os
import random

import gevent
from locust import FastHttpUser, constant, task

SETUP = json.load(open(os.environ.get("BENCH_BOOKING", "var/bench-booking.json")))
CSRF = "benchbenchbenchbenchbenchbench12"
_next = iter(range(10**9))
WAIT = [float(x) for x in os.environ.get("BENCH_WAIT", "0.5,1.5").split(",")]


class Citizen(FastHttpUser):
    wait_time = constant(3600)  # one attempt each: the run ends long before a second one

    def on_start(self):
        key, self.email = SETUP["sessions"][next(_next) % len(SETUP["sessions"])]
        self.headers = {"Cookie": f"sessionid={key}; csrftoken={CSRF}", "Referer": self.host + "/", "X-CSRFToken": CSRF}

    def post(self, path, data, name, refused_text=""):
        gevent.sleep(random.uniform(*WAIT))  # a person reads the page before answering it
        with self.client.post(path, data=data, headers=self.headers, allow_redirects=False, name=name, catch_response=True) as response:
            if response.status_code == 302:
                return response.headers.get("Location", "")
            if refused_text and refused_text in (response.text or ""):
                response.success()
                self.environment.events.request.fire(request_type="REFUSED", name=name, response_time=0, response_length=0,
                                                     exception=None, context={})
                return None
            response.failure(f"{response.status_code}")
            return None

    @task
    def book_once(self):
        slot = random.choice(SETUP["slots"])
        if self.post("/prenota-appuntamento/", {"servizio": SETUP["service"], "tipo": SETUP["type"]}, "start") and \
                self.post("/prenota-appuntamento/luogo/", {"ufficio": SETUP["office"]}, "luogo") and \
                self.post("/prenota-appuntamento/data/", {"orario": slot}, "scegli l'orario (tiene il posto)", "Posto non più disponibile") and \
                self.post("/prenota-appuntamento/dettagli/", {"reason": "Prova di carico"}, "dettagli") and \
                self.post("/prenota-appuntamento/richiedente/", {"first_name": "Bench", "last_name": "Citizen",
                                                                  "email": self.email},
                          "richiedente"):
            location = self.post("/prenota-appuntamento/riepilogo/", {}, "prenota")
            if location and location.endswith("/data/"):  # refused at the booking itself
                self.environment.events.request.fire(request_type="REFUSED", name="prenota", response_time=0, response_length=0,
                                                     exception=None, context={})

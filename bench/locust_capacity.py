"""Capacity: the wizard (or the top-up flow) at a rising number of citizens, one step at a time (bench/capacity.py).

Each step holds its number of citizens for CAPACITY_SETTLE + CAPACITY_MEASURE seconds; the statistics are reset when
the settling ends, and written to CAPACITY_OUT (one JSON line per step) when the step ends. CAPACITY_FLOW picks the
citizen: `wizard` files SERV06_UTENTI applications (bench/locustfile.py), `topup` tops up the meal account through the
pagoPA sandbox's Checkout and reads the return page until the credit shows.
"""

import json
import os
import random
import time

from locust import LoadTestShape, task

from bench import locustfile as wizard

FLOW = os.environ.get("CAPACITY_FLOW", "wizard")
STEPS = [int(x) for x in os.environ.get("CAPACITY_STEPS", "50,100,150,200,250,300").split(",")]
SETTLE = float(os.environ.get("CAPACITY_SETTLE", "8"))
MEASURE = float(os.environ.get("CAPACITY_MEASURE", "22"))
OUT = os.environ.get("CAPACITY_OUT", "var/capacity-steps.jsonl")
WARMUP = float(os.environ.get("CAPACITY_WARMUP", "15"))  # at the first step's size, not recorded: caches, connections


class TopUpCitizen(wizard.SignedInCitizen):
    """Form → pagoPA Checkout (the sandbox, which pushes the receipt) → return page with the credit."""

    @task
    def top_up(self):
        amount = f"{random.randint(10, 90)},{random.randint(0, 99):02d}"
        with self.client.post("/area-personale/conto-mensa/ricarica/", data={"amount": amount, "how": "online"},
                              headers=self.headers, allow_redirects=False, name="ricarica", catch_response=True) as r:
            checkout = r.headers.get("Location", "")
            if r.status_code != 302 or "/pagopa-sandbox/checkout/" not in checkout:
                r.failure(f"{r.status_code} {checkout[:60]}")
                return
        self.wait()
        with self.client.post(checkout.removeprefix(self.host), data={"esito": "paga"}, allow_redirects=False,
                              name="Checkout: paga (sandbox, push della ricevuta)", catch_response=True) as r:
            back = r.headers.get("Location", "")
            if r.status_code != 302 or "esito=ok" not in back:
                r.failure(f"{r.status_code} {back[:60]}")
                return
        with self.client.get(back.removeprefix(self.host), headers=self.headers, name="esito (credito accreditato)",
                             catch_response=True) as r:
            if r.status_code != 200 or "ricevuto" not in r.text:
                r.failure(f"{r.status_code}: credit not shown")


class Steps(LoadTestShape):
    def __init__(self):
        super().__init__()
        self.step = -1
        self.measuring_since = None

    def tick(self):
        elapsed = self.get_run_time() - WARMUP
        if elapsed < 0:
            return STEPS[0], max(STEPS[0], 50)
        step = int(elapsed // (SETTLE + MEASURE))
        if step != self.step:
            self.record()
            self.step, self.measuring_since = step, None
        if step >= len(STEPS):
            return None
        if self.measuring_since is None and elapsed - step * (SETTLE + MEASURE) >= SETTLE:
            self.runner.stats.reset_all()
            self.measuring_since = time.monotonic()
        return STEPS[step], max(STEPS[0], 50)

    def record(self):
        if self.step < 0 or self.measuring_since is None or self.step >= len(STEPS):
            return
        seconds = time.monotonic() - self.measuring_since
        stats = self.runner.stats
        rows = {}
        for (name, _method), entry in stats.entries.items():
            rows[name] = {"count": entry.num_requests, "failures": entry.num_failures,
                          "p50": entry.get_response_time_percentile(0.5), "p95": entry.get_response_time_percentile(0.95)}
        total = stats.total
        line = {"users": STEPS[self.step], "seconds": round(seconds, 1), "requests": total.num_requests,
                "failures": total.num_failures, "p95": total.get_response_time_percentile(0.95), "rows": rows,
                "errors": [f"{e.name}: {e.error}" for e in stats.errors.values()][:5]}
        with open(OUT, "a") as handle:
            handle.write(json.dumps(line) + "\n")


# The citizen of this run: locust takes every User class it finds in the file's globals.
if FLOW == "wizard":
    Citizen = wizard.Citizen
    del TopUpCitizen

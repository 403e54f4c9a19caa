"""The messages benchmark serves the App IO sandbox alone, without the site's middleware (config/settings/
bench_io_sandbox.py): its API must answer there as it does inside the site."""

import subprocess
import sys
from pathlib import Path

import pytest

from services.notifications import io_sandbox

KEY = {"HTTP_OCP_APIM_SUBSCRIPTION_KEY": "io-sandbox-default"}


@pytest.fixture
def alone(settings):
    settings.MIDDLEWARE = ["allauth.account.middleware.AccountMiddleware"]
    settings.ROOT_URLCONF = "bench.io_sandbox_urls"
    io_sandbox.reset()


def test_the_sandbox_api_answers_without_the_sites_middleware(alone, client):
    profile = client.post("/io-sandbox/api/v1/profiles", {"fiscal_code": "BNCMSG0000000001"}, content_type="application/json", **KEY)
    assert profile.status_code == 200 and profile.json()["sender_allowed"] is True

    sent = client.post("/io-sandbox/api/v1/messages", {"fiscal_code": "BNCMSG0000000001", "content": {
        "subject": "Mensa chiusa domani per lo sciopero", "markdown": "La mensa resta chiusa domani per uno sciopero del personale: "
        "i bambini escono alle 12:30. Ci scusiamo per il disagio arrecato alle famiglie."}}, content_type="application/json", **KEY)
    assert sent.status_code == 201
    status = client.get(f"/io-sandbox/api/v1/messages/BNCMSG0000000001/{sent.json()['id']}", **KEY)
    assert status.json()["status"] == "PROCESSED"

    assert client.post("/io-sandbox/api/v1/messages", {}, content_type="application/json").status_code == 401
    assert client.get("/bench/hello/").status_code == 200  # what the benchmark waits for before it starts


def test_the_benchmarks_sandbox_settings_start(tmp_path):
    from bench.messages import ENV  # what the benchmark starts its sandbox with, on a database of the test's own

    env = {**{k: v for k, v in ENV.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
           "DJANGO_SETTINGS_MODULE": "config.settings.bench_io_sandbox", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    code = ("import django; django.setup(); from django.conf import settings; from django.urls import resolve; "
            "print(len(settings.MIDDLEWARE), resolve('/io-sandbox/api/v1/messages').func.__name__)")
    result = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["1", "submit"]

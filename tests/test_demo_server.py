"""`make run` serves the demo as production serves it: the real server (gunicorn, one process with
threads, config.settings.demo) on a fresh SQLite database, no debug pages, compressed static files
with far-future caching, compressed HTML."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "CELERY_BROKER_URL")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.demo", "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
                "STATIC_ROOT": str(tmp / "static")})
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True, capture_output=True)
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                             "--workers", "1", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"],
                            cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            httpx.get(base + "/robots.txt", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait()


def test_the_demo_settings_are_not_debug_settings():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.demo"}
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.DEMO, s.STORAGES['staticfiles']['BACKEND'], s.SPID_DEMO_IDP_ENABLED, s.PAGOPA_SANDBOX_ENABLED, "
            "s.IO_SANDBOX_ENABLED, s.MIDDLEWARE[0])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "whitenoise.storage.CompressedManifestStaticFilesStorage", "True", "True", "True",
                   "django.middleware.gzip.GZipMiddleware"]


def test_an_unknown_address_shows_the_sites_404_page(demo_server):
    response = httpx.get(demo_server + "/pagina-che-non-esiste/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 404 and "Pagina non trovata" in response.text and 'name="q"' in response.text
    assert "Page not found" not in response.text and "DEBUG = True" not in response.text
    assert response.headers["content-encoding"] == "gzip" and "default-src 'self'" in response.headers["content-security-policy"]


def test_static_files_go_out_compressed_and_cached_for_a_year(demo_server):
    page = httpx.get(demo_server + "/pagina-che-non-esiste/").text
    script = re.search(r'src="(/static/js/bootstrap-italia\.min\.[0-9a-f]{12}\.js)"', page).group(1)
    response = httpx.get(demo_server + script, headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200 and response.headers["content-encoding"] in ("br", "gzip")
    assert "immutable" in response.headers["cache-control"] and "max-age=315360000" in response.headers["cache-control"]
    fonts = re.search(r'href="(/static/css/fonts\.[0-9a-f]{12}\.css)"', page).group(1)
    assert re.search(r"url\(['\"]?\.\./fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular\.[0-9a-f]{12}\.woff2",
                     httpx.get(demo_server + fonts).text)

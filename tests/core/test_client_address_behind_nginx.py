"""One notion of the client's address (issue 24): behind site/nginx.conf, as shipped, two visitors from two addresses are
counted apart by allauth's login back-off; before, every visitor was nginx's own address and ten wrong passwords locked
staff login for everyone. nginx runs on loopback in front of the live test server, trusting exactly that one hop."""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from django.test import override_settings

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx (.ci/run and make system-deps install it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _nginx_conf(folder: Path, port: int, upstream: int) -> str:
    """site/nginx.conf on loopback over plain HTTP: the TLS server without TLS, paths in a temporary folder."""
    conf = (ROOT / "site" / "nginx.conf").read_text()
    conf = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", conf, count=1, flags=re.S)
    conf = re.sub(r"\n\s*(http2 on|ssl_\w+ [^;]*);", "", conf)
    for old, new in {"listen 443 ssl http2;": f"listen 127.0.0.1:{port};", "/var/cache/nginx/sportello": str(folder / "cache"),
                     "/srv/sportello/static_collected/": str(folder) + "/", "/srv/sportello/media/": str(folder) + "/",
                     "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};", "__Host-sessionid=": "sessionid=",
                     # Django's live server closes idle connections that gunicorn keeps: no upstream keep-alive here
                     "keepalive 32;": ""}.items():
        assert old in conf, f"site/nginx.conf no longer has {old!r}"
        conf = conf.replace(old, new)
    return main_context(folder, conf)


def main_context(folder: Path, http: str) -> str:
    """`http` (upstreams and servers) inside a minimal nginx main context whose paths are all in `folder`."""
    temp = folder / "tmp"
    # As root (CI), nginx's workers would run as nobody and could not use the test's private folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
            "events { worker_connections 64; }\n"
            f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n client_body_temp_path {temp}/body;\n"
            f" proxy_temp_path {temp}/proxy;\n fastcgi_temp_path {temp}/fastcgi;\n uwsgi_temp_path {temp}/uwsgi;\n"
            f" scgi_temp_path {temp}/scgi;\n{http}\n}}\n")


@contextlib.contextmanager
def running(folder: Path, conf: str, port: int):
    """nginx with `conf`, checked first, answering on `port` until the block ends."""
    (folder / "tmp").mkdir(exist_ok=True)
    (folder / "nginx.conf").write_text(conf)
    subprocess.run(["nginx", "-t", "-q", "-c", str(folder / "nginx.conf")], check=True)
    proc = subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf"), "-g", "daemon off;"])
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def nginx(live_server, tmp_path):
    port = _free_port()
    upstream = int(live_server.url.rsplit(":", 1)[1])
    with running(tmp_path, _nginx_conf(tmp_path, port, upstream), port):
        yield f"http://127.0.0.1:{port}"


def _visitor(base: str, address: str) -> httpx.Client:
    """A browser on its own loopback address (127.0.0.0/8 is all ours)."""
    return httpx.Client(base_url=base, transport=httpx.HTTPTransport(local_address=address), timeout=20)


def _wrong_login(browser: httpx.Client, n: int) -> str:
    page = browser.get("/account/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post("/account/login/", data={"csrfmiddlewaretoken": token, "login": f"nessuno{n}@example.it",
                                                     "password": "sbagliata-1234567"}, headers={"Referer": str(page.url)})
    return response.text


@pytest.mark.django_db(transaction=True)
def test_two_visitors_behind_nginx_are_counted_apart(nginx):
    with override_settings(TRUSTED_PROXY_COUNT=1), _visitor(nginx, "127.0.0.2") as first, _visitor(nginx, "127.0.0.3") as second:
        said = [_wrong_login(first, n) for n in range(11)]
        assert "Troppi tentativi" not in said[0] and "Troppi tentativi" in said[-1]  # 10 per 15 minutes per address
        # the other visitor, through the same nginx, is not locked out by the first
        other = _wrong_login(second, 99)
        assert "Troppi tentativi" not in other and "non sono corretti" in other
        # a client cannot pick its own address by sending X-Forwarded-For: nginx appends the real one, which counts
        forged = first.get("/account/login/", headers={"X-Forwarded-For": "198.51.100.7"})
        assert forged.status_code == 200
        assert "Troppi tentativi" in _wrong_login(first, 100)


@pytest.mark.django_db(transaction=True)
def test_a_card_certificate_header_sent_by_a_client_never_reaches_django(nginx, tmp_path):
    """Issue 29: only nginx's CNS host passes a client certificate; on the site's host a forged header is cleared, even
    where Django would read it (CNS_HOST set to the host the request names) and the card is a good one."""
    from urllib.parse import quote

    from tests.accounts import cards

    authority = cards.authority()
    (tmp_path / "trust.pem").write_bytes(authority.pem())
    forged = quote(cards.card(authority))
    with override_settings(TRUSTED_PROXY_COUNT=1, CNS_HOST="127.0.0.1", CNS_TRUST_STORE=str(tmp_path / "trust.pem")), \
            httpx.Client(base_url=nginx, timeout=20) as client:
        for path in ("/accedi/cns/", "/area-personale/../accedi/cns/"):
            response = client.get(path, headers={"X-Sportello-Client-Cert": forged})
            assert response.status_code == 403 and "non ha presentato" in response.text, path
        # the CNS host itself, reached without TLS, has no certificate to pass either
        cns_host = client.get("/accedi/cns/", headers={"Host": "cns.servizi.comune.example.it", "X-Sportello-Client-Cert": forged})
        assert cns_host.status_code in (400, 403) and "codice" not in cns_host.text  # no hand-off form

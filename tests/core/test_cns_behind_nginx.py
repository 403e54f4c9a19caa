"""The CNS host of site/nginx.conf, as shipped, over TLS on loopback in front of the live test server (issue 29): a
browser that presents a card's certificate reaches the login view with it and gets the hand-off to the site; one that
presents none is told so. The certificate travels only through nginx's own variable, never a header the client sets."""

import re
import shutil
import ssl
from pathlib import Path

from django.test import override_settings

import httpx
import pytest

from tests.accounts import cards
from tests.core.test_client_address_behind_nginx import _free_port, main_context, running

ROOT = Path(__file__).resolve().parents[2]
HOST = "cns.servizi.comune.example.it"
pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx (.ci/run and make system-deps install it)")


def _conf(folder: Path, port: int, upstream: int) -> str:
    shipped = (ROOT / "site" / "nginx.conf").read_text()
    upstream_block = re.search(r"upstream sportello_web \{.*?\n\}\n", shipped, re.S).group(0)
    server = re.search(r"# cns-begin.*?# cns-end", shipped, re.S).group(0)
    for old, new in {"listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;", "/etc/ssl/sportello/cns-fullchain.pem": str(folder / "server.pem"),
                     "/etc/ssl/sportello/cns-privkey.pem": str(folder / "server.key")}.items():
        assert old in server, f"site/nginx.conf's CNS host no longer has {old!r}"
        server = server.replace(old, new)
    upstream_block = upstream_block.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};").replace("keepalive 32;", "")
    return main_context(folder, f"{upstream_block}\n{server}")


@pytest.fixture
def cns_nginx(live_server, tmp_path):
    site_ca = cards.authority("Autorità del certificato del sito")
    cert, key = cards.server(site_ca, [HOST])
    (tmp_path / "server.pem").write_bytes(cert)
    (tmp_path / "server.key").write_bytes(key)
    (tmp_path / "site-ca.pem").write_bytes(site_ca.pem())
    port = _free_port()
    with running(tmp_path, _conf(tmp_path, port, int(live_server.url.rsplit(":", 1)[1])), port):
        yield f"https://127.0.0.1:{port}", tmp_path


@pytest.mark.django_db(transaction=True)
def test_a_card_presented_to_the_cns_host_reaches_the_login_and_none_is_told(cns_nginx):
    base, folder = cns_nginx
    issuer = cards.authority()
    (folder / "trust.pem").write_bytes(issuer.pem())
    pem, key = cards.card_with_key(issuer)
    (folder / "card.pem").write_text(pem)
    (folder / "card.key").write_text(key)
    with override_settings(CNS_HOST=HOST, TRUSTED_PROXY_COUNT=1, CNS_TRUST_STORE=str(folder / "trust.pem"),
                           ALLOWED_HOSTS=["*"], CNS_SITE_URL="https://servizi.comune.example.it"):
        context = ssl.create_default_context(cafile=str(folder / "site-ca.pem"))
        context.load_cert_chain(str(folder / "card.pem"), str(folder / "card.key"))  # the card in its reader
        with httpx.Client(verify=context, headers={"Host": HOST}, timeout=20) as browser:
            response = browser.get(f"{base}/accedi/cns/?next=/area-personale/")
            assert response.status_code == 200, re.findall(r"<title>.*?</title>", response.text)
            assert 'action="https://servizi.comune.example.it/accedi/cns/completa/"' in response.text
            assert re.search(r'name="codice" value="[\w-]{30,}"', response.text)
            # any other path of the CNS host goes back to the site
            assert browser.get(f"{base}/area-personale/").status_code == 301
        with httpx.Client(verify=ssl.create_default_context(cafile=str(folder / "site-ca.pem")), headers={"Host": HOST},
                          timeout=20) as no_card:
            forged = no_card.get(f"{base}/accedi/cns/", headers={"X-Sportello-Client-Cert": "-----BEGIN%20CERTIFICATE-----"})
            assert forged.status_code == 403 and "non ha presentato" in forged.text

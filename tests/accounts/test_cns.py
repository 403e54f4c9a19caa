"""CNS and other smart cards (issue 29): the certificate nginx passes from the CNS host, checked against the trust store
(a certification authority the tests generate), the person handed back to the site with a one-time code and signed in
as an attested identity; a header from anywhere else is never read."""

import hashlib
import re
from urllib.parse import quote

from django.urls import reverse

import pytest

from services.accounts import cns
from services.accounts.models import FiscalCodeSource, LoginEvent, User
from tests.accounts import cards

pytestmark = pytest.mark.django_db
CNS_HOST = "cns.testserver"


@pytest.fixture
def ca(tmp_path, settings):
    authority = cards.authority()
    store = tmp_path / "trust.pem"
    store.write_bytes(authority.pem())
    settings.CNS_TRUST_STORE = str(store)
    settings.CNS_CRL_DIR = ""
    settings.CNS_HOST = CNS_HOST
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLOWED_HOSTS = ["testserver", CNS_HOST]
    settings.CNS_SITE_URL = "http://testserver"
    return authority


def test_a_good_card_names_its_holder(ca):
    identity = cns.verify(cards.card(ca))
    assert (identity.fiscal_code, identity.given_name, identity.family_name, identity.policy) == (
        "RSSMRA85C52H501N", "Maria", "Rossi", "cns")
    assert cns.verify(cards.card(ca, policy="1.3.76.47.4")).policy == "cie"  # a CIE's authentication certificate


@pytest.mark.parametrize("make, reason", [
    (lambda ca: cards.card(ca, days=(-400, -1)), "expired"),
    (lambda ca: cards.card(ca, days=(2, 300)), "expired"),
    (lambda ca: cards.card(ca, policy=None), "policy"),
    (lambda ca: cards.card(ca, policy="1.3.6.1.4.1.99999.1"), "policy"),
    (lambda ca: cards.card(cards.authority("Un'altra autorità")), "unknown_issuer"),
    (lambda ca: cards.card(ca, signer=cards.authority().key), "unknown_issuer"),  # the right name, another key
    (lambda ca: cards.card(ca, cn="Maria Rossi"), "no_fiscal_code"),
    (lambda ca: cards.card(ca, fiscal_code="RSSMRA85C52H501X"), "no_fiscal_code"),  # the check letter is wrong
    (lambda ca: "-----BEGIN CERTIFICATE-----\nnon è un certificato\n-----END CERTIFICATE-----", "unreadable"),
])
def test_what_is_refused_and_why(ca, make, reason):
    with pytest.raises(cns.CertificateRefused) as refused:
        cns.verify(make(ca))
    assert refused.value.reason == reason and str(refused.value)


def test_a_revoked_card_is_refused_where_the_issuer_publishes_a_list(ca, tmp_path, settings):
    pem = cards.card(ca, serial=4242)
    (tmp_path / "crl").mkdir()
    name = hashlib.sha256(ca.cert.subject.public_bytes()).hexdigest()
    (tmp_path / "crl" / f"{name}.crl").write_bytes(cards.revocation_list(ca, [4242]))
    settings.CNS_CRL_DIR = str(tmp_path / "crl")
    with pytest.raises(cns.CertificateRefused, match="revocato"):
        cns.verify(pem)
    assert cns.verify(cards.card(ca, serial=4343)).fiscal_code == "RSSMRA85C52H501N"


def test_the_serial_number_of_newer_cards_names_the_codice_fiscale(ca):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    pem = cards.card(ca, cn="MARIA ROSSI")
    cert = x509.load_pem_x509_certificate(pem.encode())
    subject = x509.Name([*cert.subject, x509.NameAttribute(NameOID.SERIAL_NUMBER, "TINIT-RSSMRA85C52H501N")])
    rebuilt = (x509.CertificateBuilder().subject_name(subject).issuer_name(cert.issuer)
               .public_key(ec.generate_private_key(ec.SECP256R1()).public_key()).serial_number(cert.serial_number)
               .not_valid_before(cert.not_valid_before_utc).not_valid_after(cert.not_valid_after_utc)
               .add_extension(cert.extensions.get_extension_for_class(x509.CertificatePolicies).value, critical=False)
               .sign(ca.key, hashes.SHA256()))
    assert cns.verify(rebuilt.public_bytes(serialization.Encoding.PEM)).fiscal_code == "RSSMRA85C52H501N"


def _from_nginx(client, pem: str, host: str = CNS_HOST):
    """*Entra con CNS* on the site (the state goes into the session), then the CNS host as nginx calls it."""
    started = client.get("/accedi/cns/inizia/?next=/area-personale/")
    assert started.status_code == 302 and started["Location"].startswith(f"https://{CNS_HOST}/accedi/cns/?")
    query = started["Location"].split("?", 1)[1]
    return client.get(f"/accedi/cns/?{query}", HTTP_HOST=host, HTTP_X_SPORTELLO_CLIENT_CERT=quote(pem))


def _handoff(page: str) -> dict:
    return dict(re.findall(r'name="(codice|next)" value="([^"]*)"', page))


def test_the_card_signs_in_through_the_cns_host_and_the_code_is_good_once(ca, client):
    response = _from_nginx(client, cards.card(ca))
    assert response.status_code == 200 and 'action="http://testserver/accedi/cns/completa/"' in response.content.decode()
    fields = _handoff(response.content.decode())
    assert fields["next"] == "/area-personale/" and len(fields["codice"]) > 30
    done = client.post("/accedi/cns/completa/", fields)
    assert done.status_code == 302 and done["Location"] == "/area-personale/"
    user = User.objects.get(fiscal_code="RSSMRA85C52H501N")
    assert user.fiscal_code_source == FiscalCodeSource.CNS and user.assurance_level == 2 and user.first_name == "Maria"
    assert LoginEvent.objects.filter(user=user, method="cns", level="L2").exists()
    assert client.session["auth_method"] == "cns" and client.session["auth_level"] == 2
    again = client.post("/accedi/cns/completa/", fields)
    assert again.status_code == 403 and "già stato usato" in again.content.decode()


def test_a_code_obtained_in_another_browser_signs_nobody_in(ca, client):
    """Login CSRF: an attacker's own card gives a code; posted from the victim's browser, it must not sign it in."""
    from django.test import Client

    fields = _handoff(_from_nginx(Client(), cards.card(ca, fiscal_code="BNCLCU82S02A271A")).content.decode())
    client.get("/accedi/cns/inizia/")  # the victim's browser has a state of its own, or none
    response = client.post("/accedi/cns/completa/", fields)
    assert response.status_code == 403 and "non è partito da questo browser" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_declared_account_of_the_same_codice_fiscale_is_not_signed_into(ca, client):
    declared = User.objects.create_user("maria-locale", fiscal_code="RSSMRA85C52H501N",
                                        fiscal_code_source=FiscalCodeSource.DECLARED, password="x" * 14)
    fields = _handoff(_from_nginx(client, cards.card(ca)).content.decode())
    response = client.post("/accedi/cns/completa/", fields)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:link"))  # offered for linking
    attested = User.objects.get(fiscal_code="RSSMRA85C52H501N", fiscal_code_source=FiscalCodeSource.CNS)
    assert client.session["_auth_user_id"] == str(attested.pk) != str(declared.pk)


@pytest.mark.parametrize("host, proxies", [("testserver", 1), (CNS_HOST, 0)])
def test_the_header_is_read_only_from_the_cns_host_behind_the_proxy(ca, client, settings, host, proxies):
    settings.TRUSTED_PROXY_COUNT = proxies
    response = _from_nginx(client, cards.card(ca), host=host)
    assert response.status_code == 403 and "non ha presentato" in response.content.decode()
    assert "private" in response["Cache-Control"] and not User.objects.filter(fiscal_code="RSSMRA85C52H501N").exists()


@pytest.mark.parametrize("make", [lambda ca: cards.card(ca, days=(-400, -1)), lambda ca: cards.card(ca, policy=None)])
def test_a_refused_card_says_why_and_signs_nobody_in(ca, client, make):
    response = _from_nginx(client, make(ca))
    assert response.status_code == 403 and "alert-danger" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_login_page_offers_cns_only_where_a_cns_host_is_configured(ca, client, settings):
    assert 'href="/accedi/cns/inizia/?next=' in client.get("/accedi/").content.decode()
    settings.CNS_HOST = ""
    assert "Entra con CNS" not in client.get("/accedi/").content.decode()
    assert client.get("/accedi/cns/inizia/").status_code == 404  # never a redirect to "https:///…"


def _tsl(services: list[tuple[str, str, bytes]]) -> bytes:
    import base64

    entries = "".join(
        f"<TSPService><ServiceInformation><ServiceTypeIdentifier>{kind}</ServiceTypeIdentifier>"
        f"<ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/{status}</ServiceStatus>"
        "<ServiceDigitalIdentity><DigitalId><X509Certificate>"
        f"{base64.b64encode(x509_der).decode()}</X509Certificate></DigitalId></ServiceDigitalIdentity>"
        "</ServiceInformation></TSPService>" for kind, status, x509_der in services)
    return ('<?xml version="1.0"?><TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><TrustServiceProviderList>'
            f"<TrustServiceProvider><TSPServices>{entries}</TSPServices></TrustServiceProvider>"
            "</TrustServiceProviderList></TrustServiceStatusList>").encode()


def test_the_trust_store_is_built_from_the_identity_services_of_agids_list(ca, tmp_path, settings):
    from django.core.management import CommandError, call_command

    from cryptography.hazmat.primitives import serialization

    signing, withdrawn = cards.authority("Firma qualificata"), cards.authority("Revocata")
    der = lambda authority: authority.cert.public_bytes(serialization.Encoding.DER)  # noqa: E731
    (tmp_path / "TSL-IT.xml").write_bytes(_tsl([
        ("http://uri.etsi.org/TrstSvc/Svctype/IdV", "granted", der(ca)),
        ("http://uri.etsi.org/TrstSvc/Svctype/CA/QC", "granted", der(signing)),  # signatures, not identity
        ("http://uri.etsi.org/TrstSvc/Svctype/IdV", "withdrawn", der(withdrawn))]))
    out = tmp_path / "store" / "cns.pem"
    call_command("cns_trust_store", str(tmp_path / "TSL-IT.xml"), out=str(out))
    settings.CNS_TRUST_STORE = str(out)
    assert cns.verify(cards.card(ca)).fiscal_code == "RSSMRA85C52H501N"
    with pytest.raises(cns.CertificateRefused):
        cns.verify(cards.card(signing))
    (tmp_path / "empty.xml").write_bytes(_tsl([]))
    with pytest.raises(CommandError, match="Nessuna autorità"):
        call_command("cns_trust_store", str(tmp_path / "empty.xml"), out=str(out))
    assert cns.verify(cards.card(ca)).fiscal_code  # the store written before is kept
    (tmp_path / "bomb.xml").write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(CommandError, match="non leggibile"):  # entities refused (defusedxml)
        call_command("cns_trust_store", str(tmp_path / "bomb.xml"), out=str(out))


def test_the_personal_area_says_how_the_person_signed_in_and_procedures_say_which_logins_they_take(ca, client):
    from dataclasses import replace

    from django.test import RequestFactory

    from services.istanze import access, registry

    fields = _handoff(_from_nginx(client, cards.card(ca)).content.decode())
    client.post("/accedi/cns/completa/", fields)
    page = client.get("/area-personale/").content.decode()
    assert "Hai effettuato l'accesso con Carta nazionale dei servizi (CNS)." in page
    request = RequestFactory().get("/")
    request.session = client.session
    procedure = registry.get("SCUOLA_ATTIVAZIONE")  # the school activation: SPID, CIE and CNS
    assert "CNS" in procedure.audience and access.login_refusal(request, procedure) is None
    spid_only = replace(procedure, login_methods=("spid",), allow_local_accounts=False)
    refusal = access.login_refusal(request, spid_only)
    assert refusal.reason == "login" and refusal.message == ("Questo servizio non accetta l'accesso con CNS: serve "
                                                             "l'accesso con SPID.")


def test_the_trust_store_is_refreshed_from_agids_address_and_kept_when_the_list_is_unusable(ca, tmp_path, settings, monkeypatch):
    import httpx
    from cryptography.hazmat.primitives import serialization

    from services.accounts import tasks

    settings.CNS_TSL_URL = "https://eidas.agid.gov.it/TL/TSL-IT.xml"
    settings.CNS_TRUST_STORE = str(tmp_path / "refreshed.pem")
    listed = _tsl([("http://uri.etsi.org/TrstSvc/Svctype/IdV", "granted", ca.cert.public_bytes(serialization.Encoding.DER))])
    answers = [httpx.Response(200, content=listed), httpx.Response(200, content=b"<html>manutenzione</html>"),
               httpx.Response(503)]
    monkeypatch.setattr(tasks.httpx, "get", lambda url, **kwargs: _answer(answers, url))
    assert tasks.refresh_cns_trust_store() == "1" and cns.verify(cards.card(ca)).fiscal_code
    assert tasks.refresh_cns_trust_store() == "kept" and tasks.refresh_cns_trust_store() == "kept"
    assert cns.verify(cards.card(ca)).fiscal_code  # the store written first is still there
    settings.CNS_TSL_URL = ""
    assert tasks.refresh_cns_trust_store() == "off"


def _answer(answers, url):
    import httpx

    found = answers.pop(0)
    return httpx.Response(found.status_code, content=found.content, request=httpx.Request("GET", url))

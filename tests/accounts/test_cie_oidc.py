"""CIE over OpenID Connect Federation (issue 29): our relying party against the demo federation served in process —
the trust anchor, the CIE provider — through the whole authorization-code flow, and every way the flow must refuse."""

import html
import json
from urllib.parse import parse_qs, urlparse

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

import pytest

from services.accounts.models import FiscalCodeSource, LoginEvent, User
from services.accounts.oidc import demo_federation, federation, relying_party
from services.core import jose

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


@pytest.fixture(autouse=True)
def fresh_federation():
    cache.clear()
    yield
    demo_federation.set_fault("")


def start(client, level=2, next_url="/area-personale/"):
    response = client.get(reverse("accounts:cie_oidc_start"), {"livello": level, "next": next_url})
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def provider_login(client, authorization_url, person="maria.rossi", level=None, cancel=False):
    """The browser at the demo provider: the identity page, then the choice posted back."""
    page = client.get(authorization_url)
    assert page.status_code == 200, page.content[:500]
    data = {"identity": person}
    if level:
        data["level"] = level
    if cancel:
        data["annulla"] = "1"
    answer = client.post(reverse("demo_cie_login"), data)
    assert answer.status_code == 302
    return answer["Location"]


def back_to_us(client, redirect):
    parsed = urlparse(redirect)
    assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == BASE + reverse("accounts:cie_oidc_callback")
    return client.get(parsed.path, parse_qs(parsed.query))


def test_our_entity_configuration_is_signed_by_our_federation_key_and_names_the_anchor(client):
    response = client.get("/.well-known/openid-federation")
    assert response.status_code == 200 and response["Content-Type"] == "application/entity-statement+jwt"
    _, unverified = jose.unverified(response.content.decode())
    claims = jose.verify(response.content.decode(), unverified["jwks"], typ=federation.STATEMENT_TYPE, iss=BASE)
    rp = claims["metadata"]["openid_relying_party"]
    assert claims["sub"] == BASE and claims["authority_hints"] == [BASE + "/cie-oidc-demo/ta"]
    assert rp["redirect_uris"] == [BASE + "/accedi/cie/ritorno/"] and rp["token_endpoint_auth_method"] == "private_key_jwt"
    assert {k["use"] for k in rp["jwks"]["keys"]} == {"sig", "enc"}
    assert all("d" not in k for k in claims["jwks"]["keys"] + rp["jwks"]["keys"])  # no private part published
    assert claims["trust_marks"] and claims["trust_marks"][0]["id"].endswith("/openid_relying_party/public/")


def test_the_providers_trust_chain_reaches_the_anchor_and_its_policy_applies():
    chain = federation.resolve(relying_party.provider_id(), relying_party.anchor_id(), relying_party.anchor_jwks())
    assert chain.metadata["openid_provider"]["issuer"] == BASE + "/cie-oidc-demo/op"
    assert chain.expires_at > 0


def test_the_request_object_is_signed_with_pkce_and_the_level_asked(client):
    url = start(client, level=3)
    query = parse_qs(urlparse(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["client_id"] == [BASE]
    keys = relying_party.public_jwks("core-sig")
    claims = jose.verify(query["request"][0], keys, iss=BASE, aud=relying_party.provider_id())
    assert claims["acr_values"] == "https://www.spid.gov.it/SpidL3"
    assert claims["code_challenge"] == query["code_challenge"][0] and len(claims["nonce"]) >= 32
    assert relying_party.FISCAL_NUMBER in claims["claims"]["userinfo"]
    pending = client.session["cie_oidc_pending"]
    assert claims["state"] == pending["state"] and "verifier" in pending and pending["verifier"] not in url


def test_the_full_flow_signs_maria_in_as_an_attested_cie_identity(client):
    redirect = provider_login(client, start(client, level=2))
    response = back_to_us(client, redirect)
    assert response.status_code == 302 and response["Location"] == "/area-personale/"
    maria = User.objects.get(fiscal_code="RSSMRA85C52H501N")
    assert maria.fiscal_code_source == FiscalCodeSource.CIE and maria.assurance_level == 2
    assert (maria.first_name, maria.last_name, maria.email, maria.email_verified) == (
        "Maria", "Rossi", "maria.rossi@example.it", True)
    assert str(maria.date_of_birth) == "1985-03-12"
    assert client.session["auth_method"] == "cie" and client.session["auth_level"] == 2
    event = LoginEvent.objects.get(user=maria)
    assert (event.method, event.level, event.provider) == ("cie", "L2", BASE + "/cie-oidc-demo/op")
    page = client.get("/area-personale/")
    assert "Carta d'identità elettronica (CIE), livello 2" in html.unescape(page.content.decode())


def test_a_second_login_finds_the_same_account(client):
    back_to_us(client, provider_login(client, start(client)))
    client.post(reverse("accounts:logout"))
    back_to_us(client, provider_login(client, start(client)))
    assert User.objects.filter(fiscal_code="RSSMRA85C52H501N").count() == 1
    assert LoginEvent.objects.filter(method="cie").count() == 2


@pytest.mark.parametrize("fault", ["id_token_alterato", "chiave_sconosciuta", "nonce_sbagliato", "userinfo_in_chiaro",
                                   "risposta_non_json"])
def test_a_tampered_or_wrong_answer_signs_nobody_in(client, fault):
    redirect = provider_login(client, start(client))
    demo_federation.set_fault(fault)
    response = back_to_us(client, redirect)
    assert response.status_code == 403 and "Accesso con CIE non riuscito" in response.content.decode()
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert not User.objects.filter(fiscal_code="RSSMRA85C52H501N").exists()
    assert "_auth_user_id" not in client.session


def test_a_wrong_acr_is_refused_as_a_level_too_low(client):
    redirect = provider_login(client, start(client, level=2))
    demo_federation.set_fault("acr_sbagliato")
    response = back_to_us(client, redirect)
    assert response.status_code == 403 and "livello di sicurezza più alto" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lower_level_chosen_at_the_provider_is_refused(client):
    response = back_to_us(client, provider_login(client, start(client, level=2), level="1"))
    assert response.status_code == 403 and "_auth_user_id" not in client.session


def test_a_chain_that_does_not_reach_the_anchor_stops_the_login_before_it_starts(client):
    demo_federation.set_fault("catena_interrotta")
    response = client.get(reverse("accounts:cie_oidc_start"))
    assert response.status_code == 503 and "non risponde" in response.content.decode()
    with pytest.raises(federation.Untrusted):
        federation.resolve(relying_party.provider_id(), relying_party.anchor_id(), relying_party.anchor_jwks())


def test_an_anchor_with_other_keys_is_not_our_anchor():
    other = {"keys": [jose.jwk.JWK.generate(kty="RSA", size=2048, kid="x").export_public(as_dict=True)]}
    with pytest.raises(federation.Untrusted):
        federation.resolve(relying_party.provider_id(), relying_party.anchor_id(), other)


def test_a_provider_that_is_down_gets_a_try_again_later_page(client):
    redirect = provider_login(client, start(client))
    demo_federation.set_fault("errore_500")
    response = back_to_us(client, redirect)
    assert response.status_code == 503 and "_auth_user_id" not in client.session


def test_the_person_cancelling_at_the_provider_is_told_so(client):
    response = back_to_us(client, provider_login(client, start(client), cancel=True))
    assert response.status_code == 403 and "Hai annullato" in response.content.decode()


def test_a_callback_with_another_state_or_without_a_login_started_is_refused(client):
    redirect = provider_login(client, start(client))
    parsed = urlparse(redirect)
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    response = client.get(parsed.path, {**query, "state": "x" * 43})
    assert response.status_code == 403
    response = client.get(parsed.path, query)  # the pending login was used up by the first answer
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_a_code_is_good_once(client):
    redirect = provider_login(client, start(client))
    back_to_us(client, redirect)
    client.post(reverse("accounts:logout"))
    # The same answer replayed in a new login: its code was used, and the new login's state differs.
    start(client)
    response = back_to_us(client, redirect)
    assert response.status_code == 403


def test_the_provider_refuses_a_request_object_we_did_not_sign(client):
    url = start(client)
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    forged_key = jose.jwk.JWK.generate(kty="RSA", size=2048, kid=relying_party.key("core-sig").key_id)
    _, claims = jose.unverified(query["request"])
    query["request"] = jose.sign(claims, forged_key)
    response = client.get(urlparse(url).path, query)
    assert response.status_code == 400 and "non è firmata correttamente" in response.content.decode()


def test_the_demo_faults_take_known_names_only(client):
    response = client.post("/cie-oidc-demo/guasti/", json.dumps({"guasto": "meteorite"}), content_type="application/json")
    assert response.status_code == 400
    response = client.post("/cie-oidc-demo/guasti/", "[]", content_type="application/json")
    assert response.status_code == 400
    response = client.post("/cie-oidc-demo/guasti/", json.dumps({"guasto": "lento"}), content_type="application/json")
    assert response.json()["guasto"] == "lento"


def test_without_a_provider_configured_nothing_is_served(client, settings):
    settings.CIE_OIDC_PROVIDER = ""
    assert client.get("/.well-known/openid-federation").status_code == 404
    assert client.get(reverse("accounts:cie_oidc_start")).status_code == 404
    assert "cie-access-button" not in client.get(reverse("accounts:login")).content.decode()


def test_the_keys_command_creates_the_keys_once_and_prints_only_public_parts(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    first, second = StringIO(), StringIO()
    call_command("cie_oidc_keys", "--dir", str(tmp_path), stdout=first, stderr=StringIO())
    call_command("cie_oidc_keys", "--dir", str(tmp_path), stdout=second, stderr=StringIO())
    assert first.getvalue() == second.getvalue()  # the same keys: never replaced
    printed = json.loads(first.getvalue())
    assert [k["use"] for k in printed["openid_relying_party_jwks"]["keys"]] == ["sig", "enc"]
    assert all("d" not in k for k in printed["federation_jwks"]["keys"] + printed["openid_relying_party_jwks"]["keys"])
    assert (tmp_path / "federation.json").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("query", [
    {"state": "stàto-non-ascii", "code": "x"}, {"state": "", "code": ""}, {"error": "x" * 5000},
    {"code": "c" * 10_000, "state": "s"}, {"state": ["a", "b"], "code": "z"},
])
def test_whatever_comes_back_is_a_clear_page_never_a_500(client, query):
    start(client)
    response = client.get(reverse("accounts:cie_oidc_callback"), query)
    assert response.status_code in (400, 403)

def test_the_demo_provider_refuses_a_client_id_that_is_not_an_address():
    for client_id in ("abc", "http://[", "file:///etc/passwd", ""):
        response = Client().get("/cie-oidc-demo/op/authorization/", {"client_id": client_id, "request": "x"})
        assert response.status_code == 400

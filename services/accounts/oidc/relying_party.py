"""Sportello as a relying party of the CIE federation: its entity configuration, and the authorization-code flow
with a signed request object, PKCE and private_key_jwt; the ID token is checked, the userinfo answer decrypted and
checked, and the codice fiscale taken from `https://attributes.eid.gov.it/fiscal_number`."""

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

import httpx

from services.core import fiscal_code, jose

from . import federation
from .keys import key, public_jwks

FISCAL_NUMBER = "https://attributes.eid.gov.it/fiscal_number"
CLAIMS = {
    "id_token": {"given_name": {"essential": True}, "family_name": {"essential": True}},
    "userinfo": {FISCAL_NUMBER: {"essential": True}, "given_name": None, "family_name": None, "email": None,
                 "birthdate": None},
}
CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
DEMO_PROVIDER_PATH, DEMO_ANCHOR_PATH = "/cie-oidc-demo/op", "/cie-oidc-demo/ta"


class Refused(Exception):
    """The provider's answer cannot sign anyone in: an error, a bad token, a missing or invalid codice fiscale."""


class LevelTooLow(Refused):
    pass


@dataclass(frozen=True)
class Identity:
    fiscal_code: str
    given_name: str
    family_name: str
    email: str
    birthdate: str
    level: int
    provider: str


# Who is who ----------------------------------------------------------------------------------------------------------

def enabled() -> bool:
    return bool(settings.CIE_OIDC_PROVIDER) and (settings.CIE_OIDC_PROVIDER != "demo" or settings.CIE_OIDC_DEMO_ENABLED)


def entity_id() -> str:
    """Ours: the site's address; our configuration is at /.well-known/openid-federation and it is our client_id."""
    return settings.SPID_BASE_URL


def provider_id() -> str:
    if settings.CIE_OIDC_PROVIDER == "demo":
        return entity_id() + DEMO_PROVIDER_PATH
    return settings.CIE_OIDC_PROVIDER


def anchor_id() -> str:
    if settings.CIE_OIDC_PROVIDER == "demo":
        return entity_id() + DEMO_ANCHOR_PATH
    return settings.CIE_OIDC_TRUST_ANCHOR


def anchor_jwks() -> dict:
    """The anchor's public keys, as given to us at onboarding (never fetched)."""
    if settings.CIE_OIDC_PROVIDER == "demo":
        from .demo_federation import anchor_public_jwks

        return anchor_public_jwks()
    return json.loads(Path(settings.CIE_OIDC_TRUST_ANCHOR_JWKS).read_text())


def redirect_uri() -> str:
    return entity_id() + reverse("accounts:cie_oidc_callback")


def trust_marks() -> list:
    """The trust marks the federation issued us at onboarding (a JSON list of {"id", "trust_mark"})."""
    if settings.CIE_OIDC_PROVIDER == "demo":
        from .demo_federation import relying_party_trust_mark

        return [relying_party_trust_mark(entity_id())]
    if settings.CIE_OIDC_TRUST_MARKS:
        return json.loads(Path(settings.CIE_OIDC_TRUST_MARKS).read_text())
    return []


def metadata() -> dict:
    base = entity_id()
    return {
        "federation_entity": {
            "organization_name": settings.SPID_ORGANIZATION, "homepage_uri": base,
            "contacts": [settings.SPID_CONTACT_EMAIL], "policy_uri": base + "/privacy/",
        },
        "openid_relying_party": {
            "client_id": base, "client_name": settings.SPID_ORGANIZATION, "application_type": "web",
            "client_registration_types": ["automatic"], "contacts": [settings.SPID_CONTACT_EMAIL],
            "redirect_uris": [redirect_uri()], "response_types": ["code"],
            "grant_types": ["authorization_code", "refresh_token"], "subject_type": "pairwise",
            "token_endpoint_auth_method": "private_key_jwt", "id_token_signed_response_alg": "RS256",
            "userinfo_signed_response_alg": "RS256", "userinfo_encrypted_response_alg": "RSA-OAEP-256",
            "userinfo_encrypted_response_enc": "A256CBC-HS512", "jwks": public_jwks("core-sig", "core-enc"),
        },
    }


def entity_configuration() -> str:
    claims = jose.claims_for(iss=entity_id(), sub=entity_id(), lifetime=settings.CIE_OIDC_STATEMENT_LIFETIME,
                             jwks=public_jwks("federation"), authority_hints=[anchor_id()], trust_marks=trust_marks(),
                             metadata=metadata())
    return jose.sign(claims, key("federation"), typ=federation.STATEMENT_TYPE)


def provider_metadata() -> dict:
    """The CIE provider's metadata, as the federation's chain vouches for it."""
    chain = federation.trust_chain(provider_id(), anchor_id(), anchor_jwks())
    op = chain.metadata.get("openid_provider")
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks")
    if not isinstance(op, dict) or any(not op.get(name) for name in needed) or op["issuer"] != provider_id():
        raise federation.Untrusted("the provider's metadata lacks what the flow needs")
    return op


# The flow ------------------------------------------------------------------------------------------------------------

def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def authorization(level: int) -> tuple[str, dict]:
    """The provider's address to send the browser to, and what the session keeps until it comes back."""
    op = provider_metadata()
    pending = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32),
               "verifier": secrets.token_urlsafe(64), "level": level, "provider": op["issuer"]}
    request_object = jose.sign(jose.claims_for(
        iss=entity_id(), sub=entity_id(), lifetime=300, aud=[op["issuer"], op["authorization_endpoint"]],
        client_id=entity_id(), response_type="code", scope="openid", redirect_uri=redirect_uri(),
        state=pending["state"], nonce=pending["nonce"], code_challenge=_challenge(pending["verifier"]),
        code_challenge_method="S256", acr_values=settings.SPID_LEVELS[level], claims=CLAIMS, prompt="consent login",
        ui_locales="it",
    ), key("core-sig"))
    query = urlencode({"client_id": entity_id(), "response_type": "code", "scope": "openid",
                       "code_challenge": _challenge(pending["verifier"]), "code_challenge_method": "S256",
                       "request": request_object})
    return f"{op['authorization_endpoint']}?{query}", pending


def _post(url: str, data: dict) -> dict:
    try:
        with federation.http_client() as client:
            response = client.post(url, data=data)
    except httpx.HTTPError as exc:
        raise federation.Unreachable(f"{type(exc).__name__} from the token endpoint") from exc
    if response.status_code >= 500:
        raise federation.Unreachable(f"HTTP {response.status_code} from the token endpoint")
    try:
        body = response.json()
    except ValueError as exc:
        raise Refused("the token endpoint did not answer JSON") from exc
    if response.status_code != 200 or not isinstance(body, dict):
        raise Refused(f"token endpoint refused: {body.get('error') if isinstance(body, dict) else response.status_code}")
    return body


def _userinfo(url: str, access_token: str) -> str:
    try:
        with federation.http_client() as client:
            response = client.get(url, headers={"Authorization": f"Bearer {access_token}"})
    except httpx.HTTPError as exc:
        raise federation.Unreachable(f"{type(exc).__name__} from the userinfo endpoint") from exc
    if response.status_code >= 500:
        raise federation.Unreachable(f"HTTP {response.status_code} from the userinfo endpoint")
    if response.status_code != 200 or len(response.content) > federation.MAX_BODY:
        raise Refused(f"userinfo endpoint answered {response.status_code}")
    return response.text.strip()


def level_of(acr) -> int:
    return next((n for n, uri in settings.SPID_LEVELS.items() if uri == acr), 0)


def complete(pending: dict, params) -> Identity:
    """From the provider's redirect back to a proven identity; raises Refused, LevelTooLow or federation errors."""
    if params.get("error"):
        raise Refused(f"provider error {params.get('error', '')[:60]}")
    if not secrets.compare_digest(params.get("state", "")[:200].encode(), pending["state"].encode()):
        raise Refused("state does not match")
    op = provider_metadata()
    if params.get("iss") and params["iss"] != op["issuer"]:
        raise Refused("answer from another issuer")
    code = params.get("code", "")
    if not code or len(code) > 512:
        raise Refused("no code")
    assertion = jose.sign(jose.claims_for(iss=entity_id(), sub=entity_id(), lifetime=120, aud=op["token_endpoint"]),
                          key("core-sig"))
    tokens = _post(op["token_endpoint"], {
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri(), "client_id": entity_id(),
        "client_assertion_type": CLIENT_ASSERTION_TYPE, "client_assertion": assertion,
        "code_verifier": pending["verifier"],
    })
    try:
        id_token = jose.verify(tokens.get("id_token"), op["jwks"], iss=op["issuer"], aud=entity_id())
    except jose.Invalid as exc:
        raise Refused(f"ID token: {exc}") from exc
    if not isinstance(id_token.get("sub"), str) or not secrets.compare_digest(str(id_token.get("nonce", "")).encode(),
                                                                              pending["nonce"].encode()):
        raise Refused("ID token without subject or with another nonce")
    level = level_of(id_token.get("acr"))
    if level < pending["level"]:
        raise LevelTooLow(f"level {level} below the requested {pending['level']}")
    if not isinstance(tokens.get("access_token"), str):
        raise Refused("no access token")
    try:
        signed = jose.decrypt(_userinfo(op["userinfo_endpoint"], tokens["access_token"]), key("core-enc"))
        userinfo = jose.verify(signed, op["jwks"], iss=op["issuer"], aud=entity_id())
    except jose.Invalid as exc:
        raise Refused(f"userinfo: {exc}") from exc
    if userinfo.get("sub") != id_token["sub"]:
        raise Refused("userinfo is about another subject")
    code = fiscal_code.normalize(str(userinfo.get(FISCAL_NUMBER) or ""))
    if not fiscal_code.is_valid(code):
        raise Refused("no valid codice fiscale")

    def text(name: str, limit: int = 150) -> str:
        value = userinfo.get(name, id_token.get(name, ""))
        return value[:limit] if isinstance(value, str) else ""

    return Identity(fiscal_code=code, given_name=text("given_name"), family_name=text("family_name"),
                    email=text("email", 254), birthdate=text("birthdate", 10), level=level, provider=op["issuer"])

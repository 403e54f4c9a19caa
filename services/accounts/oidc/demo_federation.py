"""The demo's CIE federation, served by this same process (like the demo SAML identity provider): a trust anchor that
vouches for our relying party and for a CIE provider, and that provider, with the demo identities.

Both follow the CIE federation's rules as our relying party must meet them: the provider resolves our trust chain
through the anchor, checks our trust mark, the request object's signature, PKCE and the client assertion, signs the
ID token and signs then encrypts userinfo. `/cie-oidc-demo/guasti/` makes it misbehave (tests, fault drills). Mounted
only when CIE_OIDC_DEMO_ENABLED, which production settings refuse."""

import base64
import hashlib
import secrets
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from jwcrypto import jwk

from services.core import jose
from services.core.decorators import private_no_store
from services.core.sandbox import FaultSwitch

from ..spid.demo_identities import DEMO_IDENTITIES
from . import federation, keys, relying_party

PENDING_SESSION_KEY = "demo_cie_request"
FAULTS = {
    "": "nessuno",
    "lento": "risponde oltre il tempo massimo",
    "errore_500": "il token endpoint risponde 500",
    "risposta_non_json": "il token endpoint risponde con una pagina che non è JSON",
    "id_token_alterato": "l'ID token ha la firma alterata",
    "chiave_sconosciuta": "l'ID token è firmato con una chiave che la federazione non conosce",
    "acr_sbagliato": "l'ID token dichiara il livello 1 qualunque sia quello richiesto",
    "nonce_sbagliato": "l'ID token porta un altro nonce",
    "userinfo_in_chiaro": "userinfo risponde firmato ma non cifrato",
    "catena_interrotta": "il trust anchor non riconosce più il provider",
}
TRUST_MARK_ID = "/openid_relying_party/public/"
LEVELS = (1, 2, 3)


def _enabled():
    if not settings.CIE_OIDC_DEMO_ENABLED:
        raise Http404


def base() -> str:
    return settings.SPID_BASE_URL


def anchor_id() -> str:
    return base() + relying_party.DEMO_ANCHOR_PATH


def provider_id() -> str:
    return base() + relying_party.DEMO_PROVIDER_PATH


@lru_cache(maxsize=4)
def _demo_key(name: str):
    return keys.generate(Path(settings.BASE_DIR) / "var" / "oidc-demo", name, "sig")


def _public(name: str) -> dict:
    return {"keys": [_demo_key(name).export_public(as_dict=True)]}


def anchor_public_jwks() -> dict:
    return _public("anchor")


SWITCH = FaultSwitch("demo-cie-oidc:", FAULTS)
fault, set_fault = SWITCH.current, SWITCH.set


def _jwt_response(token: str, content_type: str = "application/entity-statement+jwt") -> HttpResponse:
    return HttpResponse(token, content_type=content_type)


def relying_party_trust_mark(subject: str) -> dict:
    mark_id = anchor_id() + TRUST_MARK_ID
    token = jose.sign(jose.claims_for(iss=anchor_id(), sub=subject, lifetime=365 * 86400, id=mark_id),
                      _demo_key("anchor"), typ="trust-mark+jwt")
    return {"id": mark_id, "trust_mark": token}


# The trust anchor ----------------------------------------------------------------------------------------------------

@require_GET
def anchor_configuration(request):
    _enabled()
    claims = jose.claims_for(
        iss=anchor_id(), sub=anchor_id(), lifetime=86400, jwks=anchor_public_jwks(),
        metadata={"federation_entity": {"organization_name": "Trust anchor dimostrativo",
                                        "federation_fetch_endpoint": f"{anchor_id()}/fetch/",
                                        "federation_list_endpoint": f"{anchor_id()}/list/"}},
        trust_mark_issuers={anchor_id() + TRUST_MARK_ID: [anchor_id()]},
    )
    return _jwt_response(jose.sign(claims, _demo_key("anchor"), typ=federation.STATEMENT_TYPE))


def _subordinates() -> dict:
    """Who the anchor vouches for: the provider and our relying party, with their federation keys and policies."""
    return {
        provider_id(): (_public("provider-federation"), {
            "openid_provider": {"acr_values_supported": {"subset_of": list(settings.SPID_LEVELS.values())}}}),
        relying_party.entity_id(): (keys.public_jwks("federation"), {
            "openid_relying_party": {"grant_types": {"subset_of": ["authorization_code", "refresh_token"]},
                                     "token_endpoint_auth_method": {"one_of": ["private_key_jwt"]}}}),
    }


@require_GET
def anchor_fetch(request):
    _enabled()
    subject = request.GET.get("sub", "")
    known = _subordinates()
    if subject not in known or (subject == provider_id() and fault() == "catena_interrotta"):
        return JsonResponse({"error": "not_found", "error_description": "unknown subordinate"}, status=404)
    jwks, policy = known[subject]
    claims = jose.claims_for(iss=anchor_id(), sub=subject, lifetime=86400, jwks=jwks, metadata_policy=policy)
    return _jwt_response(jose.sign(claims, _demo_key("anchor"), typ=federation.STATEMENT_TYPE))


@require_GET
def anchor_list(request):
    _enabled()
    return JsonResponse(list(_subordinates()), safe=False)


# The CIE provider ----------------------------------------------------------------------------------------------------

def _op_metadata() -> dict:
    op = provider_id()
    return {
        "issuer": op, "authorization_endpoint": f"{op}/authorization/", "token_endpoint": f"{op}/token/",
        "userinfo_endpoint": f"{op}/userinfo/", "jwks": _public("provider-core"),
        "scopes_supported": ["openid", "offline_access"], "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "acr_values_supported": list(settings.SPID_LEVELS.values()),
        "subject_types_supported": ["pairwise"], "id_token_signing_alg_values_supported": ["RS256"],
        "userinfo_signing_alg_values_supported": ["RS256"],
        "userinfo_encryption_alg_values_supported": ["RSA-OAEP", "RSA-OAEP-256"],
        "userinfo_encryption_enc_values_supported": ["A128CBC-HS256", "A256CBC-HS512"],
        "request_object_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"], "client_registration_types_supported": ["automatic"],
        "claims_supported": ["given_name", "family_name", "email", "birthdate", relying_party.FISCAL_NUMBER],
    }


@require_GET
def provider_configuration(request):
    _enabled()
    claims = jose.claims_for(iss=provider_id(), sub=provider_id(), lifetime=86400,
                             jwks=_public("provider-federation"), authority_hints=[anchor_id()],
                             metadata={"openid_provider": _op_metadata(),
                                       "federation_entity": {"organization_name": "CIE dimostrativa"}})
    return _jwt_response(jose.sign(claims, _demo_key("provider-federation"), typ=federation.STATEMENT_TYPE))


def _client(client_id: str) -> dict:
    """The relying party's metadata through its trust chain, once its trust mark from the anchor is checked."""
    chain = federation.resolve(client_id, anchor_id(), anchor_public_jwks())
    configuration = federation.entity_configuration(client_id)
    marks = configuration.claims.get("trust_marks") or []
    for mark in marks if isinstance(marks, list) else []:
        try:
            claims = jose.verify(mark.get("trust_mark"), anchor_public_jwks(), typ="trust-mark+jwt", iss=anchor_id())
        except (jose.Invalid, AttributeError):
            continue
        if claims.get("sub") == client_id and claims.get("id") == anchor_id() + TRUST_MARK_ID:
            return chain.metadata["openid_relying_party"]
    raise federation.Untrusted("no trust mark from the anchor")


def _bad_request(request, message: str):
    response = render(request, "accounts/demo_cie_error.html", {"message": message}, status=400)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@private_no_store
def authorization(request):
    _enabled()
    client_id = request.GET.get("client_id", "")
    try:
        client = _client(client_id)
        ro = jose.verify(request.GET.get("request", ""), client["jwks"], iss=client_id, aud=provider_id())
    except (federation.Untrusted, federation.Unreachable, jose.Invalid, KeyError, TypeError):
        return _bad_request(request, "Il servizio che chiede l'accesso non è riconosciuto dalla federazione o la sua "
                                     "richiesta non è firmata correttamente.")
    problems = []
    if ro.get("client_id") != client_id or ro.get("redirect_uri") not in client.get("redirect_uris", []):
        problems.append("client_id o redirect_uri")
    if ro.get("response_type") != "code" or "openid" not in str(ro.get("scope", "")).split():
        problems.append("response_type o scope")
    if ro.get("code_challenge_method") != "S256" or not ro.get("code_challenge"):
        problems.append("PKCE")
    if len(str(ro.get("state", ""))) < 32 or len(str(ro.get("nonce", ""))) < 32:
        problems.append("state o nonce")
    acr = [v for v in str(ro.get("acr_values", "")).split() if v in settings.SPID_LEVELS.values()]
    if not acr:
        problems.append("acr_values")
    if problems:
        return _bad_request(request, "Richiesta di autenticazione non valida: " + ", ".join(problems) + ".")
    level = min(relying_party.level_of(v) for v in acr)
    request.session[PENDING_SESSION_KEY] = {
        "client_id": client_id, "redirect_uri": ro["redirect_uri"], "state": ro["state"], "nonce": ro["nonce"],
        "challenge": ro["code_challenge"], "level": level,
    }
    return render(request, "accounts/demo_cie_login.html",
                  {"identities": DEMO_IDENTITIES, "requested_level": level, "levels": LEVELS, "client_id": client_id})


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@require_POST
@private_no_store
def login(request):
    _enabled()
    pending = request.session.pop(PENDING_SESSION_KEY, None)
    if pending is None:
        return _bad_request(request, "Nessuna richiesta di accesso in corso.")
    back = {"state": pending["state"], "iss": provider_id()}
    if "annulla" in request.POST:
        return HttpResponseRedirect(f"{pending['redirect_uri']}?{urlencode({'error': 'access_denied', **back})}")
    person = request.POST.get("identity", "")
    if person not in DEMO_IDENTITIES:
        request.session[PENDING_SESSION_KEY] = pending
        return render(request, "accounts/demo_cie_login.html",
                      {"identities": DEMO_IDENTITIES, "requested_level": pending["level"], "levels": LEVELS,
                       "client_id": pending["client_id"], "error": "Scegli una delle identità dimostrative."}, status=400)
    level = request.POST.get("level", "")
    level = int(level) if level in ("1", "2", "3") else pending["level"]
    code = secrets.token_urlsafe(32)
    cache.set(f"demo-cie-oidc:code:{_hash(code)}", {**pending, "person": person, "level": level}, timeout=120)
    return HttpResponseRedirect(f"{pending['redirect_uri']}?{urlencode({'code': code, **back})}")


def _pairwise(client_id: str, person: str) -> str:
    return _hash(f"{client_id}\n{DEMO_IDENTITIES[person]['fiscalNumber']}\ndemo-cie")


def _token_error(error: str, status: int = 400):
    return JsonResponse({"error": error}, status=status)


@csrf_exempt  # an OAuth endpoint: the client assertion is what is checked
@require_POST
def token(request):
    _enabled()
    broken = fault()
    if broken == "lento":
        time.sleep(settings.CIE_OIDC_TIMEOUT + 0.5)
    if broken == "errore_500":
        return HttpResponse("Internal Server Error", status=500, content_type="text/plain")
    if broken == "risposta_non_json":
        return HttpResponse("<html>manutenzione</html>", content_type="text/html")
    data = request.POST
    client_id = data.get("client_id", "")
    try:
        client = _client(client_id)
        jose.verify(data.get("client_assertion", ""), client["jwks"], iss=client_id, aud=f"{provider_id()}/token/")
    except (federation.Untrusted, federation.Unreachable, jose.Invalid, KeyError, TypeError):
        return _token_error("invalid_client", 401)
    if data.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    key = f"demo-cie-oidc:code:{_hash(data.get('code', ''))}"
    grant = cache.get(key)
    if grant is None or not cache.delete(key):
        return _token_error("invalid_grant")
    verifier = data.get("code_verifier", "")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    if grant["client_id"] != client_id or grant["redirect_uri"] != data.get("redirect_uri") or not \
            secrets.compare_digest(challenge.encode(), str(grant["challenge"]).encode()):
        return _token_error("invalid_grant")
    person = DEMO_IDENTITIES[grant["person"]]
    access_token = secrets.token_urlsafe(32)
    cache.set(f"demo-cie-oidc:access:{_hash(access_token)}", {"client_id": client_id, "person": grant["person"]},
              timeout=300)
    level = 1 if broken == "acr_sbagliato" else grant["level"]
    claims = jose.claims_for(iss=provider_id(), sub=_pairwise(client_id, grant["person"]), lifetime=300,
                             aud=[client_id], nonce="altro-" + grant["nonce"] if broken == "nonce_sbagliato" else
                             grant["nonce"], acr=settings.SPID_LEVELS[level], given_name=person["name"],
                             family_name=person["familyName"])
    signer = jwk.JWK.generate(kty="RSA", size=2048, kid=_demo_key("provider-core").key_id) \
        if broken == "chiave_sconosciuta" else _demo_key("provider-core")
    id_token = jose.sign(claims, signer)
    if broken == "id_token_alterato":
        head, body, signature = id_token.split(".")
        id_token = ".".join((head, body, ("A" if signature[0] != "A" else "B") + signature[1:]))
    return JsonResponse({"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token},
                        headers={"Cache-Control": "no-store"})


@csrf_exempt  # a bearer-token endpoint
def userinfo(request):
    _enabled()
    header = request.headers.get("Authorization", "")
    grant = cache.get(f"demo-cie-oidc:access:{_hash(header[7:])}") if header.startswith("Bearer ") else None
    if grant is None:
        return JsonResponse({"error": "invalid_token"}, status=401)
    try:
        client = _client(grant["client_id"])
    except (federation.Untrusted, federation.Unreachable):
        return JsonResponse({"error": "invalid_client"}, status=401)
    person = DEMO_IDENTITIES[grant["person"]]
    claims = jose.claims_for(iss=provider_id(), sub=_pairwise(grant["client_id"], grant["person"]), lifetime=300,
                             aud=grant["client_id"], given_name=person["name"], family_name=person["familyName"],
                             birthdate=person["dateOfBirth"], **{relying_party.FISCAL_NUMBER: person["fiscalNumber"]})
    if person["email"]:
        claims["email"] = person["email"]
    signed = jose.sign(claims, _demo_key("provider-core"))
    if fault() == "userinfo_in_chiaro":
        return _jwt_response(signed, "application/jwt")
    return _jwt_response(jose.encrypt(signed, client["jwks"]), "application/jwt")


@csrf_exempt  # the sandbox's control: demo and tests only
def faults(request):
    _enabled()
    return SWITCH.view(request)


urlpatterns = [
    path("ta/.well-known/openid-federation", anchor_configuration, name="demo_cie_anchor"),
    path("ta/fetch/", anchor_fetch, name="demo_cie_anchor_fetch"),
    path("ta/list/", anchor_list, name="demo_cie_anchor_list"),
    path("op/.well-known/openid-federation", provider_configuration, name="demo_cie_provider"),
    path("op/authorization/", authorization, name="demo_cie_authorization"),
    path("op/authorization/login/", login, name="demo_cie_login"),
    path("op/token/", token, name="demo_cie_token"),
    path("op/userinfo/", userinfo, name="demo_cie_userinfo"),
    path("guasti/", faults, name="demo_cie_faults"),
]

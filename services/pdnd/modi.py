"""The tokens PDND and the ModI interoperability model ask of a consumer, signed with the client's key (RS256):

- the **client assertion** exchanged at PDND's token endpoint for a voucher (`purposeId`; with AUDIT_REST_02 the
  `digest` of the tracking evidence, so the voucher is bound to it);
- **Agid-JWT-TrackingEvidence** (AUDIT_REST_02): who asks, from where, at which level of assurance — pseudonymous;
- **Agid-JWT-Signature** (INTEGRITY_REST_01) with the `Digest` of the body among its signed headers."""

import base64
import hashlib
import json
import secrets
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from jwcrypto import jwk

from services.core import jose

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def key_file() -> Path:
    if settings.PDND_KEY_FILE:
        return Path(settings.PDND_KEY_FILE)
    if not settings.PDND_SANDBOX_ENABLED:
        raise RuntimeError("PDND_KEY_FILE must be set")
    return Path(settings.BASE_DIR) / "var" / "pdnd" / "client.pem"


@lru_cache(maxsize=4)
def _client_key(path: str, kid: str) -> jwk.JWK:
    file = Path(path)
    if not file.exists() and settings.PDND_SANDBOX_ENABLED and not settings.PDND_KEY_FILE:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".tmp")
        tmp.write_bytes(jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None))
        tmp.chmod(0o600)
        tmp.replace(file)
    key = jwk.JWK.from_pem(file.read_bytes())
    data = json.loads(key.export_private())
    data["kid"] = kid or key.thumbprint()  # the kid PDND's back office shows for the uploaded public key
    return jwk.JWK(**data)


def client_key() -> jwk.JWK:
    return _client_key(str(key_file()), settings.PDND_KID)


def body_digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def _sign(claims: dict) -> str:
    key = client_key()
    return jose.sign(claims, key, typ="JWT")


def tracking_evidence(*, audience: str, purpose_id: str, user_id: str, level: str) -> str:
    return _sign(jose.claims_for(iss=settings.PDND_CLIENT_ID, sub=settings.PDND_CLIENT_ID, lifetime=60, aud=audience,
                                 purposeId=purpose_id, dnonce=secrets.randbelow(9 * 10**12) + 10**12, userID=user_id,
                                 userLocation=settings.PDND_USER_LOCATION, LoA=level))


def evidence_digest(evidence: str) -> dict:
    return {"alg": "SHA256", "value": hashlib.sha256(evidence.encode()).hexdigest()}


def client_assertion(*, purpose_id: str, evidence: str = "") -> str:
    claims = jose.claims_for(iss=settings.PDND_CLIENT_ID, sub=settings.PDND_CLIENT_ID, lifetime=60,
                             aud=settings.PDND_ASSERTION_AUDIENCE, purposeId=purpose_id)
    if evidence:
        claims["digest"] = evidence_digest(evidence)
    return _sign(claims)


def integrity_signature(*, audience: str, digest: str, content_type: str = "application/json") -> str:
    claims = jose.claims_for(iss=settings.PDND_CLIENT_ID, sub=settings.PDND_CLIENT_ID, lifetime=60, aud=audience,
                             signed_headers=[{"digest": digest}, {"content-type": content_type}])
    claims["nbf"] = claims["iat"]
    return _sign(claims)

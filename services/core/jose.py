"""Signing, verifying and decrypting JWTs (jwcrypto) for the partners that speak JOSE (the CIE federation, PDND),
with the checks each of them needs.

Only asymmetric algorithms are accepted (never "none", never a shared secret), every token must carry `exp`, and a
token is read before its key is known only where the federation says so: an entity configuration carries its own keys.
"""

import base64
import json
import time
import uuid

from jwcrypto import jwe, jwk, jwt
from jwcrypto.common import JWException

SIGNING_ALGS = ["RS256", "RS512", "ES256", "ES512"]
ENCRYPTION_ALGS = ["RSA-OAEP", "RSA-OAEP-256"]
ENCRYPTION_ENCS = ["A128CBC-HS256", "A256CBC-HS512"]
LEEWAY = 60  # seconds of clock difference between two parties


class Invalid(Exception):
    """A JWT that is malformed, badly signed, expired or not what was expected."""


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def sign(claims: dict, key: jwk.JWK, typ: str = "") -> str:
    header = {"alg": "RS256", "kid": key.key_id}
    if typ:
        header["typ"] = typ
    token = jwt.JWT(header=header, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


def claims_for(*, iss: str, sub: str, lifetime: int, **more) -> dict:
    now = int(time.time())
    return {"iss": iss, "sub": sub, "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex, **more}


def unverified(token) -> tuple[dict, dict]:
    """Header and claims, read before any signature check."""
    try:
        if not isinstance(token, str) or len(token) > 200_000:
            raise ValueError
        parts = token.split(".")
        if len(parts) != 3:
            raise ValueError
        header, claims = (json.loads(_b64decode(part)) for part in parts[:2])
    except (ValueError, UnicodeDecodeError, TypeError) as exc:
        raise Invalid("malformed") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise Invalid("malformed")
    return header, claims


def keyset(jwks) -> jwk.JWKSet:
    try:
        if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
            raise ValueError
        return jwk.JWKSet.from_json(json.dumps({"keys": [k for k in jwks["keys"] if k.get("use", "sig") == "sig"]}))
    except (JWException, ValueError, TypeError, AttributeError) as exc:
        raise Invalid("bad key set") from exc


def verify(token, jwks: dict, *, typ: str = "", iss: str | None = None, aud: str | None = None) -> dict:
    """The claims of a JWS signed by one of `jwks`' keys (named by its kid), with `exp` present and not passed."""
    header, _ = unverified(token)
    if header.get("alg") not in SIGNING_ALGS:
        raise Invalid("algorithm not allowed")
    if typ and header.get("typ") != typ:
        raise Invalid("wrong type")
    check = {"exp": None}
    if iss is not None:
        check["iss"] = iss
    if aud is not None:
        check["aud"] = aud
    try:
        parsed = jwt.JWT(jwt=token, key=keyset(jwks), algs=SIGNING_ALGS, expected_type="JWS", check_claims=check)
        parsed.leeway = LEEWAY
        claims = json.loads(parsed.claims)
    except (JWException, ValueError, TypeError, KeyError) as exc:
        raise Invalid(type(exc).__name__) from exc
    if not isinstance(claims, dict):
        raise Invalid("claims are not an object")
    return claims


def encrypt(payload: str, jwks: dict) -> str:
    """A compact JWE of `payload` to the first encryption key of `jwks`."""
    recipient = next((k for k in jwks.get("keys", []) if k.get("use") == "enc"), None)
    if recipient is None:
        raise Invalid("no encryption key")
    key = jwk.JWK(**recipient)
    token = jwe.JWE(payload.encode(), protected={"alg": "RSA-OAEP-256", "enc": "A256CBC-HS512", "kid": key.key_id,
                                                  "cty": "JWT"})
    token.add_recipient(key)
    return token.serialize(compact=True)


def decrypt(token, key: jwk.JWK) -> str:
    try:
        if not isinstance(token, str) or token.count(".") != 4:
            raise ValueError
        parsed = jwe.JWE(algs=ENCRYPTION_ALGS + ENCRYPTION_ENCS)
        parsed.deserialize(token, key=key)
        return parsed.payload.decode()
    except (JWException, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise Invalid("cannot decrypt") from exc

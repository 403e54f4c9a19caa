"""OpenID Federation as the CIE federation uses it: entity configurations, subordinate statements, trust chains.

A party is trusted when a chain of signed statements leads from its own entity configuration to the trust anchor whose
keys we were given (never fetched): each superior's statement about its subordinate names the keys that must have
signed the subordinate's configuration, and its metadata policy shapes what the subordinate may declare. The resolved
chain is kept until the first of its statements expires, or CIE_OIDC_CHAIN_TTL seconds."""

import copy
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

import httpx

from services.core import jose

WELL_KNOWN = "/.well-known/openid-federation"
STATEMENT_TYPE = "entity-statement+jwt"
MAX_DEPTH = 4  # superiors between a leaf and the anchor, at most
MAX_HINTS = 5
MAX_BODY = 200_000


class Unreachable(Exception):
    """A party did not answer, answered late or with an HTTP error: try again later."""


class Untrusted(Exception):
    """A statement is missing, malformed or badly signed, or no chain reaches the trust anchor."""


@dataclass(frozen=True)
class Statement:
    claims: dict
    token: str


@dataclass(frozen=True)
class TrustChain:
    subject: str
    anchor: str
    metadata: dict  # the subject's metadata, with every superior's policy applied
    expires_at: int


def http_client() -> httpx.Client:
    kwargs = {"timeout": settings.CIE_OIDC_TIMEOUT, "follow_redirects": False}
    if settings.CIE_OIDC_TRANSPORT == "wsgi":
        from services.core.http import in_process_transport

        kwargs["transport"] = in_process_transport()
    return httpx.Client(**kwargs)


def http_get(url: str, params: dict | None = None) -> str:
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise Untrusted("not an http(s) address")
    try:
        with http_client() as client:
            response = client.get(url, params=params)
    except httpx.InvalidURL as exc:
        raise Untrusted("not a valid address") from exc
    except httpx.HTTPError as exc:
        raise Unreachable(f"{type(exc).__name__} from {url}") from exc
    if response.status_code >= 500:
        raise Unreachable(f"HTTP {response.status_code} from {url}")
    if response.status_code != 200:
        raise Untrusted(f"HTTP {response.status_code} from {url}")
    if len(response.content) > MAX_BODY:
        raise Untrusted(f"answer too long from {url}")
    return response.text.strip()


def entity_configuration(entity_id: str, jwks: dict | None = None) -> Statement:
    """The entity's configuration, signed by its own keys, or by `jwks` when we know them already (the anchor)."""
    token = http_get(entity_id.rstrip("/") + WELL_KNOWN)
    try:
        _, unverified = jose.unverified(token)
        if unverified.get("sub") != entity_id:
            raise Untrusted(f"configuration of {entity_id} names another subject")
        claims = jose.verify(token, jwks or unverified.get("jwks"), typ=STATEMENT_TYPE, iss=entity_id)
    except jose.Invalid as exc:
        raise Untrusted(f"configuration of {entity_id}: {exc}") from exc
    return Statement(claims, token)


def subordinate_statement(superior: Statement, subject: str, jwks: dict) -> Statement:
    """What `superior` says of `subject`, from its fetch endpoint, signed by one of `jwks`."""
    try:
        endpoint = superior.claims["metadata"]["federation_entity"]["federation_fetch_endpoint"]
        if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
            raise TypeError
    except (KeyError, TypeError) as exc:
        raise Untrusted(f"{superior.claims.get('iss')} has no fetch endpoint") from exc
    token = http_get(endpoint, params={"sub": subject})
    try:
        claims = jose.verify(token, jwks, typ=STATEMENT_TYPE, iss=superior.claims["iss"])
    except jose.Invalid as exc:
        raise Untrusted(f"statement of {superior.claims['iss']} about {subject}: {exc}") from exc
    if claims.get("sub") != subject:
        raise Untrusted(f"statement of {superior.claims['iss']} is about another subject")
    return Statement(claims, token)


def resolve(subject: str, anchor: str, anchor_jwks: dict) -> TrustChain:
    """Walks the authority hints from `subject` up to `anchor`; raises Untrusted when no chain gets there."""
    leaf = entity_configuration(subject)
    current, expires, policies = leaf, leaf.claims["exp"], []
    for _ in range(MAX_DEPTH + 1):
        hints = current.claims.get("authority_hints")
        if not isinstance(hints, list) or not hints:
            raise Untrusted(f"{current.claims['iss']} names no authority")
        hints = [h for h in hints if isinstance(h, str) and h.startswith(("https://", "http://"))][:MAX_HINTS]
        hints.sort(key=lambda hint: hint != anchor)  # the anchor first, when it is a direct superior
        problems = []
        for hint in hints:
            try:
                if hint == anchor:
                    superior = entity_configuration(hint, jwks=anchor_jwks)
                    signer_keys = anchor_jwks
                else:
                    superior = entity_configuration(hint)
                    signer_keys = superior.claims.get("jwks")
                statement = subordinate_statement(superior, current.claims["sub"], signer_keys)
                # The subordinate's own configuration must have been signed by a key its superior vouches for.
                jose.verify(current.token, statement.claims.get("jwks"), typ=STATEMENT_TYPE)
            except (Untrusted, jose.Invalid) as exc:
                problems.append(str(exc))
                continue
            policies.append(statement.claims.get("metadata_policy") or {})
            expires = min(expires, superior.claims["exp"], statement.claims["exp"])
            if hint == anchor:
                metadata = leaf.claims.get("metadata") or {}
                for policy in reversed(policies):  # the anchor's policy first, down to the leaf's superior
                    metadata = apply_policy(metadata, policy)
                return TrustChain(subject=subject, anchor=anchor, metadata=metadata, expires_at=int(expires))
            current = superior
            break
        else:
            raise Untrusted("; ".join(problems) or f"{current.claims['iss']} names no usable authority")
    raise Untrusted(f"no chain from {subject} to {anchor} within {MAX_DEPTH} superiors")


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def apply_policy(metadata: dict, policy: dict) -> dict:
    """A superior's metadata policy (value, add, default, one_of, subset_of, superset_of, essential) on `metadata`."""
    if not isinstance(policy, dict):
        raise Untrusted("metadata policy is not an object")
    result = copy.deepcopy(metadata)
    for kind, rules in policy.items():
        if kind not in result or not isinstance(rules, dict):
            continue
        section = result[kind]
        for name, ops in rules.items():
            if not isinstance(ops, dict):
                raise Untrusted(f"policy for {kind}.{name} is not an object")
            value = section.get(name)
            if "value" in ops:
                value = ops["value"]
            if "add" in ops:
                value = list(dict.fromkeys(_as_list(value) + _as_list(ops["add"])))
            if value is None and "default" in ops:
                value = ops["default"]
            if "one_of" in ops and value is not None and value not in _as_list(ops["one_of"]):
                raise Untrusted(f"{kind}.{name} is not one of those allowed")
            if "subset_of" in ops and value is not None:
                value = [v for v in _as_list(value) if v in _as_list(ops["subset_of"])]
            if "superset_of" in ops and value is not None and not set(_as_list(ops["superset_of"])) <= set(_as_list(value)):
                raise Untrusted(f"{kind}.{name} lacks values the federation requires")
            if ops.get("essential") and value in (None, [], ""):
                raise Untrusted(f"{kind}.{name} is required by the federation")
            if value is None:
                section.pop(name, None)
            else:
                section[name] = value
    return result


def trust_chain(subject: str, anchor: str, anchor_jwks: dict) -> TrustChain:
    """The resolved chain, from the cache while none of its statements has expired."""
    key = "oidc-chain:" + hashlib.sha256(f"{subject}\n{anchor}".encode()).hexdigest()[:40]
    chain = cache.get(key)
    now = int(time.time())
    if chain is None or chain.expires_at <= now:
        chain = resolve(subject, anchor, anchor_jwks)
        cache.set(key, chain, timeout=max(min(chain.expires_at - now, settings.CIE_OIDC_CHAIN_TTL), 1))
    return chain

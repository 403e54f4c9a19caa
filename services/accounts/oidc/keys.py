"""The relying party's key pairs, kept as private JWK files as SPID's key is kept as PEM: one for the federation (signs
the entity configuration), one that signs request objects and client assertions, one that userinfo is encrypted to.

Production reads them from CIE_OIDC_KEYS_DIR (`manage.py cie_oidc_keys` writes them once and prints the public part
for onboarding); the demo and the tests generate them under var/oidc on first use."""

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from jwcrypto import jwk

KINDS = {"federation": "sig", "core-sig": "sig", "core-enc": "enc"}


def keys_dir() -> Path:
    if settings.CIE_OIDC_KEYS_DIR:
        return Path(settings.CIE_OIDC_KEYS_DIR)
    if not settings.CIE_OIDC_DEMO_ENABLED:
        raise RuntimeError("CIE_OIDC_KEYS_DIR must be set")
    return Path(settings.BASE_DIR) / "var" / "oidc"


def generate(directory: Path, name: str, use: str) -> jwk.JWK:
    """Writes a new RSA key pair to `name`.json (mode 600) unless one is there; returns the key."""
    path = directory / f"{name}.json"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        key = jwk.JWK.generate(kty="RSA", size=2048, use=use)
        data = json.loads(key.export_private())
        data["kid"] = key.thumbprint()  # the RFC 7638 thumbprint names the key, as the federation's rules ask
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.chmod(0o600)
        tmp.replace(path)
    return load(path)


def load(path: Path) -> jwk.JWK:
    data = json.loads(Path(path).read_text())
    return jwk.JWK(**data)


@lru_cache(maxsize=8)
def _key(directory: str, name: str) -> jwk.JWK:
    path = Path(directory) / f"{name}.json"
    if settings.CIE_OIDC_KEYS_DIR:
        return load(path)
    return generate(Path(directory), name, KINDS[name])


def key(name: str) -> jwk.JWK:
    """One of our private keys: "federation", "core-sig" or "core-enc"."""
    return _key(str(keys_dir()), name)


def public_jwks(*names: str) -> dict:
    return {"keys": [key(name).export_public(as_dict=True) for name in names]}

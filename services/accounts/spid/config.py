"""Builds the pysaml2 configurations of our service provider and of the demo identity provider."""

import copy
import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings

import saml2
import saml2.xmldsig
from saml2.config import IdPConfig, SPConfig
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.sigver import get_xmlsec_binary

from .keys import ensure_key_pair

VAR = Path(settings.BASE_DIR) / "var" / "saml"


def saml_config(key_file: str, cert_file: str, metadata_files: list[str], base_url: str) -> dict:
    """Our service provider's pysaml2 configuration (SPID rules: signed requests, signed responses, SHA-256)."""
    base = base_url.rstrip("/")
    return {
        "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
        "entityid": f"{base}/spid/metadata/",
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "service": {
            "sp": {
                "name": settings.SPID_ORGANIZATION,
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "name_id_policy_format": NAMEID_FORMAT_TRANSIENT,
                "endpoints": {
                    "assertion_consumer_service": [(f"{base}/spid/acs/", saml2.BINDING_HTTP_POST)],
                    "single_logout_service": [(f"{base}/spid/ls/post/", saml2.BINDING_HTTP_POST)],
                },
                "required_attributes": ["fiscalNumber", "name", "familyName"],
                "optional_attributes": ["email", "mobilePhone", "dateOfBirth"],
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": True,
                "only_use_keys_in_metadata": True,
                "allow_unsolicited": False,
                "signing_algorithm": saml2.xmldsig.SIG_RSA_SHA256,
                "digest_algorithm": saml2.xmldsig.DIGEST_SHA256,
            }
        },
        "metadata": {"local": metadata_files},
        "key_file": key_file,
        "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "organization": {
            "name": [(settings.SPID_ORGANIZATION, "it")],
            "display_name": [(settings.SPID_ORGANIZATION, "it")],
            "url": [(base, "it")],
        },
    }


def sp_key_pair() -> tuple[str, str]:
    if settings.SPID_KEY_FILE and settings.SPID_CERT_FILE:
        return settings.SPID_KEY_FILE, settings.SPID_CERT_FILE
    if not settings.SPID_DEMO_IDP_ENABLED:
        raise RuntimeError("SPID_KEY_FILE and SPID_CERT_FILE must be set")
    return ensure_key_pair(VAR, "sp", settings.SPID_ORGANIZATION, settings.SPID_IPA_CODE)


def idp_metadata_files() -> list[str]:
    files = sorted(str(p) for p in Path(settings.SPID_IDP_METADATA_DIR).glob("*.xml"))
    if settings.SPID_DEMO_IDP_ENABLED:
        from .demo_idp import metadata_file

        files.append(metadata_file(settings.SPID_BASE_URL))
    return files


def sp_config_dict() -> dict:
    """The SP's configuration; its URLs follow settings.SPID_BASE_URL (tests point it at their live server)."""
    key_file, cert_file = sp_key_pair()
    return saml_config(key_file, cert_file, idp_metadata_files(), base_url=settings.SPID_BASE_URL)


def load_sp_config(request=None) -> SPConfig:
    """SAML_CONFIG_LOADER for djangosaml2."""
    return _load_sp_config(settings.SPID_BASE_URL, tuple(idp_metadata_files()))


@lru_cache(maxsize=8)
def _load_sp_config(base_url, metadata_files):
    conf = SPConfig()
    data = sp_config_dict()
    data["metadata"] = {"local": list(metadata_files)}
    conf.load(copy.deepcopy(data))
    return conf


def idp_config_dict(base_url: str, with_sp_metadata: bool) -> dict:
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_TRANSIENT
    from saml2.sigver import get_xmlsec_binary

    key_file, cert_file = ensure_key_pair(VAR, "demo-idp", "Sportello demo IdP")
    data = {
        "entityid": f"{base_url}/demo-idp/metadata/",
        "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
        "key_file": key_file,
        "cert_file": cert_file,
        "allow_unknown_attributes": True,
        "organization": {
            "name": [("Sportello demo IdP", "it")],
            "display_name": [("Sportello demo IdP", "it")],
            "url": [(base_url, "it")],
        },
        "service": {
            "idp": {
                "name": "Sportello demo IdP",
                "endpoints": {
                    "single_sign_on_service": [
                        (f"{base_url}/demo-idp/sso/", BINDING_HTTP_POST),
                        (f"{base_url}/demo-idp/sso/", BINDING_HTTP_REDIRECT),
                    ],
                    "single_logout_service": [(f"{base_url}/demo-idp/slo/", BINDING_HTTP_POST)],
                },
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "want_authn_requests_signed": True,
                "sign_response": True,
                "sign_assertion": True,
                "policy": {"default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_BASIC}},
            }
        },
    }
    if with_sp_metadata:
        from .metadata import sp_metadata_file

        data["metadata"] = {"local": [sp_metadata_file(base_url)]}
    return data


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def load_idp_config(base_url: str) -> IdPConfig:
    conf = IdPConfig()
    conf.load(idp_config_dict(base_url, with_sp_metadata=True))
    return conf

"""SPID and CIE over SAML 2 (djangosaml2 + pysaml2). Read by base.py; values from the environment."""

from pathlib import Path

import saml2

from config.env import BASE_DIR, env

SPID_BASE_URL = env("SPID_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
SPID_KEY_FILE = env("SPID_KEY_FILE", default="")
SPID_CERT_FILE = env("SPID_CERT_FILE", default="")
SPID_IDP_METADATA_DIR = Path(env("SPID_IDP_METADATA_DIR", default=str(BASE_DIR / "config" / "saml" / "idp-metadata")))
SPID_DEFAULT_LEVEL = env.int("SPID_DEFAULT_LEVEL", default=2)
SPID_CIE_ENTITY_ID = env("SPID_CIE_ENTITY_ID", default="")
# eIDAS: Italy's eIDAS node as a SAML identity provider of the SPID federation ("" = no *Login with eIDAS*); its
# metadata goes in SPID_IDP_METADATA_DIR with the others. The attribute set asked: 99 (minimum: identifier, name,
# surname, date of birth) or 100 (full: also place of birth, gender, address), the indexes AgID assigns to eIDAS.
SPID_EIDAS_ENTITY_ID = env("SPID_EIDAS_ENTITY_ID", default="")
SPID_EIDAS_ATTRIBUTE_SET = env.int("SPID_EIDAS_ATTRIBUTE_SET", default=99)
SPID_ORGANIZATION = env("SPID_ORGANIZATION", default="Comune di Valfiorita")
SPID_IPA_CODE = env("SPID_IPA_CODE", default="c_z999")
SPID_CONTACT_EMAIL = env("SPID_CONTACT_EMAIL", default="urp@comune.valfiorita.example.it")
SPID_CONTACT_PHONE = env("SPID_CONTACT_PHONE", default="+390710001000")
# The demo identity provider is served by the same process; only dev and test settings turn it on.
SPID_DEMO_IDP_ENABLED = False

SPID_LEVELS = {1: "https://www.spid.gov.it/SpidL1", 2: "https://www.spid.gov.it/SpidL2", 3: "https://www.spid.gov.it/SpidL3"}

SAML_SESSION_COOKIE_NAME = "saml_session"
SAML_DJANGO_USER_MAIN_ATTRIBUTE = "fiscal_code"
SAML_USE_NAME_ID_AS_USERNAME = False
SAML_CREATE_UNKNOWN_USER = True
SAML_ATTRIBUTE_MAPPING = {
    "fiscalNumber": ("fiscal_code",),  # the username is set once, at creation (spid/backends.py)
    "name": ("first_name",),
    "familyName": ("last_name",),
    "email": ("email",),
    "mobilePhone": ("mobile_phone",),
}
SAML_DEFAULT_BINDING = saml2.BINDING_HTTP_POST
SAML_LOGOUT_REQUEST_PREFERRED_BINDING = saml2.BINDING_HTTP_POST
SAML_IGNORE_LOGOUT_ERRORS = True
SAML2_CUSTOM_AUTHORIZATION_ERROR_TEMPLATE = "accounts/spid_error.html"
SAML2_CUSTOM_POST_BINDING_FORM_TEMPLATE = "accounts/saml_post_form.html"
SAML_CSP_HANDLER = ""

"""Tests: SQLite in memory unless DATABASE_URL is set; Redis cache and a real broker when their URLs are set."""

import tempfile

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - tests only
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Uploaded and demo files in a temporary directory: Wagtail serves documents from a local path,
# which the in-memory storage claims to have but does not.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=tempfile.mkdtemp(prefix="sportello-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests call tasks directly unless a test starts a real worker (tests/test_celery.py).
CELERY_TASK_ALWAYS_EAGER = True
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", default="sportello-test")
STATIC_ROOT = None  # static files come from the finders in tests

# The demo SAML identity provider (services/accounts/spid/demo_idp.py) runs in this process.
SPID_DEMO_IDP_ENABLED = True
SAML_SESSION_COOKIE_SAMESITE = "Lax"  # same-site demo IdP over plain HTTP
SPID_BASE_URL = "http://testserver"
SPID_CIE_ENTITY_ID = f"{SPID_BASE_URL}/demo-idp/metadata/"  # the demo IdP stands in for CIE too
SPID_EIDAS_ENTITY_ID = f"{SPID_BASE_URL}/demo-idp/metadata/"  # and for Italy's eIDAS node, with EU identities
CIE_OIDC_DEMO_ENABLED = True
CIE_OIDC_PROVIDER = "demo"
CIE_OIDC_TRANSPORT = "wsgi"
SMS_BACKEND = "services.notifications.sms.LocmemBackend"

PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=tempfile.mkdtemp(prefix="sportello-private-"))  # the restore test sets it

# The demo Comune as a pagoPA creditor (fictional codes).
PAGOPA_CREDITOR = {
    "fiscal_code": "80012340420", "segregation_code": "01", "iban": "IT60X0542811101000000123456",
    "company_name": "Comune di Valfiorita", "office_name": "Ufficio Scuola", "cbill": "AAA0A",
}

# App IO sandbox in this process (services/notifications/io_sandbox.py).
IO_ENABLED = True
IO_SANDBOX_ENABLED = True
IO_BASE_URL = "http://testserver/io-sandbox"
IO_SERVICES = {name: {"key": f"io-sandbox-{name}"} for name in ("default", "istanze", "meals", "transport", "payments")}
IO_TRANSPORT = "wsgi"  # no network: requests go to the WSGI application

# pagoPA sandbox in this process (services/payments/sandbox); tests point the URLs at their live server.
PAGOPA_SANDBOX_ENABLED = True
PAGOPA_SANDBOX_BASE = "http://testserver/pagopa-sandbox"
PAGOPA_GPD_URL = f"{PAGOPA_SANDBOX_BASE}/gpd"
PAGOPA_CHECKOUT_URL = f"{PAGOPA_SANDBOX_BASE}/checkout/ec/v1"
PAGOPA_RECEIPTS_URL = f"{PAGOPA_SANDBOX_BASE}/receipts"
PAGOPA_SUBSCRIPTION_KEY = "sandbox-key"
PAGOPA_PUSH_TOKEN = "sandbox-push-token"  # noqa: S105 - the sandbox\'s token, development and tests only
PAGOPA_RECEIPT_PUSH_URL = "http://testserver/pagopa/ricevute/"
PAGOPA_TIMEOUT = 2.0

# The protocol systems' sandboxes in this process (services/protocol/sandbox.py); no adapter unless a test sets one.
PROTOCOL_SANDBOX_ENABLED = True
PROTOCOL_TRANSPORT = "wsgi"
PROTOCOL_URL = "http://testserver/protocollo-sandbox/docarea/"
PROTOCOL_ENTE = "c_z999"
PROTOCOL_USERNAME = "sportello"
PROTOCOL_PASSWORD = "sandbox-protocollo"  # noqa: S105 - the sandbox's own, tests only
PROTOCOL_TIMEOUT = 5.0

# PDND and ANPR: the local stand-ins (services/pdnd/sandbox.py) in this process; the client's key is generated under
# var/pdnd on first use and the sandbox trusts it.
PDND_SANDBOX_ENABLED = True
PDND_CLIENT_ID = "sportello-demo-client"
PDND_TOKEN_URL = "http://testserver/pdnd-sandbox/token.oauth2"  # noqa: S105 - an address, not a secret
PDND_ANPR_URL = "http://testserver/pdnd-sandbox/anpr"
PDND_ANPR_AUDIENCE = "http://testserver/pdnd-sandbox/anpr"
PDND_ANPR_PURPOSES = {"C030": "demo-purpose-c030", "C020": "demo-purpose-c020", "C021": "demo-purpose-c021"}
PDND_INPS_URL = "http://testserver/pdnd-sandbox/inps/consultazione-isee"
PDND_INPS_AUDIENCE = "http://testserver/pdnd-sandbox/inps"
PDND_INPS_PURPOSE = "demo-purpose-isee"
PDND_TRANSPORT = "wsgi"

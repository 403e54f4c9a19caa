"""`make run`: SQLite, local-memory cache, tasks in-process, e-mail to files."""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
DEMO = True
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The demo SAML identity provider (services/accounts/spid/demo_idp.py) runs in this process.
SPID_DEMO_IDP_ENABLED = True
SAML_SESSION_COOKIE_SAMESITE = "Lax"  # same-site demo IdP over plain HTTP
from .base import SPID_BASE_URL  # noqa: E402

SPID_CIE_ENTITY_ID = f"{SPID_BASE_URL}/demo-idp/metadata/"  # the demo IdP stands in for CIE over SAML
SPID_EIDAS_ENTITY_ID = f"{SPID_BASE_URL}/demo-idp/metadata/"  # and for Italy's eIDAS node, with EU identities
# CIE over OpenID Connect: the demo federation (trust anchor and CIE provider) in this process.
CIE_OIDC_DEMO_ENABLED = True
CIE_OIDC_PROVIDER = "demo"
SMS_BACKEND = "services.notifications.sms.FileBackend"

# The demo Comune as a pagoPA creditor (fictional codes).
PAGOPA_CREDITOR = {
    "fiscal_code": "80012340420", "segregation_code": "01", "iban": "IT60X0542811101000000123456",
    "company_name": "Comune di Valfiorita", "office_name": "Ufficio Scuola", "cbill": "AAA0A",
}

# App IO sandbox in this process (services/notifications/io_sandbox.py).
IO_ENABLED = True
IO_SANDBOX_ENABLED = True
IO_BASE_URL = "http://127.0.0.1:8000/io-sandbox"
IO_SERVICES = {name: {"key": f"io-sandbox-{name}"} for name in ("default", "istanze", "meals", "transport", "payments")}

# pagoPA sandbox in this process (services/payments/sandbox); tests point the URLs at their live server.
PAGOPA_SANDBOX_ENABLED = True
PAGOPA_SANDBOX_BASE = "http://127.0.0.1:8000/pagopa-sandbox"
PAGOPA_GPD_URL = f"{PAGOPA_SANDBOX_BASE}/gpd"
PAGOPA_CHECKOUT_URL = f"{PAGOPA_SANDBOX_BASE}/checkout/ec/v1"
PAGOPA_RECEIPTS_URL = f"{PAGOPA_SANDBOX_BASE}/receipts"
PAGOPA_SUBSCRIPTION_KEY = "sandbox-key"
PAGOPA_PUSH_TOKEN = "sandbox-push-token"  # noqa: S105 - the sandbox\'s token, development and tests only
PAGOPA_RECEIPT_PUSH_URL = "http://127.0.0.1:8000/pagopa/ricevute/"
PAGOPA_TIMEOUT = 2.0

# The protocol system: the DocArea sandbox in this process (services/protocol/sandbox.py); its credentials are the
# sandbox's own.
PROTOCOL_SANDBOX_ENABLED = True
PROTOCOL_ADAPTER = env("PROTOCOL_ADAPTER", default="docarea")
PROTOCOL_URL = env("PROTOCOL_URL", default="http://127.0.0.1:8000/protocollo-sandbox/docarea/")
PROTOCOL_ENTE = "c_z999"
PROTOCOL_USERNAME = "sportello"
PROTOCOL_PASSWORD = "sandbox-protocollo"  # noqa: S105 - the sandbox's own, development only
PROTOCOL_TIMEOUT = 5.0

# PDND and ANPR: the local stand-ins (services/pdnd/sandbox.py) in this process; the client's key is generated under
# var/pdnd on first use and the sandbox trusts it.
PDND_SANDBOX_ENABLED = True
PDND_CLIENT_ID = "sportello-demo-client"
PDND_TOKEN_URL = "http://127.0.0.1:8000/pdnd-sandbox/token.oauth2"  # noqa: S105 - an address, not a secret
PDND_ANPR_URL = "http://127.0.0.1:8000/pdnd-sandbox/anpr"
PDND_ANPR_AUDIENCE = "http://127.0.0.1:8000/pdnd-sandbox/anpr"
PDND_ANPR_PURPOSES = {"C030": "demo-purpose-c030", "C020": "demo-purpose-c020", "C021": "demo-purpose-c021"}
PDND_INPS_URL = "http://127.0.0.1:8000/pdnd-sandbox/inps/consultazione-isee"
PDND_INPS_AUDIENCE = "http://127.0.0.1:8000/pdnd-sandbox/inps"
PDND_INPS_PURPOSE = "demo-purpose-isee"

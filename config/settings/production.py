"""Production: every deploy value from the environment; fails fast when one is missing."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
DEMO = False  # never in production, whatever a settings module below says
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# site/nginx.conf in front of gunicorn: exactly that hop is trusted for the client's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

SPID_DEMO_IDP_ENABLED = False  # never in production, whatever the environment says
CIE_OIDC_DEMO_ENABLED = False  # nor the demo CIE federation
CIE_OIDC_TRANSPORT = ""
PDND_SANDBOX_ENABLED = False  # nor the PDND and ANPR stand-ins
PDND_TRANSPORT = ""
SPID_KEY_FILE = env("SPID_KEY_FILE")
SPID_CERT_FILE = env("SPID_CERT_FILE")
# Private files (attachments) are encrypted with these Fernet keys, newest first.
FILE_ENCRYPTION_KEYS = env.list("FILE_ENCRYPTION_KEYS")
SAML_SESSION_COOKIE_SAMESITE = "None"
STAFF_MFA_REQUIRED = True
PAGOPA_SANDBOX_ENABLED = False  # never in production, whatever the environment says
IO_SANDBOX_ENABLED = False  # likewise the App IO sandbox
PROTOCOL_SANDBOX_ENABLED = False  # and the protocol systems' sandboxes
PROTOCOL_TRANSPORT = ""
IO_TRANSPORT = ""

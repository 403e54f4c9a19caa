"""`make run`: the demo as citizens would see it, served as production serves it.

Production's own settings force HTTPS, `__Host-` cookie names and switch the demo identity
provider and the sandboxes off, so the demo builds on the development settings (SQLite, tasks
in-process, the demo IdP, the pagoPA and App IO sandboxes, e-mail and SMS to files) and takes
from production what a visitor notices: no debug pages, the site's own 404 and 500 pages,
compressed static files with far-future caching, the security headers. It is served by gunicorn
in one process with threads (Makefile): the sandboxes call back into the site during a request,
and the local-memory cache and the publish generation are per process.
"""

from .dev import *  # noqa: F401,F403
from .dev import BASE_DIR, DATABASES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="demo-only-insecure-key-do-not-use-in-production")  # noqa: S105 - the demo's own key
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names, gzip and Brotli copies; WhiteNoise sends hashed files as immutable for a year.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600  # unhashed names (favicon, robots) for an hour

# HTML compressed as nginx does in production (Debian's nginx.conf: gzip on); Django masks the CSRF
# token on every response, which is what keeps compression safe from BREACH.
from .dev import MIDDLEWARE  # noqa: E402

MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]

# Several threads share one SQLite file: wait for a lock instead of failing at once, and take the
# write lock when a transaction starts, so two writers never deadlock on an upgrade.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"})

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

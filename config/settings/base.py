"""Settings shared by every environment. No secrets here: deploy values come from the environment."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from celery.schedules import crontab

from config.env import BASE_DIR, env

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = False
# The demo (make run, make dev): demo users may be created and public media are served by Django.
DEMO = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies of ours stand in front of Django, each appending to X-Forwarded-For (site/nginx.conf: one). With 0
# the header is ignored, whatever a client sends (services/core/http.py client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# An expired form: the site's Italian page, with what was typed shown back (services/core/errors.py).
CSRF_FAILURE_VIEW = "services.core.errors.csrf_failure"

INSTALLED_APPS = [
    "home",
    "search",
    "services.core",
    "services.accounts",
    "services.catalogue",
    "services.notifications",
    "services.protocol",
    "services.pdnd",
    "services.istanze",
    "services.procedures",
    "services.builder",
    "services.schools",
    "services.oepac",
    "services.payments",
    "services.meals",
    "services.transport",
    "services.assistance",
    "services.appointments",
    "formtools",
    "wagtail_modeladmin",
    "bootstrap_italia_template",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "services.accounts.wagtail_users.SportelloUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "djangosaml2",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Each layer costs every request (bench/README.md, the middleware floor): related checks share one.
    # REMOTE_ADDR becomes the client's as the trusted proxies report it (TRUSTED_PROXY_COUNT), for every limit and log;
    # the request id (from nginx's X-Request-ID, or made) for every log line and task; the request's metrics.
    "services.core.observability.ObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves anonymous pages from the full-page cache before any session work.
    "home.cache.PageCacheMiddleware",
    "home.cache.SiteCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "services.accounts.middleware.SamlSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # CSP, Permissions-Policy, X-Frame-Options, and private, no-store for the admin, the personal area and anyone
    # signed in: outside the account checks, so their redirects and refusals carry them too.
    "services.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Session lifetimes, the staff's second factor, the admin refused to citizens.
    "services.accounts.middleware.AccountChecksMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# X-Frame-Options comes from SecurityHeadersMiddleware, not Django's own middleware, which W002 looks for by name;
# services/core/checks.py (core.W001) warns instead when SecurityHeadersMiddleware is missing.
SILENCED_SYSTEM_CHECKS = ["security.W002"]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.feedback_answers",
                "services.accounts.context_processors.session_timeouts",
                "services.accounts.context_processors.login_label",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    from services.core.cache import BreakerConnection  # plain redis-py, no Django: safe to import from the settings

    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="sportello"),
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2,
                        "CONNECTION_POOL_KWARGS": {"connection_class": BreakerConnection}},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sportello"}}
# Redis down degrades instead of failing (issue 28): a read is a miss, a write is skipped, and each is logged (at most
# once a minute, core.observability.OncePerMinute) and counted. Anonymous pages render from the database, sessions are
# read from the database (cached_db), the sandboxes and the rate limits forget their counters until it is back.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "sportello.cache"

# Per-process memory for values keyed by the publish generation (home/cache.py).
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "sportello-local",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# Full-page cache of anonymous public pages (home/cache.py).
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=600)
# How long a process keeps the publish generation it read (seconds; 0 reads it from Redis on every request that needs
# it): another process's publish shows within this time.
PAGE_CACHE_GENERATION_TTL = env.float("PAGE_CACHE_GENERATION_TTL", default=1.0)
# How long a process believes the service catalogue's version (services/catalogue/selectors.py): a window changed in
# another process shows within this time.
CATALOGUE_VERSION_TTL = env.float("CATALOGUE_VERSION_TTL", default=1.0)
# Pages that opt in keep their rendered HTML per process, with holes for each request's parts (home/shell.py).
PAGE_SHELL_ENABLED = env.bool("PAGE_SHELL_ENABLED", default=True)
# How long a shared cache (nginx) may keep an anonymous page: a publish shows within this many seconds.
SHARED_CACHE_MAX_AGE = env.int("SHARED_CACHE_MAX_AGE", default=60)

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Django's fallback storage, with the cookie signer made only when a message is read or written.
MESSAGE_STORAGE = "services.core.messages.FallbackStorage"
CSRF_COOKIE_SAMESITE = "Lax"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "services.accounts.spid.backends.SpidBackend",
]
LOGIN_URL = "/accedi/"
LOGIN_REDIRECT_URL = "/area-personale/"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accedi/"
# Staff sign in through allauth too, so the second factor (TOTP) applies to the admin.
WAGTAILADMIN_LOGIN_URL = "/account/login/"

# Local accounts (django-allauth): e-mail + password, e-mail verified, codice fiscale required.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "services.accounts.forms.LocalSignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_ADAPTER = "services.accounts.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "services.accounts.adapters.user_display"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Brute force: back off after 5 failed logins per address (and per IP) in 15 minutes.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/15m/ip,5/15m/key", "signup": "20/h/ip", "reset_password": "5/h/ip,3/h/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Sportello")
# Staff must use a second factor (TOTP) to reach the admin; on in production settings.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)

# Citizens: idle timeout with a warning before it expires, and an absolute lifetime.
CITIZEN_IDLE_TIMEOUT = env.int("CITIZEN_IDLE_TIMEOUT", default=15 * 60)
CITIZEN_IDLE_WARNING = env.int("CITIZEN_IDLE_WARNING", default=2 * 60)
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_LIFETIME", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "services.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},  # Italian message
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"  # display and business dates; the database stores UTC
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "static_collected"))
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Personal files (attachments, receipts) live here, outside the web root, served by authorised views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private"))
# Fernet keys for private files, newest first; empty outside production means a key derived from SECRET_KEY.
FILE_ENCRYPTION_KEYS = env.list("FILE_ENCRYPTION_KEYS", default=[])
# Where `make backup` writes (site/README.md: keep it on another machine; the keys above are never in it).
BACKUP_DIR = env.path("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups"))
# Upload limits of the applications engine (per field rules can be stricter).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Sportello <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SMS_BACKEND = env("SMS_BACKEND", default="services.notifications.sms.ConsoleBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms"))

# Celery: no broker URL means tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
# A worker child killed by a signal (OOM, SIGKILL) would otherwise have its task acknowledged and lost: with this, the
# task goes back to the queue. Every task is idempotent (issue 28), so a redelivery does no harm.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up closes the database connection after every task unless told to reuse it, so a worker opened a
# PostgreSQL connection per task (a broadcast: one per 25 dispatches). The workers keep theirs as the web nodes do
# (CONN_MAX_AGE, CONN_HEALTH_CHECKS): Django's close_old_connections runs around each task (config/celery.py) and
# closes one that is broken, old or left in a transaction; the fix-up itself closes them only every 2,000 tasks.
CELERY_DB_REUSE_MAX = 1000
# Redis as broker redelivers a task whose worker died only after this many seconds: longer than the longest task (the
# daily charges of a large Comune, some minutes), shorter than the sweeps' thresholds would make pointless.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
# A broker down while a request queues its task after commit: give up within about a second (the outbox's sweep, or
# the mop-up, sends it later; site/README.md lists which sweep catches which task), never hold the citizen's request.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.4}
# Queues: messages (e-mail, SMS, App IO), payments (pagoPA calls and receipts), batch (charges, reminders, retention,
# slots) and default; a worker per queue in the stack and in production (site/README.md).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the workers log as the web nodes do: JSON, request ids, no personal data
CELERY_TASK_ROUTES = {
    "services.notifications.tasks.*": {"queue": "messages"},
    "services.payments.tasks.*": {"queue": "payments"},
    "services.protocol.tasks.*": {"queue": "default"},
    "services.meals.tasks.*": {"queue": "batch"},
    "services.istanze.tasks.*": {"queue": "batch"},
    "services.assistance.tasks.*": {"queue": "batch"},
    "services.appointments.tasks.*": {"queue": "batch"},
}
CELERY_QUEUES_EXPECTED = env.list("CELERY_QUEUES_EXPECTED", default=["messages", "payments", "batch", "default"])
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {"task": "home.tasks.publish_scheduled_pages", "schedule": 60.0},
    # 01:30 UTC: outside the 23:00-00:00 window, on the same business day all year round.
    "purge-expired-drafts": {"task": "services.istanze.tasks.purge_expired_drafts", "schedule": crontab(hour=1, minute=30)},
    "close-unpaid-istanze": {"task": "services.istanze.tasks.close_unpaid", "schedule": crontab(hour=1, minute=40)},
    "poll-pagopa-receipts": {"task": "services.payments.tasks.poll_receipts", "schedule": 300.0},
    "mop-up-payments": {"task": "services.payments.tasks.mop_up", "schedule": crontab(minute="*/15")},
    "requeue-protocol-registrations": {"task": "services.protocol.tasks.requeue", "schedule": 300.0},
    "verify-declared-isee": {"task": "services.meals.tasks.isee_verify_pending", "schedule": crontab(minute=25)},
    # 03:40 UTC: AgID's trusted list, for the CNS trust store (does nothing unless CNS_TSL_URL is set)
    "refresh-cns-trust-store": {"task": "services.accounts.tasks.refresh_cns_trust_store", "schedule": crontab(hour=3, minute=40)},
    # 09:30 UTC = 10:30 or 11:30 in Rome: after the cut-off, on the same business date all year round.
    "requeue-messages": {"task": "services.notifications.tasks.requeue", "schedule": env.float("REQUEUE_EVERY_SECONDS", default=120.0)},
    "remind-waiting-istanze": {"task": "services.istanze.tasks.remind_waiting", "schedule": crontab(hour=10, minute=0)},
    "remind-due-payments": {"task": "services.payments.tasks.remind_due", "schedule": crontab(hour=10, minute=5)},
    "staff-digest": {"task": "services.notifications.tasks.staff_digest", "schedule": crontab(hour=7, minute=30, day_of_week="mon-fri")},
    "refresh-io-statuses": {"task": "services.notifications.tasks.refresh_io_statuses", "schedule": crontab(minute="*/10")},
    "charge-meals": {"task": "services.meals.tasks.charge_today", "schedule": crontab(hour=9, minute=30, day_of_week="mon-fri")},
    # 16:00 UTC: after the day's charges, in the afternoon in Rome.
    "meal-balance-reminders": {"task": "services.meals.tasks.balance_reminders", "schedule": crontab(hour=16, minute=0, day_of_week="mon-fri")},
    "reconcile-payments": {"task": "services.payments.tasks.reconcile", "schedule": crontab(hour=2, minute=15)},
    "minimise-expired-istanze": {"task": "services.istanze.tasks.minimise_expired_istanze", "schedule": crontab(hour=1, minute=45)},
    "close-resolved-assistance": {"task": "services.assistance.tasks.close_resolved", "schedule": crontab(hour=2, minute=0)},
    "minimise-closed-assistance": {"task": "services.assistance.tasks.minimise_closed", "schedule": crontab(hour=2, minute=5)},
    "refresh-appointment-slots": {"task": "services.appointments.tasks.refresh_slots", "schedule": crontab(hour=0, minute=30)},
    "expire-pending-appointments": {"task": "services.appointments.tasks.expire_pending", "schedule": 300.0},
    "appointment-reminders": {"task": "services.appointments.tasks.send_reminders", "schedule": crontab(minute=0)},
}

# URP desk (services/assistance): targets in working days when a category has none of its own, how long a
# resolved request may be reopened, how long a closed one keeps its personal data, requests a day per e-mail
# address and per network address.
ASSISTANCE_FIRST_REPLY_DAYS = env.int("ASSISTANCE_FIRST_REPLY_DAYS", default=2)
ASSISTANCE_RESOLUTION_DAYS = env.int("ASSISTANCE_RESOLUTION_DAYS", default=10)
ASSISTANCE_REOPEN_DAYS = env.int("ASSISTANCE_REOPEN_DAYS", default=10)
ASSISTANCE_RETENTION_DAYS = env.int("ASSISTANCE_RETENTION_DAYS", default=730)
ASSISTANCE_DAILY_LIMIT = env.int("ASSISTANCE_DAILY_LIMIT", default=10)

# Appointments (services/appointments): places held during the flow from one network address at a time, and
# bookings waiting for their e-mail's confirmation (each keeps its place 30 minutes) per address and per browser.
APPOINTMENT_HOLDS_PER_CLIENT = env.int("APPOINTMENT_HOLDS_PER_CLIENT", default=3)
APPOINTMENT_PENDING_PER_CLIENT = env.int("APPOINTMENT_PENDING_PER_CLIENT", default=2)

# App IO (services/notifications/io.py): the API base, and one IO service with its key per Sportello service
# (IO_SERVICES='{"default": {"key": "…"}, "meals": {"key": "…"}, "transport": {"key": "…"}, "istanze": {"key": "…"}}').
IO_ENABLED = env.bool("IO_ENABLED", default=False)
# Reminders, once each: an application waiting on the citizen for this many days; a notice due in this many days.
ISTANZE_WAITING_REMINDER_DAYS = env.int("ISTANZE_WAITING_REMINDER_DAYS", default=7)
PAYMENTS_DUE_REMINDER_DAYS = env.int("PAYMENTS_DUE_REMINDER_DAYS", default=3)
# The channels a new account receives the Comune's messages on (codes of the channels registered by notifications).
NOTIFY_DEFAULT_CHANNELS = env.list("NOTIFY_DEFAULT_CHANNELS", default=["io", "email"])
IO_BASE_URL = env("IO_BASE_URL", default="https://api.io.pagopa.it")
IO_SERVICES = env.json("IO_SERVICES", default={})
IO_TIMEOUT = env.float("IO_TIMEOUT", default=10.0)
IO_TRANSPORT = ""  # "wsgi": requests go to this process's WSGI application (tests)
IO_SANDBOX_ENABLED = False

# The ente's patron saint's day ("MM-DD"), a holiday for working days and school days (services/core/clock.py).
PATRON_SAINT_DAY = env("PATRON_SAINT_DAY", default="")

# Online windows of the catalogue's modules (procedure codes, meals-topup, meals-changes): a deploy-time
# override of the service pages' windows, read through services/catalogue/selectors.py like every window:
# PROCEDURE_WINDOWS='{"OEPAC": ["2027-02-15T09:00:00+01:00", "2027-04-30T12:00:00+02:00"]}'
PROCEDURE_WINDOWS = env.json("PROCEDURE_WINDOWS", default={})

# The 0-3 survey (services/procedures/ril03.py): the office (slug) that validates the Comuni's sheets. The deadline the
# Region's dashboard counts down to is the sheets' window (PROCEDURE_WINDOWS or the service page, as every window).
SURVEY_OFFICE = env("SURVEY_OFFICE", default="ufficio-regionale-0-3")

# pagoPA: the creditor entity (ente creditore). Production sets them from the environment. Its fiscal code is
# the ente's, everywhere (services/core/ente.py): editors cannot set another.
PAGOPA_CREDITOR = {
    "fiscal_code": env("PAGOPA_FISCAL_CODE", default=""),
    "segregation_code": env("PAGOPA_SEGREGATION_CODE", default=""),
    "iban": env("PAGOPA_IBAN", default=""),
    "company_name": env("PAGOPA_COMPANY_NAME", default=""),
    "office_name": env("PAGOPA_OFFICE_NAME", default=""),
    "cbill": env("PAGOPA_CBILL", default=""),
}

PAGOPA_GPD_URL = env("PAGOPA_GPD_URL", default="https://api.platform.pagopa.it/gpd/debt-positions-service/v1")
PAGOPA_CHECKOUT_URL = env("PAGOPA_CHECKOUT_URL", default="https://api.platform.pagopa.it/checkout/ec/v1")
PAGOPA_RECEIPTS_URL = env("PAGOPA_RECEIPTS_URL", default="https://api.platform.pagopa.it/gpd/payments-receipts-service/v1")
PAGOPA_SUBSCRIPTION_KEY = env("PAGOPA_SUBSCRIPTION_KEY", default="")
PAGOPA_TIMEOUT = env.float("PAGOPA_TIMEOUT", default=10.0)
# Receipts pushed to /pagopa/ricevute/ must carry "Authorization: Bearer <token>".
PAGOPA_PUSH_TOKEN = env("PAGOPA_PUSH_TOKEN", default="")
# Minutes after which a position whose citizen went to Checkout and never came back is checked with pagoPA.
PAGOPA_MOPUP_MINUTES = env.int("PAGOPA_MOPUP_MINUTES", default=90)
# The outbox's sweep (notifications.dispatches_requeue, every REQUEUE_EVERY_SECONDS): a dispatch queued and not picked up
# after `queued` seconds (the broker was down at commit), one left `sending` by a dead worker after `sending`, a broadcast
# never fanned out after `broadcast`. The fault suite (make faults) shortens them.
OUTBOX_STALE_SECONDS = {"queued": env.int("OUTBOX_STALE_QUEUED_SECONDS", default=120),
                        "sending": env.int("OUTBOX_STALE_SENDING_SECONDS", default=600),
                        "broadcast": env.int("OUTBOX_STALE_BROADCAST_SECONDS", default=600)}
# A position still not on GPD this long after it was made is published again by the mop-up (its task was lost).
PAGOPA_PUBLISH_STUCK_MINUTES = env.int("PAGOPA_PUBLISH_STUCK_MINUTES", default=10)
# The local pagoPA sandbox (services/payments/sandbox): development and tests only.
PAGOPA_SANDBOX_ENABLED = False

# The meal account: top-up limits (euros) and the pagoPA taxonomy code of school-meal payments.
MEALS_TOPUP_MIN = Decimal(env("MEALS_TOPUP_MIN", default="5.00"))
MEALS_TOPUP_MAX = Decimal(env("MEALS_TOPUP_MAX", default="500.00"))
MEALS_TOPUP_TAXONOMY = env("MEALS_TOPUP_TAXONOMY", default="9/0101108TS/")
# Reminders when a meal account is below this balance (euros), at most every N days per channel.
MEALS_REMINDER_THRESHOLD = Decimal(env("MEALS_REMINDER_THRESHOLD", default="10.00"))
MEALS_REMINDER_EVERY_DAYS = env.int("MEALS_REMINDER_EVERY_DAYS", default=7)
# Parents change a day's meal until this time (Europe/Rome) of that day.
MEALS_CUTOFF = env("MEALS_CUTOFF", default="09:00")
# School meals and transport enrollments: refused while the family owes more than this (euros): a meal
# account below zero plus school fees past their due date. Routed to the office with this slug.
SCHOOL_ARREARS_LIMIT = Decimal(env("SCHOOL_ARREARS_LIMIT", default="50.00"))
SCHOOL_FEE_PURPOSES = ["transport-fee"]
SCHOOL_SERVICES_OFFICE = env("SCHOOL_SERVICES_OFFICE", default="ufficio-scuola")
TRANSPORT_FEE_TAXONOMY = env("TRANSPORT_FEE_TAXONOMY", default="9/0101109TS/")
# A procedure's fee paid at Invia (services/istanze/fees.py): the pagoPA taxonomy of its transfers, and how many days
# the notice stays payable (the application waits "in attesa di pagamento" meanwhile).
ISTANZE_FEE_TAXONOMY = env("ISTANZE_FEE_TAXONOMY", default="9/0101108TS/")
ISTANZE_FEE_DAYS = env.int("ISTANZE_FEE_DAYS", default=7)
# An installment whose due date has passed when the enrollment is accepted is due this many days later.
TRANSPORT_DAYS_TO_PAY = env.int("TRANSPORT_DAYS_TO_PAY", default=30)

# Wagtail
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", default="Sportello")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")

# CNS and other smart cards (services/accounts/cns.py, site/nginx.conf): the host name on which nginx asks the browser
# for a client certificate ("" = no CNS login), the header nginx passes it in (cleared on every other host), the trust
# store of the card issuers (`manage.py cns_trust_store`, from AgID's trusted list), revocation lists where there are
# any, and the site's own address the CNS host hands the person back to.
CNS_HOST = env("CNS_HOST", default="")
CNS_HEADER = "HTTP_X_SPORTELLO_CLIENT_CERT"
CNS_TRUST_STORE = env("CNS_TRUST_STORE", default="")
CNS_CRL_DIR = env("CNS_CRL_DIR", default="")
CNS_TSL_URL = env("CNS_TSL_URL", default="")  # AgID publishes it at https://eidas.agid.gov.it/TL/TSL-IT.xml
CNS_SITE_URL = env("CNS_SITE_URL", default=WAGTAILADMIN_BASE_URL).rstrip("/")
WAGTAIL_I18N_ENABLED = False
# No Gravatar: the admin's avatars would load from a third party, which our own CSP blocks (a broken image on every page).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend given plain terms only (search/backend.py).
        "BACKEND": "search.backend",
        # PostgreSQL full text with the Italian dictionary; ignored on SQLite.
        "SEARCH_CONFIG": "italian",
        "AUTO_UPDATE": True,
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "ods", "pdf", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("it", "Italiano"), ("en", "English")]
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}

# Content Security Policy (django-csp, through services.core.middleware.SecurityHeadersMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# The Wagtail admin: its editor runs inline scripts and styles, shows blob: and data: images
# (uploads, previews) and previews pages in a frame of the same origin.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

from .integrations.cie_oidc import *  # noqa: E402,F401,F403
from .integrations.pdnd import *  # noqa: E402,F401,F403
from .integrations.spid import *  # noqa: E402,F401,F403

SAML_CONFIG_LOADER = "services.accounts.spid.config.load_sp_config"
SAML_SESSION_COOKIE_SAMESITE = "None"

# Logs: JSON lines (LOG_FORMAT=json, the stack and production) or plain text, each with the request id, never with
# personal data (core.observability.PersonalDataFilter). `sportello.events` carries the documented chains,
# `sportello.security` the events an operator alerts on.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "services.core.observability.RequestIdFilter"},
                "personal_data": {"()": "services.core.observability.PersonalDataFilter"},
                "once_per_minute": {"()": "services.core.observability.OncePerMinute"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "pythonjsonlogger.json.JsonFormatter", "timestamp": True,
                 "format": "%(levelname)s %(name)s %(request_id)s %(message)s",
                 "rename_fields": {"levelname": "level", "name": "logger"}},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json" if LOG_FORMAT == "json" else "plain",
                             "filters": ["request_id", "personal_data"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "django_tasks": {"level": "WARNING"},
                "sportello.security": {"level": "INFO"}, "sportello.events": {"level": "INFO"},
                "sportello.cache": {"level": "WARNING", "filters": ["once_per_minute"]},
                "sportello.queue": {"level": "WARNING", "filters": ["once_per_minute"]}},
}

# Health and metrics (/salute/pronto/, /metriche/): from these networks, or with `Authorization: Bearer HEALTH_TOKEN`.
HEALTH_ALLOWED_IPS = env.list("HEALTH_ALLOWED_IPS", default=["127.0.0.1/32", "::1/128"])
HEALTH_TOKEN = env("HEALTH_TOKEN", default="")
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=3.0)

# Protocollo informatico (services/protocol, issue 31): the adapter of the Comune's protocol system ("" = none: nothing is
# registered), how many times a registration is tried before it waits for an operator, and the first retry's delay
# (doubled each time, at most an hour).
PROTOCOL_ADAPTER = env("PROTOCOL_ADAPTER", default="")
PROTOCOL_MAX_ATTEMPTS = env.int("PROTOCOL_MAX_ATTEMPTS", default=8)
PROTOCOL_RETRY_SECONDS = env.int("PROTOCOL_RETRY_SECONDS", default=60)
# Where the SOAP adapters (docarea, sicraweb) call the Comune's system, and as whom: the supplier's endpoint, the
# ente's code there, and the application user Sportello registers as (the password stays in the environment).
PROTOCOL_URL = env("PROTOCOL_URL", default="")
PROTOCOL_ENTE = env("PROTOCOL_ENTE", default="")
PROTOCOL_USERNAME = env("PROTOCOL_USERNAME", default="")
PROTOCOL_PASSWORD = env("PROTOCOL_PASSWORD", default="")
PROTOCOL_TIMEOUT = env.float("PROTOCOL_TIMEOUT", default=20.0)
PROTOCOL_TRANSPORT = ""  # "wsgi": calls go to this process's WSGI application (tests)
PROTOCOL_SANDBOX_ENABLED = False

"""Production settings over plain HTTP on loopback, with the benchmark's hello-world URL."""

from .production import *  # noqa: F401,F403
from .production import MIDDLEWARE, env

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# bench/floor.py: the same project with another middleware list (comma-separated dotted paths) to price each one.
if env("BENCH_MIDDLEWARE", default=""):
    MIDDLEWARE = env.list("BENCH_MIDDLEWARE")

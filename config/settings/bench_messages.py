"""The messages benchmark: production settings over plain HTTP on loopback, with the local App IO sandbox on
(served by the benchmark's own gunicorn) and the e-mail and SMS stand-ins writing files."""

from .bench import *  # noqa: F401,F403
from .bench import BASE_DIR, env

IO_ENABLED = True
IO_SANDBOX_ENABLED = True
IO_BASE_URL = env("IO_BASE_URL", default="http://127.0.0.1:8101/io-sandbox")
IO_SERVICES = {name: {"key": f"io-sandbox-{name}"} for name in ("default", "istanze", "meals", "transport", "payments")}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(BASE_DIR / "var" / "bench-mail")
SMS_BACKEND = "services.notifications.sms.FileBackend"
SMS_FILE_PATH = str(BASE_DIR / "var" / "bench-sms")

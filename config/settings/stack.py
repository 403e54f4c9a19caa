"""`make stack`: the production topology on this machine (site/stack.py): nginx on 127.0.0.1:8080 in front of two (or
NODES) gunicorn nodes, Celery workers on their queues and one beat, PostgreSQL and Redis. As `make run`, the demo
Comune with the demo identity provider and the pagoPA and App IO sandboxes — reached through nginx, like any other
page, since the nodes are separate processes — and, as production, JSON logs, sessions and caches in Redis, tasks on
the broker, and metrics gathered from every process of the machine (PROMETHEUS_MULTIPROC_DIR)."""

from .demo import *  # noqa: F401,F403
from .demo import env

SITE_URL = env("STACK_SITE_URL", default="http://127.0.0.1:8080").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
LOG_FORMAT = "json"
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405

IO_BASE_URL = f"{SITE_URL}/io-sandbox"
PAGOPA_SANDBOX_BASE = f"{SITE_URL}/pagopa-sandbox"
PAGOPA_GPD_URL = f"{PAGOPA_SANDBOX_BASE}/gpd"
PAGOPA_CHECKOUT_URL = f"{PAGOPA_SANDBOX_BASE}/checkout/ec/v1"
PAGOPA_RECEIPTS_URL = f"{PAGOPA_SANDBOX_BASE}/receipts"
PAGOPA_RECEIPT_PUSH_URL = f"{SITE_URL}/pagopa/ricevute/"
PAGOPA_TIMEOUT = 5.0
PROTOCOL_URL = f"{SITE_URL}/protocollo-sandbox/{PROTOCOL_ADAPTER}/"  # noqa: F405
# The stack's nodes sit behind one nginx on loopback: the client's address is the one nginx forwards.
TRUSTED_PROXY_COUNT = 1

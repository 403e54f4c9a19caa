"""The operator's URLs (issue 27): liveness (the process answers), readiness (health.readiness: every dependency and
probe) and the Prometheus metrics. Readiness and metrics answer only to the addresses in HEALTH_ALLOWED_IPS (the
proxy's view of the client: core.http.client_ip) or to `Authorization: Bearer <HEALTH_TOKEN>`; nothing here is cached."""

import hmac
import ipaddress
import os

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from . import health
from .http import client_ip

_collectors: list = []


def register_collector(collect) -> None:
    """`collect()` yields prometheus metric families read at scrape time (the outbox's depth, the queues' lengths)."""
    _collectors.append(collect)


class _AppCollector:
    def collect(self):
        for collect in _collectors:
            try:
                yield from collect()
            except Exception:  # noqa: BLE001 - one failing source must not hide the other metrics
                failed = GaugeMetricFamily("sportello_metrics_source_up", "Whether a metrics source could be read.", labels=["source"])
                failed.add_metric([getattr(collect, "__name__", "source")], 0)
                yield failed


_APP_COLLECTOR = _AppCollector()
REGISTRY.register(_APP_COLLECTOR)  # read at scrape time, from the database and the broker


def queue_depths():
    """The broker's queues, by name (Redis: each queue is a list)."""
    gauge = GaugeMetricFamily("sportello_queue_depth", "Tasks waiting in the broker, by queue.", labels=["queue"])
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        import redis

        connection = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=settings.HEALTH_CHECK_TIMEOUT)
        for queue in settings.CELERY_QUEUES_EXPECTED:
            gauge.add_metric([queue], connection.llen(queue))
    yield gauge


register_collector(queue_depths)


def allowed(request) -> bool:
    token = settings.HEALTH_TOKEN
    given = request.headers.get("Authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.HEALTH_ALLOWED_IPS)


@never_cache
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    if not allowed(request):
        return JsonResponse({"error": "non autorizzato"}, status=403)
    report = health.readiness()
    return JsonResponse(report, status=503 if report["status"] == health.ERROR else 200)


@never_cache
def metrics(request):
    if not allowed(request):
        return HttpResponse("non autorizzato\n", status=403, content_type="text/plain; charset=utf-8")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # every process of the machine, added up
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_APP_COLLECTOR)
    else:  # this process alone (make run, tests)
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)

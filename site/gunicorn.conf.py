# gunicorn for Sportello: `gunicorn -c site/gunicorn.conf.py config.wsgi:application`
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: CPU-bound page rendering, one request at a time per process (see bench/README.md).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 5  # longer than nginx's upstream keepalive_timeout (4 s, site/nginx.conf): nginx closes first
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
# No query strings in the access log: they can carry search terms typed by citizens. The client's address is the one
# nginx saw (X-Real-IP, set by site/nginx.conf and never taken from the client), not nginx's own: the same address
# Django counts for its limits (TRUSTED_PROXY_COUNT=1, services/core/http.py).
access_log_format = '%({x-real-ip}i)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss id=%({x-request-id}i)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def child_exit(server, worker):
    """Prometheus' multiprocess mode (PROMETHEUS_MULTIPROC_DIR): a worker that exits leaves its gauges behind."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

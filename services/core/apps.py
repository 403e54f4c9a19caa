from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "services.core"
    label = "core"
    verbose_name = "Nucleo"

    def ready(self):
        from django.urls import register_converter

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .exports import patch_wagtail_exports
        from .parsing import IdConverter

        register_converter(IdConverter, "id")  # <id:pk>: bounded ASCII digits, a 404 rather than a database error

        patch_wagtail_exports()  # Wagtail's CSV exports go through the core's formula-safe cells too

        # A file part's headers may take 8 KiB, not 1 KiB: a file name of 1,000 characters then reaches the form, which
        # answers next to its field (core/forms.py) with everything else kept, instead of a bare 400 for the page.
        from django.http import multipartparser

        multipartparser.MAX_TOTAL_HEADER_SIZE = max(multipartparser.MAX_TOTAL_HEADER_SIZE, 8 * 1024)

        # What an operator watches: the request id and task outcomes through Celery, workers' and beat's heartbeats, and
        # every change of state as one line of its chain (site/README.md).
        from . import health, observability, workflow

        observability.connect_requests()
        observability.connect_celery()
        health.connect_celery()

        def log_transition(sender, pk, from_state, to_state, by=None, **kwargs):
            observability.event(f"{sender._meta.model_name}.{to_state}".lower(), model=sender._meta.label_lower, pk=pk,
                                from_state=from_state, by_id=getattr(by, "pk", None))

        workflow.transitioned.connect(log_transition, weak=False, dispatch_uid="core-log-transitions")

"""The App IO sandbox's URLs alone (config/settings/bench_io_sandbox.py)."""

from django.urls import include, path

from services.notifications import io_sandbox

urlpatterns = [path("io-sandbox/", include(io_sandbox.urlpatterns))]

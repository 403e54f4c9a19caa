"""The App IO sandbox's URLs alone (config/settings/bench_io_sandbox.py), and the hello world the benchmark waits for
before it starts."""

from django.http import HttpResponse
from django.urls import include, path

from services.notifications import io_sandbox


def hello(request):
    return HttpResponse("Hello, world!", content_type="text/plain")


urlpatterns = [path("io-sandbox/", include(io_sandbox.urlpatterns)), path("bench/hello/", hello)]

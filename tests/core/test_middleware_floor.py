"""What the middleware floor's levers (bench/README.md) must not change: messages still travel in their signed cookie,
the SAML session is still saved when a view writes it, the request metrics still count each view."""

from django.contrib import messages
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import RequestFactory

import pytest
from prometheus_client import REGISTRY

from services.accounts.middleware import SamlSessionMiddleware
from services.core.messages import FallbackStorage


def _request(cookies=None):
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    request.session = {}
    return request


def test_a_request_without_messages_makes_no_signer():
    request = _request()
    storage = request._messages = FallbackStorage(request)
    storage.update(HttpResponse())
    assert "signer" not in vars(storage.storages[0])


def test_a_message_goes_out_in_a_signed_cookie_and_comes_back():
    request = _request()
    request._messages = FallbackStorage(request)
    messages.success(request, "Domanda inviata: è la numero 12.")
    response = HttpResponse()
    request._messages.update(response)
    cookie = response.cookies["messages"].value

    later = _request({"messages": cookie})
    later._messages = FallbackStorage(later)
    assert [str(m) for m in get_messages(later)] == ["Domanda inviata: è la numero 12."]

    forged = _request({"messages": cookie[:-2] + "xx"})
    forged._messages = FallbackStorage(forged)
    assert list(get_messages(forged)) == []


@pytest.mark.django_db
def test_the_saml_session_is_made_only_when_a_view_uses_it():
    def untouched(request):
        return HttpResponse("ok")

    def writes(request):
        request.saml_session["livello"] = 2
        return HttpResponse("ok")

    quiet = SamlSessionMiddleware(untouched)(_request())
    assert "saml_session" not in quiet.cookies and "Cookie" not in quiet.get("Vary", "")

    written = SamlSessionMiddleware(writes)(_request())
    key = written.cookies["saml_session"].value
    again = _request({"saml_session": key})
    SamlSessionMiddleware(lambda request: HttpResponse(str(request.saml_session["livello"])))(again)
    assert again.saml_session["livello"] == 2


def test_each_view_is_counted_with_its_method_and_status(client, db):
    def count(status):
        return REGISTRY.get_sample_value("sportello_http_requests_total",
                                         {"view": "health_live", "method": "GET", "status": status}) or 0

    before = count("2xx")
    client.get("/salute/vivo/")
    client.get("/salute/vivo/")
    assert count("2xx") == before + 2


def test_related_checks_share_a_layer(settings):
    """Each layer costs every request: the client's address rides with the observability layer, the cache headers and
    X-Frame-Options with the security headers, the session lifetimes, second factor and admin refusal in one."""
    names = [path.rsplit(".", 1)[1] for path in settings.MIDDLEWARE]
    for gone in ("ClientAddressMiddleware", "PrivateResponseMiddleware", "XFrameOptionsMiddleware",
                 "CitizenSessionMiddleware", "StaffMfaMiddleware", "AdminAccessMiddleware"):
        assert gone not in names
    assert len(settings.MIDDLEWARE) == 15
    assert names.index("AuthenticationMiddleware") < names.index("SecurityHeadersMiddleware") < names.index(
        "AccountChecksMiddleware")


def test_a_view_may_still_allow_its_own_frames():
    from django.views.decorators.clickjacking import xframe_options_sameorigin

    from services.core.middleware import SecurityHeadersMiddleware

    @xframe_options_sameorigin
    def preview(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/x/")
    assert SecurityHeadersMiddleware(preview)(request)["X-Frame-Options"] == "SAMEORIGIN"
    assert SecurityHeadersMiddleware(lambda r: HttpResponse("ok"))(RequestFactory().get("/x/"))["X-Frame-Options"] == "DENY"


def test_the_deploy_check_wants_the_security_headers(settings):
    from services.core.checks import SECURITY_HEADERS, x_frame_options

    assert x_frame_options(None) == []
    settings.MIDDLEWARE = [path for path in settings.MIDDLEWARE if path != SECURITY_HEADERS]
    assert [warning.id for warning in x_frame_options(None)] == ["core.W001"]

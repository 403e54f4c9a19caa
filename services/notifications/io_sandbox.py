"""A local App IO for development and tests: the API subset we call (profiles, messages, message status),
a page that shows each citizen's messages as the app would (with *Paga* for a notice, which opens the
pagoPA sandbox's counter with that notice number), and switchable faults. Mounted at /io-sandbox/ only
when IO_SANDBOX_ENABLED (never with production settings). State lives in the default cache.
"""

import json
import time
import uuid

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from services.core.money import format_euro, from_cents
from services.core.sandbox import SandboxState

from . import io

PREFIX = "io-sandbox:"
# Demo identities as IO knows them: Sara Russo does not use the app, Paolo Ferrari blocked the Comune's services.
NOT_ON_IO = {"RSSSRA90P70F205P"}
BLOCKED = {"FRRPLA68A14L219Z"}
# the next N calls answer 429, 500, hang, or answer 200 with a body that is not JSON; `unavailable`: every call 503
FAULTS = {"errors_429": 0, "errors_500": 0, "timeouts": 0, "garbage": 0, "unavailable": False}


STATE = SandboxState(PREFIX, FAULTS)
_get, _set, faults, set_faults = STATE.get, STATE.set, STATE.faults, STATE.set_faults


RECENT = 50  # the messages of all citizens the page lists; each citizen's own are kept apart


def _generation() -> int:
    """Inboxes live under a generation: a reset starts a new one (the old keys expire by themselves)."""
    return _get("generation") or 0


def reset():
    STATE.delete("faults", "latest")
    _set("generation", _generation() + 1)


def messages(fiscal_code: str | None = None) -> list[dict]:
    if fiscal_code is None:
        return STATE.items("latest")
    return STATE.items(f"box:{_generation()}:{fiscal_code}")


def _store(message: dict, generation: int) -> None:
    STATE.append((f"box:{generation}:{message['fiscal_code']}", message, 100), ("latest", message, RECENT))


def _fault(current: dict | None = None):
    current = current or faults()
    if current["unavailable"]:
        return HttpResponse("<html><body>503 Service Unavailable</body></html>", status=503, content_type="text/html")
    if current["garbage"] > 0:
        set_faults(garbage=current["garbage"] - 1)
        return HttpResponse("<html><body>gateway</body></html>", status=200, content_type="text/html")
    for name, status in (("errors_429", 429), ("errors_500", 500)):
        if current[name] > 0:
            set_faults(**{name: current[name] - 1})
            return JsonResponse({"title": "Sandbox fault", "status": status}, status=status)
    if current["timeouts"] > 0:
        set_faults(timeouts=current["timeouts"] - 1)
        time.sleep(settings.IO_TIMEOUT + 0.5)
    return None


def _service(request) -> str | None:
    key = request.headers.get("Ocp-Apim-Subscription-Key", "")
    return next((name for name, conf in settings.IO_SERVICES.items() if conf.get("key") == key and key), None)


def _body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@csrf_exempt
def profiles(request):
    if request.method != "POST":
        return JsonResponse({"title": "Method not allowed"}, status=405)
    if _service(request) is None:
        return JsonResponse({"title": "Unauthorized"}, status=401)
    fault = _fault()
    if fault:
        return fault
    fiscal_code = str(_body(request).get("fiscal_code", "")).upper()
    if len(fiscal_code) != 16 or fiscal_code in NOT_ON_IO:
        return JsonResponse({"title": "Profile not found", "status": 404}, status=404)
    return JsonResponse({"sender_allowed": fiscal_code not in BLOCKED, "preferred_languages": ["it_IT"]})


@csrf_exempt
def submit(request):
    if request.method != "POST":
        return JsonResponse({"title": "Method not allowed"}, status=405)
    service = _service(request)
    if service is None:
        return JsonResponse({"title": "Unauthorized"}, status=401)
    stored = STATE.get_many("faults", "generation")  # one round trip for both
    fault = _fault(faults(stored["faults"]))
    if fault:
        return fault
    data = _body(request)
    content = data.get("content") or {}
    fiscal_code = str(data.get("fiscal_code", "")).upper()
    try:
        io.validate_content(str(content.get("subject", "")), str(content.get("markdown", "")), content.get("payment_data"))
    except ValueError as error:
        return JsonResponse({"title": "Invalid message", "detail": str(error), "status": 400}, status=400)
    if fiscal_code in NOT_ON_IO or len(fiscal_code) != 16:
        return JsonResponse({"title": "Recipient not found", "status": 404}, status=404)
    if fiscal_code in BLOCKED:
        return JsonResponse({"title": "Sender not allowed", "status": 403}, status=403)
    message = {"id": uuid.uuid4().hex[:26].upper(), "fiscal_code": fiscal_code, "service": service, "content": content,
               "created_at": time.time()}
    _store(message, stored["generation"] or 0)
    return JsonResponse({"id": message["id"]}, status=201)


def message_status(request, fiscal_code, message_id):
    if _service(request) is None:
        return JsonResponse({"title": "Unauthorized"}, status=401)
    found = next((m for m in messages(fiscal_code) if m["id"] == message_id), None)
    if found is None:
        return JsonResponse({"title": "Not found", "status": 404}, status=404)
    return JsonResponse({"message": {"id": found["id"], "fiscal_code": fiscal_code, "content": found["content"]},
                         "status": "PROCESSED"})


def app(request):
    """The citizen's inbox as the app shows it: pick an identity by fiscal code."""
    fiscal_code = request.GET.get("cf", "").strip().upper()
    rows = []
    for found in reversed(messages(fiscal_code or None)):
        content = found["content"]
        payment = content.get("payment_data")
        rows.append({"id": found["id"], "fiscal_code": found["fiscal_code"], "service": found["service"],
                     "subject": content.get("subject", ""), "markdown": content.get("markdown", ""),
                     "due_date": content.get("due_date", ""), "payment": payment,
                     "amount": format_euro(from_cents(payment["amount"])) if payment else ""})
    return render(request, "notifications/io_sandbox/app.html", {"rows": rows, "fiscal_code": fiscal_code})


@csrf_exempt
def faults_view(request):
    """GET the faults; POST JSON to change them (tests and testers)."""
    if request.method == "POST":
        set_faults(**_body(request))
    return JsonResponse(faults())


urlpatterns = [
    path("api/v1/profiles", profiles),
    path("api/v1/messages", submit),
    path("api/v1/messages/<str:fiscal_code>/<str:message_id>", message_status),
    path("", app, name="io_sandbox_app"),
    path("guasti/", faults_view),
]

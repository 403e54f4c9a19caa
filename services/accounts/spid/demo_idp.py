"""A demo SAML identity provider (pysaml2) served by the same process in dev and tests.

It receives the real signed AuthnRequest, lets the tester pick one of the demo identities
and a SPID level, and posts a real signed Response to our ACS. It is mounted only when
settings.SPID_DEMO_IDP_ENABLED is true, which production settings refuse.
"""

import base64
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server

from services.core.decorators import private_no_store

from .config import VAR, digest, idp_config_dict, load_idp_config
from .demo_identities import DEMO_IDENTITIES, EIDAS_DEMO_IDENTITIES
from .metadata import EIDAS_SETS

SESSION_KEY = "demo_idp_request"


_WRITTEN = set()

def metadata_file(base_url: str) -> str:
    path = VAR / f"demo-idp-metadata-{digest(base_url)}.xml"
    if path not in _WRITTEN:  # written once per process, so a changed configuration is picked up
        _WRITTEN.add(path)
        VAR.mkdir(parents=True, exist_ok=True)
        conf = IdPConfig()
        conf.load(idp_config_dict(base_url, with_sp_metadata=False))
        Path(path).write_bytes(create_metadata_string(None, conf, sign=False))
    return str(path)


@lru_cache(maxsize=4)
def _server(base_url: str) -> Server:
    return Server(config=load_idp_config(base_url))


def server() -> Server:
    if not settings.SPID_DEMO_IDP_ENABLED:
        raise Http404
    return _server(settings.SPID_BASE_URL)


def metadata(request):
    server()
    return HttpResponse(Path(metadata_file(settings.SPID_BASE_URL)).read_bytes(), content_type="application/samlmetadata+xml")


@csrf_exempt  # a SAML binding endpoint: the AuthnRequest's signature is what is checked
@private_no_store
def sso(request):
    idp = server()
    if request.method == "POST":
        data, binding = request.POST, BINDING_HTTP_POST
    else:
        data, binding = request.GET, BINDING_HTTP_REDIRECT
    saml_request = data.get("SAMLRequest")
    if not saml_request:
        return HttpResponseBadRequest("SAMLRequest mancante")
    try:
        parsed = idp.parse_authn_request(saml_request, binding)
    except Exception:  # noqa: BLE001 - any malformed or badly signed request is refused
        return HttpResponseBadRequest("Richiesta SAML non valida")
    message = parsed.message
    if binding == BINDING_HTTP_POST and message.signature is None:
        return HttpResponseBadRequest("Richiesta SAML non firmata")
    sp_entity_id = message.issuer.text
    acs_url = idp.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)[0]["location"]
    requested = [c.text for c in message.requested_authn_context.authn_context_class_ref] if message.requested_authn_context else []
    level = max((int(r[-1]) for r in requested if r and r[-1] in "123"), default=1)
    attribute_set = message.attribute_consuming_service_index or "0"
    request.session[SESSION_KEY] = {
        "id": message.id,
        "sp": sp_entity_id,
        "acs": acs_url,
        "relay_state": data.get("RelayState", ""),
        "level": level,
        "attribute_set": attribute_set,
    }
    return render(request, "accounts/demo_idp_login.html", _page(attribute_set, level))


def _page(attribute_set: str, level: int, **more) -> dict:
    """SPID/CIE identities, or EU citizens when the request asks for an eIDAS attribute set (as Italy's node)."""
    eidas = attribute_set in EIDAS_SETS
    return {"identities": EIDAS_DEMO_IDENTITIES if eidas else DEMO_IDENTITIES, "eidas": eidas,
            "requested_level": level, "levels": [1, 2, 3], **more}


@require_POST
@private_no_store
def login(request):
    idp = server()
    pending = request.session.pop(SESSION_KEY, None)
    if pending is None:
        raise PermissionDenied("Nessuna richiesta di accesso in corso")
    attribute_set = pending.get("attribute_set", "0")
    people = EIDAS_DEMO_IDENTITIES if attribute_set in EIDAS_SETS else DEMO_IDENTITIES
    identity = people.get(request.POST.get("identity", ""))
    if identity is None:
        request.session[SESSION_KEY] = pending
        return render(request, "accounts/demo_idp_login.html",
                      _page(attribute_set, pending["level"], error="Scegli una delle identità dimostrative."), status=400)
    try:
        level = int(request.POST.get("level", pending["level"]))
    except ValueError:
        level = pending["level"]
    level = min(max(level, 1), 3)
    released = EIDAS_SETS[attribute_set][1] if attribute_set in EIDAS_SETS else identity.keys()
    attributes = {k: [identity[k]] for k in released if k != "label" and identity.get(k)}
    name_id = NameID(format=NAMEID_FORMAT_TRANSIENT, sp_name_qualifier=pending["sp"], name_qualifier=idp.config.entityid,
                     text=uuid.uuid4().hex)
    response = idp.create_authn_response(
        identity=attributes,
        in_response_to=pending["id"],
        destination=pending["acs"],
        sp_entity_id=pending["sp"],
        name_id=name_id,
        authn={"class_ref": settings.SPID_LEVELS[level], "authn_auth": idp.config.entityid},
        sign_response=True,
        sign_assertion=True,
    )
    saml_response = base64.b64encode(str(response).encode()).decode()
    return render(
        request,
        "accounts/saml_post_form.html",
        {"target_url": pending["acs"], "params": {"SAMLResponse": saml_response, "RelayState": pending["relay_state"]}},
    )


@csrf_exempt  # a SAML binding endpoint
@private_no_store
def slo(request):
    """Single logout: answer the SP's LogoutRequest with a LogoutResponse posted back to it."""
    idp = server()
    saml_request = request.POST.get("SAMLRequest")
    if not saml_request:
        return HttpResponseBadRequest("SAMLRequest mancante")
    try:
        parsed = idp.parse_logout_request(saml_request, BINDING_HTTP_POST)
    except Exception:  # noqa: BLE001
        return HttpResponseBadRequest("Richiesta di logout non valida")
    sp_entity_id = parsed.message.issuer.text
    destination = idp.metadata.single_logout_service(sp_entity_id, BINDING_HTTP_POST, "spsso")[0]["location"]
    logout_response = idp.create_logout_response(parsed.message, [BINDING_HTTP_POST], sign=True)
    return render(
        request,
        "accounts/saml_post_form.html",
        {"target_url": destination, "params": {"SAMLResponse": base64.b64encode(str(logout_response).encode()).decode(),
                                                "RelayState": request.POST.get("RelayState", "")}},
    )

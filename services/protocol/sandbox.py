"""Local stand-ins for two protocol systems, speaking the adapters' WSDLs (issue 31): DocArea at
/protocollo-sandbox/docarea/ and Sicraweb ProWSApi at /protocollo-sandbox/sicraweb/. Each checks every request
against its schema (and DocArea's Segnatura.xml against segnatura.xsd), checks the credentials, assigns numbers per
year, answers a second registration with the same reference with the first one's number (so the tests can count
duplicates), shows what it registered at /protocollo-sandbox/, and can be told to be slow, fail or answer garbage
(/protocollo-sandbox/guasti/, JSON). Mounted only when PROTOCOL_SANDBOX_ENABLED (never with production settings);
its state lives in the default cache, shared by every process of a development site, but for the numbers, which
are a sequence in the site's database (as a real register's, they never restart)."""

import base64
import binascii
import hashlib
import json
import secrets
import time
from functools import lru_cache

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from lxml import etree
from lxml.builder import ElementMaker

from services.core.sandbox import SandboxState
from services.core.sequences import sequence_next

from .adapters import docarea, sicraweb
from .adapters.docarea import segnatura

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True)
# the next N calls answer: an HTML 500, a SOAP Server fault, a fault without its code and reason, a 200 page that is
# not XML, a number that is not one; or register and lose the answer (504, as a proxy whose backend was too slow).
# `slow`: seconds every call waits; `refuse`: every registration is refused with this reason; `unavailable`: 503.
FAULTS = {"slow": 0.0, "errors_500": 0, "soap_faults": 0, "bad_faults": 0, "garbage": 0, "bad_numbers": 0,
          "lost_replies": 0, "refuse": "", "unavailable": False}
STATE = SandboxState("protocol-sandbox:", FAULTS)
RECENT = 100
CREDENTIALS = ("c_z999", "sportello", "sandbox-protocollo")  # the ente's code, user and password the sandbox knows


class Refused(Exception):
    """A SOAP Client fault: what the request got wrong."""


@lru_cache(maxsize=4)
def _schema(xsd: str):
    import xmlschema

    return xmlschema.XMLSchema10(xsd)


SYSTEMS = {
    "docarea": {"wsdl": docarea.WSDL, "xsd": docarea.WSDL.with_name("docarea.xsd"), "ns": "http://tempuri.org/"},
    "sicraweb": {"wsdl": sicraweb.WSDL, "xsd": sicraweb.WSDL.with_name("prowsapi.xsd"),
                 "ns": "http://ws.sicraweb.it/prowsapi"},
}


# State -------------------------------------------------------------------------------------------------------------

def faults() -> dict:
    return STATE.faults()


def set_faults(**values):
    """Known faults only, each as its default's type (a tester's "abc" for a number is ignored, not a later 500)."""
    clean = {}
    for name, value in values.items():
        if name not in FAULTS:
            continue
        kind = type(FAULTS[name])
        if kind is str:
            if isinstance(value, str):
                clean[name] = value
            continue
        try:
            clean[name] = kind(value)
        except (TypeError, ValueError):
            continue
    STATE.set_faults(**clean)


def reset():
    with STATE.locked("all"):
        STATE.delete("faults", _key("recent"))
        STATE.set("epoch", (STATE.get("epoch") or 0) + 1)


def _key(*parts) -> str:
    return ":".join(str(part) for part in (STATE.get("epoch") or 0, *parts))


def registrations(system: str | None = None) -> list[dict]:
    """The latest registrations, newest first."""
    return [row for row in reversed(STATE.items(_key("recent"))) if system in (None, row["system"])]


def count(system: str) -> int:
    """How many registrations the system made (a second call with the same reference makes none)."""
    return STATE.get(_key("count", system)) or 0


def _next(name: str) -> int:
    with STATE.locked(name):
        value = (STATE.get(_key(name)) or 0) + 1
        STATE.set(_key(name), value)
        return value


def _register(system: str, reference: str, entry: dict) -> dict:
    """The registration for `reference`: the one made before, or a new number in this year's sequence."""
    with STATE.locked(f"ref:{system}"):
        found = STATE.get(_key("ref", system, reference))
        if found:
            return found
        today = timezone.localdate()
        with transaction.atomic():  # the register's numbers outlive a restart (and the demo's loader process)
            number = sequence_next(key=f"protocol-sandbox:{system}:{today.year}")
        entry = {**entry, "system": system, "number": number, "year": today.year, "date": today.strftime("%d/%m/%Y"),
                 "reference": reference, "at": timezone.localtime().strftime("%d/%m/%Y %H:%M:%S")}
        STATE.set(_key("ref", system, reference), entry)
        STATE.set(_key("num", system, today.year, number), entry)
        STATE.set(_key("count", system), count(system) + 1)
        STATE.append((_key("recent"), entry, RECENT))
        return entry


def _store_document(system: str, name: str, content: bytes) -> str:
    ident = _next(f"doc:{system}")
    STATE.set(_key("doc", system, ident), {"name": name, "size": len(content),
                                            "sha256": hashlib.sha256(content).hexdigest()})
    return str(ident)


def _document(system: str, ident) -> dict | None:
    return STATE.get(_key("doc", system, ident))


# SOAP --------------------------------------------------------------------------------------------------------------

def _envelope(body) -> bytes:
    env = ElementMaker(namespace=SOAP, nsmap={"soap": SOAP})
    return etree.tostring(env.Envelope(env.Body(body)), xml_declaration=True, encoding="UTF-8")


def _answer(system: str, name: str, **fields) -> HttpResponse:
    maker = ElementMaker(namespace=SYSTEMS[system]["ns"], nsmap={None: SYSTEMS[system]["ns"]})
    children = []
    for key, value in fields.items():
        if isinstance(value, dict):
            children.append(maker(key, *[maker(k, str(v)) for k, v in value.items() if v is not None]))
        elif value is not None:
            children.append(maker(key, str(value)))
    if system == "docarea":  # document/literal wrapped: <opResponse><opResult>…</opResult></opResponse>
        body = maker(f"{name}Response", maker(f"{name}Result", *children))
    else:
        body = maker(f"{name}Response", *children)
    return HttpResponse(_envelope(body), content_type="text/xml; charset=utf-8")


def _fault(code: str, reason: str, status: int = 500) -> HttpResponse:
    body = etree.Element(f"{{{SOAP}}}Fault")
    etree.SubElement(body, "faultcode").text = f"soap:{code}"
    etree.SubElement(body, "faultstring").text = reason
    return HttpResponse(_envelope(body), status=status, content_type="text/xml; charset=utf-8")


def _injected() -> HttpResponse | None:
    current = faults()
    if current["slow"]:
        time.sleep(min(float(current["slow"]), 60))
    if current["unavailable"]:
        return HttpResponse("<html><body>503 Service Unavailable</body></html>", status=503, content_type="text/html")
    for name in ("errors_500", "soap_faults", "bad_faults", "garbage"):
        if current[name] > 0:
            set_faults(**{name: current[name] - 1})
            if name == "errors_500":
                return HttpResponse("<html><body>500 Internal Server Error</body></html>", status=500,
                                    content_type="text/html")
            if name == "soap_faults":
                return _fault("Server", "Servizio di protocollo momentaneamente non disponibile")
            if name == "bad_faults":
                return HttpResponse(_envelope(etree.Element(f"{{{SOAP}}}Fault")), status=500, content_type="text/xml")
            return HttpResponse("<html><body>gateway</body></html>", content_type="text/html")
    return None


def _take(name: str) -> bool:
    current = faults()
    if current[name] > 0:
        set_faults(**{name: current[name] - 1})
        return True
    return False


def _operation(system: str, request):
    """The request's operation element, checked against the system's schema."""
    try:
        root = etree.fromstring(request.body, PARSER)
    except etree.XMLSyntaxError as error:
        raise Refused(f"XML non leggibile: {error}") from error
    body = root.find(f"{{{SOAP}}}Body")
    if body is None or len(body) == 0:
        raise Refused("Busta SOAP senza Body")
    operation = body[0]
    problems = [f"{e.path}: {e.reason}" for e in _schema(str(SYSTEMS[system]["xsd"])).iter_errors(operation)][:3]
    if problems:
        raise Refused("Richiesta non valida: " + "; ".join(problems))
    return operation


def _text(element, name: str, ns: str) -> str:
    found = element.find(f"{{{ns}}}{name}")
    return (found.text or "").strip() if found is not None else ""


def _wsdl(system: str, request) -> HttpResponse:
    conf = SYSTEMS[system]
    if request.GET.get("xsd"):
        return HttpResponse(conf["xsd"].read_bytes(), content_type="text/xml; charset=utf-8")
    text = conf["wsdl"].read_text().replace(
        'location="http://127.0.0.1:8000/protocollo-sandbox/', f'location="{request.build_absolute_uri("/protocollo-sandbox/")}')
    text = text.replace(f'schemaLocation="{conf["xsd"].name}"', 'schemaLocation="?xsd=1"')
    return HttpResponse(text, content_type="text/xml; charset=utf-8")


def _credentials_ok(ente: str, user: str, password: str) -> bool:
    return (ente, user, password) == CREDENTIALS


def _soap_view(system: str, handlers: dict):
    @csrf_exempt
    def view(request):
        if request.method == "GET":
            return _wsdl(system, request)
        if request.method != "POST":
            return HttpResponse(status=405)
        injected = _injected()
        if injected is not None:
            return injected
        try:
            operation = _operation(system, request)
            name = etree.QName(operation).localname
            return handlers[name](operation)
        except Refused as error:
            return _fault("Client", str(error)[:500])
    return view


# DocArea -------------------------------------------------------------------------------------------------------------

def _docarea_token(operation) -> bool:
    ns = SYSTEMS["docarea"]["ns"]
    return bool(STATE.get(_key("dst", _text(operation, "strDST", ns))))


def _docarea_login(operation):
    ns = SYSTEMS["docarea"]["ns"]
    if not _credentials_ok(*(_text(operation, n, ns) for n in ("strCodEnte", "strUserName", "strPassword"))):
        return _answer("docarea", "login", lngErrNumber=1, strErrString="Credenziali non valide")
    token = secrets.token_hex(16)
    STATE.set(_key("dst", token), True)
    return _answer("docarea", "login", lngErrNumber=0, strErrString="", strDST=token)


def _docarea_insert(operation):
    ns = SYSTEMS["docarea"]["ns"]
    if not _docarea_token(operation):
        return _answer("docarea", "inserimento", lngDocID=0, lngErrNumber=2, strErrString="DST non valido o scaduto")
    content = base64.b64decode(_text(operation, "binDocumento", ns))
    ident = _store_document("docarea", _text(operation, "strNomeFile", ns), content)
    return _answer("docarea", "inserimento", lngDocID=ident, lngErrNumber=0, strErrString="")


def _docarea_register(operation):
    ns = SYSTEMS["docarea"]["ns"]
    failed = {"lngNumPG": 0, "lngAnnoPG": 0, "strDataPG": ""}
    if not _docarea_token(operation):
        return _answer("docarea", "protocollazione", **failed, lngErrNumber=2, strErrString="DST non valido o scaduto")
    try:
        xml = base64.b64decode(_text(operation, "binSegnatura", ns), validate=True)
    except binascii.Error:
        return _answer("docarea", "protocollazione", **failed, lngErrNumber=3, strErrString="Segnatura non in base64")
    problems = segnatura.errors(xml)
    if problems:
        return _answer("docarea", "protocollazione", **failed, lngErrNumber=3,
                       strErrString="Segnatura non valida: " + "; ".join(problems))
    root = etree.fromstring(xml, PARSER)
    documents = [_document("docarea", d.get("id")) for d in root.iter("Documento")]
    if not all(documents):
        return _answer("docarea", "protocollazione", **failed, lngErrNumber=4, strErrString="Documento non inserito")
    if faults()["refuse"]:
        return _answer("docarea", "protocollazione", **failed, lngErrNumber=10, strErrString=faults()["refuse"])
    if _take("bad_numbers"):
        return _answer("docarea", "protocollazione", lngNumPG="PG/ABC", lngAnnoPG="2026", strDataPG="05/12/2026",
                       lngErrNumber=0, strErrString="")
    reference = next((p.get("valore") for p in root.iter("Parametro") if p.get("nome") == "riferimento"), "")
    person = root.find(".//Persona")
    entry = _register("docarea", reference or secrets.token_hex(8), {
        "subject": root.findtext("Intestazione/Oggetto"), "flow": root.findtext("Intestazione/Identificatore/Flusso"),
        "correspondent": " ".join(filter(None, [person.findtext("Nome"), person.findtext("Cognome")])) if person is not None else "",
        "classification": root.findtext(".//Classificazione") or "", "office": root.findtext(".//UnitaOrganizzativa") or "",
        "documents": [f"{d['name']} ({d['size']} byte)" for d in documents],
        "aoo": root.findtext("Intestazione/Identificatore/CodiceAOO")})
    if _take("lost_replies"):
        return HttpResponse("<html><body>504 Gateway Time-out</body></html>", status=504, content_type="text/html")
    return _answer("docarea", "protocollazione", lngNumPG=entry["number"], lngAnnoPG=entry["year"],
                   strDataPG=entry["date"], lngDocID=documents and root.find(".//Documento").get("id"),
                   lngErrNumber=0, strErrString="")


# Sicraweb ------------------------------------------------------------------------------------------------------------

def _sicraweb_credentials(operation) -> bool:
    ns = SYSTEMS["sicraweb"]["ns"]
    given = operation.find(f"{{{ns}}}credenziali")
    return _credentials_ok(_text(given, "codiceEnte", ns), _text(given, "utente", ns), _text(given, "password", ns))


def _ko(name: str, message: str):
    return _answer("sicraweb", name, esito={"codice": "KO", "messaggio": message})


def _sicraweb_insert(operation):
    ns = SYSTEMS["sicraweb"]["ns"]
    if not _sicraweb_credentials(operation):
        return _ko("insertDocumento", "Utente non autorizzato")
    content = base64.b64decode(_text(operation, "contenuto", ns))
    ident = _store_document("sicraweb", _text(operation, "nomeFile", ns), content)
    return _answer("sicraweb", "insertDocumento", esito={"codice": "OK", "messaggio": ""}, idDocumento=f"SW{ident}")


def _sicraweb_register(operation):
    ns = SYSTEMS["sicraweb"]["ns"]
    if not _sicraweb_credentials(operation):
        return _ko("registraProtocollo", "Utente non autorizzato")
    ids = [_text(operation, "idDocumentoPrincipale", ns)] + [
        (e.text or "").strip() for e in operation.findall(f"{{{ns}}}idAllegato")]
    documents = [_document("sicraweb", i.removeprefix("SW")) for i in ids]
    if not all(documents):
        return _ko("registraProtocollo", "Documento non trovato")
    if faults()["refuse"]:
        return _ko("registraProtocollo", faults()["refuse"])
    if _take("bad_numbers"):
        return _answer("sicraweb", "registraProtocollo", esito={"codice": "OK", "messaggio": ""}, numero="n/d", anno="2026")
    person = operation.find(f"{{{ns}}}soggetto")
    entry = _register("sicraweb", _text(operation, "riferimentoEsterno", ns), {
        "subject": _text(operation, "oggetto", ns), "flow": _text(operation, "verso", ns),
        "correspondent": _text(person, "denominazione", ns), "classification": _text(operation, "classifica", ns),
        "office": _text(operation, "ufficio", ns), "aoo": _text(operation, "codiceAOO", ns),
        "documents": [f"{d['name']} ({d['size']} byte)" for d in documents]})
    if _take("lost_replies"):
        return HttpResponse("<html><body>504 Gateway Time-out</body></html>", status=504, content_type="text/html")
    return _answer("sicraweb", "registraProtocollo", esito={"codice": "OK", "messaggio": ""}, numero=entry["number"],
                   anno=entry["year"])


def _sicraweb_info(operation):
    ns = SYSTEMS["sicraweb"]["ns"]
    if not _sicraweb_credentials(operation):
        return _ko("infoProtocollo", "Utente non autorizzato")
    number, year = _text(operation, "numero", ns).lstrip("0"), _text(operation, "anno", ns)
    entry = STATE.get(_key("num", "sicraweb", year, number)) if number.isdigit() and year.isdigit() else None
    if entry is None:
        return _ko("infoProtocollo", "Protocollo inesistente")
    return _answer("sicraweb", "infoProtocollo", esito={"codice": "OK", "messaggio": ""}, numero=entry["number"],
                   anno=entry["year"], data=entry["date"], verso=entry["flow"], oggetto=entry["subject"],
                   riferimentoEsterno=entry["reference"])


# Pages ---------------------------------------------------------------------------------------------------------------

def registry(request):
    """What the two systems registered, newest first, and their faults: for testers and the demo."""
    return render(request, "protocol/sandbox.html", {"rows": registrations(), "faults": faults()})


@csrf_exempt
def faults_view(request):
    """GET the faults; POST JSON to change them (tests and testers)."""
    if request.method == "POST":
        try:
            values = json.loads(request.body or b"{}")
        except ValueError:
            values = None
        if not isinstance(values, dict):
            return JsonResponse({"error": "JSON non valido: serve un oggetto"}, status=400)
        set_faults(**values)
    return JsonResponse(faults())


urlpatterns = [
    path("docarea/", _soap_view("docarea", {"login": _docarea_login, "inserimento": _docarea_insert,
                                            "protocollazione": _docarea_register})),
    path("sicraweb/", _soap_view("sicraweb", {"insertDocumento": _sicraweb_insert, "registraProtocollo": _sicraweb_register,
                                              "infoProtocollo": _sicraweb_info})),
    path("guasti/", faults_view),
    path("", registry, name="protocol_sandbox"),
]

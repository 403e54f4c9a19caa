"""Local stand-ins of PDND's authorisation server, of ANPR's C030/C020/C021 e-services and of INPS's ConsultazioneISEE
(SOAP, per the WSDL in inps/), served by this process in the demo and the tests (like the pagoPA, App IO and protocol
sandboxes), never in production.

They check what the real ones check of a consumer: the client assertion signed by the client's registered key for a
known purpose; the voucher on each call, for that e-service's audience and purpose; the body's Digest and the
Agid-JWT-Signature over it; the Agid-JWT-TrackingEvidence whose hash the voucher carries. `/pdnd-sandbox/guasti/`
(or the form on `/pdnd-sandbox/`) makes them slow, failing or talking nonsense."""

import base64
import hashlib
import json
import time
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

import xmlschema
from jwcrypto import jwk
from lxml import etree

from services.core import jose
from services.core.sandbox import FaultSwitch

from . import modi

FAULTS = {
    "": "nessuno",
    "lento": "ANPR risponde oltre il tempo massimo",
    "errore_500": "ANPR risponde 500",
    "risposta_non_json": "ANPR risponde con una pagina che non è JSON",
    "voucher_rifiutato": "PDND rifiuta di emettere il voucher",
    "non_trovato": "ANPR non trova nessuno",
    "inps_lento": "INPS risponde oltre il tempo massimo",
    "inps_errore_500": "INPS risponde 500",
    "inps_spazzatura": "INPS risponde con un XML che non è SOAP",
    "inps_non_disponibile": "INPS risponde DATABASE_NON_DISPONIBILE",
}
ISSUER = "pdnd-sandbox"

# The demo's registry: families of the demo identities (fictional people and codici fiscali).
COMUNE = {"nomeComune": "VALFIORITA", "codiceIstat": "099999"}
REGISTRY = {
    "RSSMRA85C52H501N": {"id": "AR00000001", "address": ("VIA", "DEI CASTAGNI", "12", "60100"), "comune": COMUNE,
                         "members": [("RSSMRA85C52H501N", "MARIA", "ROSSI", "1985-03-12", "F", "1"),
                                     ("RSSGLI18C52A271N", "GIULIA", "ROSSI", "2018-03-12", "F", "3")]},
    "BNCLCU82S02A271A": {"id": "AR00000002", "address": ("VIALE", "DELLA STAZIONE", "3", "60100"), "comune": COMUNE,
                         "members": [("BNCLCU82S02A271A", "LUCA", "BIANCHI", "1982-11-02", "M", "1"),
                                     ("BNCMRC17D03H501D", "MARCO", "BIANCHI", "2017-04-03", "M", "3")]},
    "RSSSRA90P70F205P": {"id": "AR00000003", "address": ("PIAZZA", "GARIBALDI", "7", "60100"), "comune": COMUNE,
                         "members": [("RSSSRA90P70F205P", "SARA", "RUSSO", "1990-09-30", "F", "1"),
                                     ("RSSTMS16A15H501E", "TOMMASO", "RUSSO", "2016-01-15", "M", "3"),
                                     ("RSSLCA19E60H501V", "ALICE", "RUSSO", "2019-05-20", "F", "3"),
                                     ("RSSLEO22P02H501D", "LEO", "RUSSO", "2022-09-02", "M", "3")]},
    "FRRPLA68A14L219Z": {"id": "AR00000004", "address": ("VIA", "ROMA", "1", "60100"), "comune": COMUNE,
                         "members": [("FRRPLA68A14L219Z", "PAOLO", "FERRARI", "1968-01-14", "M", "1")]},
    "CNTLNE72E50H501R": {"id": "AR00000005", "address": ("VIA", "APPIA NUOVA", "210", "00183"),
                         "comune": {"nomeComune": "ROMA", "codiceIstat": "058091"},
                         "members": [("CNTLNE72E50H501R", "ELENA", "CONTI", "1972-05-10", "F", "1")]},
}


def _enabled():
    if not settings.PDND_SANDBOX_ENABLED:
        raise Http404


@lru_cache(maxsize=2)
def _issuer_key(directory: str) -> jwk.JWK:
    file = Path(directory) / "issuer.json"
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        key = jwk.JWK.generate(kty="RSA", size=2048)
        data = json.loads(key.export_private())
        data["kid"] = key.thumbprint()
        tmp = file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        tmp.chmod(0o600)
        tmp.replace(file)
    return jwk.JWK(**json.loads(file.read_text()))


def issuer_key() -> jwk.JWK:
    return _issuer_key(str(Path(settings.BASE_DIR) / "var" / "pdnd-sandbox"))


def _public(key: jwk.JWK) -> dict:
    return {"keys": [key.export_public(as_dict=True)]}


def client_jwks(client_id: str) -> dict | None:
    """The public key a client registered on PDND's back office: the demo client's own."""
    return _public(modi.client_key()) if client_id == settings.PDND_CLIENT_ID else None


def _purposes() -> dict:
    """purposeId → the audience of the e-service it was registered for."""
    known = {purpose: settings.PDND_ANPR_AUDIENCE for purpose in settings.PDND_ANPR_PURPOSES.values() if purpose}
    if settings.PDND_INPS_PURPOSE:
        known[settings.PDND_INPS_PURPOSE] = settings.PDND_INPS_AUDIENCE
    return known


SWITCH = FaultSwitch("pdnd-sandbox:", FAULTS)
fault, set_fault = SWITCH.current, SWITCH.set


def _problem(status: int, title: str, detail: str = "") -> JsonResponse:
    return JsonResponse({"type": "about:blank", "title": title, "status": status, "detail": detail}, status=status,
                        content_type="application/problem+json")


@csrf_exempt  # an OAuth endpoint: the client assertion is what is checked
@require_POST
def token(request):
    _enabled()
    if fault() == "voucher_rifiutato":
        return JsonResponse({"error": "invalid_client"}, status=401)
    data = request.POST
    if data.get("grant_type") != "client_credentials" or data.get("client_assertion_type") != modi.ASSERTION_TYPE:
        return JsonResponse({"error": "unsupported_grant_type"}, status=400)
    client_id = data.get("client_id", "")
    keys = client_jwks(client_id)
    if keys is None:
        return JsonResponse({"error": "invalid_client"}, status=401)
    try:
        claims = jose.verify(data.get("client_assertion", ""), keys, iss=client_id, aud=settings.PDND_ASSERTION_AUDIENCE)
    except jose.Invalid:
        return JsonResponse({"error": "invalid_client", "error_description": "client assertion"}, status=401)
    purpose = claims.get("purposeId")
    if claims.get("sub") != client_id or purpose not in _purposes():
        return JsonResponse({"error": "invalid_request", "error_description": "purpose"}, status=400)
    if claims["exp"] - claims.get("iat", 0) > 3600 or not cache.add(f"pdnd-sandbox:jti:{claims.get('jti')}", 1, 3600):
        return JsonResponse({"error": "invalid_client", "error_description": "assertion reused"}, status=401)
    audience = _purposes()[purpose]
    voucher = jose.claims_for(iss=ISSUER, sub=client_id, lifetime=600, aud=audience, client_id=client_id,
                              purposeId=purpose)
    if isinstance(claims.get("digest"), dict):
        voucher["digest"] = claims["digest"]
    return JsonResponse({"access_token": jose.sign(voucher, issuer_key(), typ="at+jwt"), "token_type": "Bearer",
                         "expires_in": 600})


def _check_modi(request, *, purpose: str, audience: str) -> JsonResponse | None:
    """The voucher, the Digest and both ModI tokens; None when all hold."""
    header = request.headers.get("Authorization", "")
    try:
        voucher = jose.verify(header[7:] if header.startswith("Bearer ") else "", _public(issuer_key()), iss=ISSUER,
                              aud=audience)
    except jose.Invalid:
        return _problem(401, "Voucher non valido")
    if not purpose or voucher.get("purposeId") != purpose:
        return _problem(403, "Finalità non autorizzata per questo e-service")
    keys = client_jwks(voucher.get("client_id", ""))
    digest = modi.body_digest(request.body)
    if keys is None or request.headers.get("Digest") != digest:
        return _problem(403, "Digest del corpo non corrispondente")
    try:
        signature = jose.verify(request.headers.get("Agid-JWT-Signature", ""), keys, aud=audience)
        evidence_token = request.headers.get("Agid-JWT-TrackingEvidence", "")
        evidence = jose.verify(evidence_token, keys, aud=audience)
    except jose.Invalid:
        return _problem(403, "Firma ModI non valida")
    if {"digest": digest} not in (signature.get("signed_headers") or []):
        return _problem(403, "Agid-JWT-Signature non copre il Digest")
    bound = voucher.get("digest") or {}
    if bound.get("value") != hashlib.sha256(evidence_token.encode()).hexdigest() or \
            evidence.get("purposeId") != voucher.get("purposeId") or not evidence.get("userID"):
        return _problem(403, "Agid-JWT-TrackingEvidence non legata al voucher")
    return None


def _subject(code: str, family: dict, member: tuple, with_residence: bool) -> dict:
    cf, name, surname, born, sex, relationship = member
    item = {"generalita": {"codiceFiscale": {"codFiscale": cf, "validitaCF": "1"}, "nome": name, "cognome": surname,
                           "dataNascita": born, "sesso": sex},
            "identificativi": {"idANPR": family["id"] if cf == code else f"{family['id']}-{relationship}{born[:4]}"},
            "legameSoggetto": {"codiceLegame": relationship}}
    if with_residence:
        kind, street, number, cap = family["address"]
        item["residenza"] = [{"tipoIndirizzo": "1", "indirizzo": {
            "cap": cap, "comune": family["comune"], "toponimo": {"specie": kind, "denominazioneToponimo": street},
            "numeroCivico": {"numero": number}}}]
    return item


@csrf_exempt  # an e-service endpoint: the voucher and the ModI signatures are what is checked
@require_POST
def anpr(request, case):
    _enabled()
    if case not in ("C030", "C020", "C021"):
        raise Http404
    broken = fault()
    if broken == "lento":
        time.sleep(settings.PDND_TIMEOUT + 0.5)
    if broken == "errore_500":
        return HttpResponse("Internal Server Error", status=500, content_type="text/plain")
    if broken == "risposta_non_json":
        return HttpResponse("<html>manutenzione programmata</html>", content_type="text/html")
    refused = _check_modi(request, purpose=settings.PDND_ANPR_PURPOSES.get(case, ""), audience=settings.PDND_ANPR_AUDIENCE)
    if refused is not None:
        return refused
    try:
        body = json.loads(request.body)
        criteria, wanted = body["criteriRicerca"], body["datiRichiesta"]
        if wanted.get("casoUso") != case or not isinstance(criteria, dict):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        return _problem(400, "Richiesta non conforme", "criteriRicerca e datiRichiesta.casoUso sono obbligatori")
    if case == "C030":
        code = str(criteria.get("codiceFiscale", "")).upper()
        found = None if broken == "non_trovato" else REGISTRY.get(code)
    else:
        code, found = next(((cf, f) for cf, f in REGISTRY.items() if f["id"] == criteria.get("idANPR")), ("", None))
        if broken == "non_trovato":
            found = None
    if found is None:
        return _problem(404, "Soggetto non trovato")
    head = next(m for m in found["members"] if m[0] == code)
    if case == "C030":
        subjects = [{"identificativi": {"idANPR": found["id"]}}]
    elif case == "C020":
        subjects = [_subject(code, found, head, with_residence=True)]
    else:
        subjects = [_subject(code, found, m, with_residence=False) for m in found["members"]]
    return JsonResponse({"idOperazioneANPR": hashlib.sha256(request.body).hexdigest()[:20],
                         "listaSoggetti": {"datiSoggetto": subjects}})


# INPS ConsultazioneISEE ----------------------------------------------------------------------------------------------
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
ISEE_NS = "urn:sportello:inps:isee"
ATTESTATION_NS = "urn:sportello:inps:isee:attestazione"
# The demo's attestations (fictional): valid; valid with annotations; none; expired.
ATTESTATIONS = {
    "RSSMRA85C52H501N": {"isee": "9876.50", "protocol": "INPS-ISEE-{year}-00012345A-00", "annotations": ()},
    "BNCLCU82S02A271A": {"isee": "15234.00", "protocol": "INPS-ISEE-{year}-00067890B-00", "annotations": (
        ("Omissione", "Saldo di un conto corrente non dichiarato per un componente del nucleo"),
        ("Difformita", "Patrimonio mobiliare difforme dai dati dell'Anagrafe tributaria"))},
    "FRRPLA68A14L219Z": {"isee": "31000.00", "protocol": "INPS-ISEE-{last}-00011111C-00", "annotations": (), "expired": True},
}


def _soap(body: etree._Element, status: int = 200) -> HttpResponse:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soapenv": SOAP_ENV})
    etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body").append(body)
    return HttpResponse(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"), status=status,
                        content_type="text/xml; charset=utf-8")


def _esito(outcome: str, description: str = "", attestation: bytes = b"") -> HttpResponse:
    answer = etree.Element(f"{{{ISEE_NS}}}ConsultazioneAttestazioneResponse", nsmap={"isee": ISEE_NS})
    etree.SubElement(answer, f"{{{ISEE_NS}}}Esito").text = outcome
    if description:
        etree.SubElement(answer, f"{{{ISEE_NS}}}DescrizioneErrore").text = description
    if attestation:
        etree.SubElement(answer, f"{{{ISEE_NS}}}XmlEsitoAttestazione").text = base64.b64encode(attestation).decode()
    return _soap(answer)


def attestation_xml(record: dict, today) -> bytes:
    year = today.year - (1 if record.get("expired") else 0)
    root = etree.Element(f"{{{ATTESTATION_NS}}}Attestazione", nsmap={None: ATTESTATION_NS}, attrib={
        "ProtocolloDSU": record["protocol"].format(year=year, last=year), "DataRilascio": f"{year}-01-20",
        "DataScadenza": f"{year}-12-31", "TipoIndicatore": "Minorenni"})
    etree.SubElement(root, f"{{{ATTESTATION_NS}}}ISEE").text = record["isee"]
    if record["annotations"]:
        notes = etree.SubElement(root, f"{{{ATTESTATION_NS}}}Annotazioni")
        for tag in ("Omissione", "Difformita"):  # the schema's order
            for kind, text in record["annotations"]:
                if kind == tag:
                    etree.SubElement(notes, f"{{{ATTESTATION_NS}}}{tag}").text = text
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@csrf_exempt  # a SOAP endpoint: the voucher and the ModI signatures are what is checked
def consultazione_isee(request):
    _enabled()
    if request.method == "GET" and "wsdl" in request.GET:
        from .inps import WSDL

        return HttpResponse(WSDL.read_bytes(), content_type="text/xml; charset=utf-8")
    if request.method != "POST":
        return HttpResponse(status=405)
    broken = fault()
    if broken == "inps_lento":
        time.sleep(settings.PDND_TIMEOUT + 0.5)
    if broken == "inps_errore_500":
        return HttpResponse("Internal Server Error", status=500, content_type="text/plain")
    if broken == "inps_spazzatura":
        return HttpResponse("<?xml version='1.0'?><manutenzione/>", content_type="text/xml")
    refused = _check_modi(request, purpose=settings.PDND_INPS_PURPOSE, audience=settings.PDND_INPS_AUDIENCE)
    if refused is not None:
        return refused
    if broken == "inps_non_disponibile":
        return _esito("DATABASE_NON_DISPONIBILE", "Servizio temporaneamente non disponibile")
    from .inps import HERE

    try:
        envelope = etree.fromstring(request.body, etree.XMLParser(resolve_entities=False, no_network=True))
        question = envelope.find(f"{{{SOAP_ENV}}}Body/{{{ISEE_NS}}}ConsultazioneAttestazione")
        if question is None:
            raise ValueError("no ConsultazioneAttestazione")
        _request_schema(str(HERE / "consultazione_isee.xsd")).validate(question)
    except (etree.XMLSyntaxError, ValueError, xmlschema.XMLSchemaException) as exc:
        return _esito("RICHIESTA_INVALIDA", str(exc)[:200])
    record = ATTESTATIONS.get(question.findtext(f"{{{ISEE_NS}}}CodiceFiscale"))
    if record is None:
        return _esito("DATI_NON_TROVATI", "Nessuna attestazione ISEE valida per il codice fiscale indicato")
    from django.utils import timezone

    return _esito("OK", attestation=attestation_xml(record, timezone.localdate()))


@lru_cache(maxsize=2)
def _request_schema(path: str):
    return xmlschema.XMLSchema(path)


@csrf_exempt  # the sandbox's control for tests and fault drills, like the other sandboxes'
def faults(request):
    _enabled()
    return SWITCH.view(request)


def index(request):
    """What the stand-ins hold (the demo's families) and the fault they are playing, with a form to change it."""
    _enabled()
    if request.method == "POST":
        name = request.POST.get("guasto", "")
        if name in FAULTS:
            set_fault(name)
        return redirect("pdnd_sandbox_index")
    families = [{"head": f["members"][0][1].title() + " " + f["members"][0][2].title(), "comune": f["comune"]["nomeComune"],
                 "members": [(m[1].title(), m[2].title(), m[3], m[0]) for m in f["members"]]} for f in REGISTRY.values()]
    return render(request, "pdnd/sandbox.html", {"families": families, "faults": FAULTS, "fault": fault()})


urlpatterns = [
    path("", index, name="pdnd_sandbox_index"),
    path("token.oauth2", token, name="pdnd_sandbox_token"),
    path("anpr/<str:case>", anpr, name="pdnd_sandbox_anpr"),
    path("inps/consultazione-isee", consultazione_isee, name="pdnd_sandbox_inps"),
    path("guasti/", faults, name="pdnd_sandbox_faults"),
]

"""INPS's ConsultazioneISEE through PDND: the ISEE attestation valid for a benefit on a day, with its annotations.

SOAP with zeep on the WSDL shipped here; each call carries the PDND voucher and the ModI headers (the Digest of the
SOAP message signed in Agid-JWT-Signature, the tracking evidence), and is recorded in the access register."""

import base64
import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.utils import timezone

import httpx
import xmlschema
import zeep
import zeep.exceptions
from lxml import etree

from services.core.soap import HttpxTransport

from .. import modi
from ..client import Caller, NotAuthorised, NotFound, Unavailable, consultation, http_client, user_id, voucher

HERE = Path(__file__).parent
WSDL = HERE / "consultazione_isee.wsdl"
BINDING = "{urn:sportello:inps:isee:wsdl}ConsultazioneISEEBinding"
ATTESTATION_NS = "{urn:sportello:inps:isee:attestazione}"
_attestation_schema = None


@dataclass(frozen=True)
class Attestation:
    value: Decimal
    protocol: str
    issued: datetime.date
    expires: datetime.date
    indicator: str
    omissions: tuple
    discrepancies: tuple

    @property
    def expired(self) -> bool:
        return self.expires < timezone.localdate()

    @property
    def annotated(self) -> bool:
        return bool(self.omissions or self.discrepancies)


def enabled() -> bool:
    return bool(settings.PDND_CLIENT_ID and settings.PDND_INPS_URL)


class _ModiTransport(HttpxTransport):
    """Adds the voucher and the ModI headers computed over each SOAP message."""

    def __init__(self, *, token: str, evidence: str, audience: str):
        super().__init__(settings.PDND_TIMEOUT, settings.PDND_TRANSPORT == "wsgi")
        self.token, self.evidence, self.audience = token, evidence, audience

    def extra_headers(self, address, message):
        digest = modi.body_digest(message)
        return {"Authorization": f"Bearer {self.token}", "Digest": digest,
                "Agid-JWT-Signature": modi.integrity_signature(audience=self.audience, digest=digest,
                                                               content_type="text/xml; charset=utf-8"),
                "Agid-JWT-TrackingEvidence": self.evidence}


def _schema():
    global _attestation_schema
    if _attestation_schema is None:
        _attestation_schema = xmlschema.XMLSchema(str(HERE / "attestazione.xsd"))
    return _attestation_schema


def parse_attestation(raw: bytes) -> Attestation:
    """The attestation's XML (never resolving entities or fetching anything), checked against its schema."""
    try:
        root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
        _schema().validate(root)
        annotations = root.find(f"{ATTESTATION_NS}Annotazioni")
        texts = lambda tag: tuple((e.text or "").strip()[:300] for e in annotations.findall(f"{ATTESTATION_NS}{tag}")) \
            if annotations is not None else ()  # noqa: E731
        return Attestation(
            value=Decimal(root.findtext(f"{ATTESTATION_NS}ISEE")).quantize(Decimal("0.01")),
            protocol=root.get("ProtocolloDSU")[:40], issued=datetime.date.fromisoformat(root.get("DataRilascio")),
            expires=datetime.date.fromisoformat(root.get("DataScadenza")), indicator=root.get("TipoIndicatore")[:40],
            omissions=texts("Omissione"), discrepancies=texts("Difformita"))
    except (etree.XMLSyntaxError, xmlschema.XMLSchemaException, InvalidOperation, ValueError, TypeError) as exc:
        raise Unavailable("attestation not readable") from exc


def attestation(fiscal_code: str, *, benefit: str, caller: Caller, on: datetime.date | None = None) -> Attestation:
    """The ISEE attestation valid on `on` (today) for `benefit` (e.g. A2.12, school meals)."""
    purpose, audience = settings.PDND_INPS_PURPOSE, settings.PDND_INPS_AUDIENCE
    with consultation(eservice="inps-isee", purpose_id=purpose, subject=fiscal_code, caller=caller):
        if not settings.PDND_INPS_URL:
            raise NotAuthorised("e-service not configured")
        evidence = modi.tracking_evidence(audience=audience, purpose_id=purpose, user_id=user_id(caller),
                                          level=caller.level)
        try:
            with http_client() as http:
                token = voucher(http, purpose_id=purpose, evidence=evidence)
            client = zeep.Client(str(WSDL), transport=_ModiTransport(token=token, evidence=evidence, audience=audience))
            service = client.create_service(BINDING, settings.PDND_INPS_URL)
            answer = service.ConsultazioneAttestazione(
                CodiceFiscale=fiscal_code, DataValidita=on or timezone.localdate(), PrestazioneDaErogare=benefit,
                ProtocolloDomandaEnteErogatore=(caller.reference or "sportello")[:64])
        except (httpx.HTTPError, zeep.exceptions.TransportError) as exc:
            status = getattr(exc, "status_code", None)
            if status in (401, 403):
                raise NotAuthorised(f"INPS answered {status}") from exc
            raise Unavailable(type(exc).__name__) from exc
        except (zeep.exceptions.Error, etree.XMLSyntaxError) as exc:
            raise Unavailable(f"not an answer of the WSDL: {type(exc).__name__}") from exc
        outcome = getattr(answer, "Esito", None)
        if outcome == "DATI_NON_TROVATI":
            raise NotFound("no attestation")
        if outcome != "OK" or not getattr(answer, "XmlEsitoAttestazione", None):
            raise Unavailable(f"INPS answered {outcome}")
        raw = answer.XmlEsitoAttestazione
        return parse_attestation(raw if isinstance(raw, bytes) else base64.b64decode(raw))

"""CNS and other smart-card certificates (issue 29): the certificate the browser presented to nginx's CNS host, checked
against the trust store built from AgID's trusted list (the certification authorities that issue the cards).

nginx asks for the certificate only on its own host name (`CNS_HOST`, site/nginx.conf) and does not judge it
(`ssl_verify_client optional_no_ca`): it passes the PEM, URL-encoded, in the header `CNS_HEADER`, which it clears on
every other host. Django takes the header only from the CNS host and only behind the configured proxy, then checks:
issued and signed by an authority of the trust store, within its validity (and the authority's), carrying the CNS or
CIE certificate policy, not in the authority's revocation list where one is configured, and naming a valid codice
fiscale in its subject. What it returns is an attested identity, at level 2 (a card and its PIN)."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.utils.translation import gettext as _

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import NameOID

from services.core import fiscal_code

logger = logging.getLogger(__name__)

# Certificate policies of the cards: Carta Nazionale dei Servizi and Carta d'Identità Elettronica.
POLICIES = {"1.3.76.16.2.1": "cns", "1.3.76.47.4": "cie"}
LEVEL = 2


class CertificateRefused(Exception):
    """The message is for the person, in Italian; `reason` is a short code for the logs (never personal data)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class CardIdentity:
    fiscal_code: str
    given_name: str
    family_name: str
    policy: str  # "cns" or "cie"
    issuer: str


_store: dict = {"mtime": None, "path": None, "cas": []}


def trust_store() -> list[x509.Certificate]:
    """The authorities of CNS_TRUST_STORE (a PEM bundle, `manage.py cns_trust_store`), read again when the file changes."""
    path = Path(settings.CNS_TRUST_STORE) if settings.CNS_TRUST_STORE else None
    if path is None or not path.exists():
        return []
    mtime = path.stat().st_mtime
    if _store["path"] != path or _store["mtime"] != mtime:
        _store.update(path=path, mtime=mtime, cas=x509.load_pem_x509_certificates(path.read_bytes()))
    return _store["cas"]


def _refuse(reason: str, message: str):
    logger.warning("CNS login refused: %s", reason)
    raise CertificateRefused(message, reason)


def _valid_at(cert: x509.Certificate, now: datetime) -> bool:
    return cert.not_valid_before_utc <= now <= cert.not_valid_after_utc


def _issuer(cert: x509.Certificate, now: datetime) -> x509.Certificate:
    for ca in trust_store():
        if ca.subject != cert.issuer:
            continue
        try:
            cert.verify_directly_issued_by(ca)
        except (InvalidSignature, ValueError, TypeError):  # a forged signature, or a key type that cannot sign
            continue
        if _valid_at(ca, now):
            return ca
    _refuse("unknown_issuer", _("La carta non è stata emessa da un'autorità di certificazione riconosciuta."))


def _revoked(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    """In the authority's revocation list, where CNS_CRL_DIR holds one (`<sha256 of the authority's subject>.crl`)."""
    if not settings.CNS_CRL_DIR:
        return False
    import hashlib

    path = Path(settings.CNS_CRL_DIR) / f"{hashlib.sha256(ca.subject.public_bytes()).hexdigest()}.crl"
    if not path.exists():
        return False
    data = path.read_bytes()
    crl = x509.load_pem_x509_crl(data) if data.lstrip().startswith(b"-----") else x509.load_der_x509_crl(data)
    if not crl.is_signature_valid(ca.public_key()):
        logger.warning("CNS revocation list with a bad signature ignored: %s", path.name)
        return False
    return crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None


def _attribute(name: x509.Name, oid) -> str:
    found = name.get_attributes_for_oid(oid)
    return str(found[0].value).strip() if found else ""


def _fiscal_code(cert: x509.Certificate) -> str:
    """The CN's first 16 characters (`RSSMRA85C52H501N/7420091000049623.fmIW78mgkUVdmdQuXCrZbDsW9oQ=`), or the
    serialNumber `TINIT-<codice fiscale>` of the newer cards."""
    candidates = [_attribute(cert.subject, NameOID.COMMON_NAME)[:16],
                  _attribute(cert.subject, NameOID.SERIAL_NUMBER).removeprefix("TINIT-")]
    for candidate in candidates:
        code = fiscal_code.normalize(candidate)
        if fiscal_code.is_valid(code):
            return code
    _refuse("no_fiscal_code", _("Il certificato della carta non riporta un codice fiscale valido."))


def verify(pem: str, *, now: datetime | None = None) -> CardIdentity:
    now = now or datetime.now(UTC)
    try:
        cert = x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem)
    except (ValueError, TypeError):
        _refuse("unreadable", _("Il certificato presentato dal browser non è leggibile."))
    if not _valid_at(cert, now):
        _refuse("expired", _("Il certificato della carta è scaduto o non è ancora valido."))
    try:
        policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    except x509.ExtensionNotFound:
        policies = []
    kinds = [POLICIES[p.policy_identifier.dotted_string] for p in policies if p.policy_identifier.dotted_string in POLICIES]
    if not kinds:
        _refuse("policy", _("Il certificato non è quello di una Carta nazionale dei servizi o di una CIE."))
    ca = _issuer(cert, now)
    if _revoked(cert, ca):
        _refuse("revoked", _("Il certificato della carta è stato revocato."))
    return CardIdentity(fiscal_code=_fiscal_code(cert), given_name=_attribute(cert.subject, NameOID.GIVEN_NAME).title(),
                        family_name=_attribute(cert.subject, NameOID.SURNAME).title(), policy=kinds[0],
                        issuer=_attribute(ca.subject, NameOID.COMMON_NAME)[:200])


def presented(request) -> str | None:
    """The PEM nginx passed, if this request came through the CNS host behind the configured proxy; else None (a
    header sent by anyone else is never read)."""
    if not settings.CNS_HOST or settings.TRUSTED_PROXY_COUNT <= 0:
        return None
    if request.get_host().split(":")[0].lower() != settings.CNS_HOST.lower():
        return None
    value = request.META.get(settings.CNS_HEADER, "")
    return unquote(value) if value.strip() else None


# The trust store, from AgID's trusted list (TSL-IT.xml, ETSI TS 119 612) -------------------------------------------
TSL = "{http://uri.etsi.org/02231/v2#}"
IDENTITY_SERVICES = ("http://uri.etsi.org/TrstSvc/Svctype/IdV",)  # where AgID lists the authorities of the CNS
CURRENT = ("granted", "undersupervision", "accredited", "recognisedatnationallevel", "supervisionincessation")


class TrustListError(ValueError):
    """The list cannot be used; the message is for the operator, in Italian. The store in place is kept."""


def tsl_certificates(xml: bytes, service_types=IDENTITY_SERVICES) -> list[x509.Certificate]:
    """The certificates of the services of `service_types` whose status is current (defusedxml: no entities)."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from defusedxml import DefusedXmlException, ElementTree

    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise TrustListError(f"Lista di fiducia non leggibile: {error}") from error
    found = {}
    for service in root.iter(f"{TSL}ServiceInformation"):
        kind = (service.findtext(f"{TSL}ServiceTypeIdentifier") or "").strip()
        status = (service.findtext(f"{TSL}ServiceStatus") or "").strip().rsplit("/", 1)[-1].lower()
        if kind not in service_types or status not in CURRENT:
            continue
        for element in service.iter(f"{TSL}X509Certificate"):
            try:
                cert = x509.load_der_x509_certificate(base64.b64decode("".join((element.text or "").split())))
            except ValueError:
                continue
            found[cert.public_bytes(serialization.Encoding.DER)] = cert  # one each, if listed twice
    return list(found.values())


def trust_store_write(xml: bytes, target: Path, service_types=IDENTITY_SERVICES) -> int:
    """Write the store from the list, atomically (a reader never sees half a file); how many authorities."""
    import os
    import tempfile

    from cryptography.hazmat.primitives import serialization

    found = tsl_certificates(xml, service_types)
    if not found:
        raise TrustListError("Nessuna autorità dei tipi richiesti nella lista: l'elenco attuale resta com'è.")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in found))
    os.replace(handle.name, target)
    return len(found)

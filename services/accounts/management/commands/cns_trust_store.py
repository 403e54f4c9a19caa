"""Build the CNS trust store (CNS_TRUST_STORE, a PEM bundle) from AgID's trusted list, TSL-IT.xml (ETSI TS 119 612):
the certificates of the services of the chosen types whose status is current. AgID lists the authorities that issue
the CNS among the services of type IdV; `--service-type` takes others, as AgID's list may change.

    manage.py cns_trust_store /etc/sportello/TSL-IT.xml --out /etc/sportello/cns-trust.pem
"""

import base64
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from defusedxml import DefusedXmlException, ElementTree

TSL = "{http://uri.etsi.org/02231/v2#}"
IDENTITY_SERVICES = ("http://uri.etsi.org/TrstSvc/Svctype/IdV",)
CURRENT = ("granted", "undersupervision", "accredited", "recognisedatnationallevel", "supervisionincessation")


def certificates(xml: bytes, service_types=IDENTITY_SERVICES) -> list[x509.Certificate]:
    root = ElementTree.fromstring(xml)
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


class Command(BaseCommand):
    help = "Costruisce l'elenco delle autorità che emettono la CNS dalla lista di fiducia di AgID (TSL-IT.xml)."

    def add_arguments(self, parser):
        parser.add_argument("tsl", help="TSL-IT.xml, scaricato da AgID")
        parser.add_argument("--out", default="", help="il file PEM da scrivere (di solito CNS_TRUST_STORE)")
        parser.add_argument("--service-type", action="append", dest="service_types",
                            help="tipo di servizio da includere (ripetibile); predefinito: IdV")

    def handle(self, *args, tsl, out, service_types, **options):
        target = Path(out or settings.CNS_TRUST_STORE or "")
        if not str(target) or str(target) == ".":
            raise CommandError("Indica dove scrivere l'elenco: --out, o CNS_TRUST_STORE.")
        try:
            found = certificates(Path(tsl).read_bytes(), tuple(service_types or IDENTITY_SERVICES))
        except (OSError, ElementTree.ParseError, DefusedXmlException) as error:
            raise CommandError(f"Lista di fiducia non leggibile: {error}") from error
        if not found:
            raise CommandError("Nessuna autorità dei tipi richiesti nella lista: l'elenco attuale resta com'è.")
        pem = b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in found)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:  # a reader never sees half a file
            handle.write(pem)
        os.replace(handle.name, target)
        self.stdout.write(f"{len(found)} autorità scritte in {target}.")

"""Build the CNS trust store (CNS_TRUST_STORE, a PEM bundle) from AgID's trusted list, TSL-IT.xml (ETSI TS 119 612):
the certificates of the services of the chosen types whose status is current. AgID lists the authorities that issue
the CNS among the services of type IdV; `--service-type` takes others, as AgID's list may change.

    manage.py cns_trust_store /etc/sportello/TSL-IT.xml --out /etc/sportello/cns-trust.pem
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from services.accounts.cns import IDENTITY_SERVICES, TrustListError, trust_store_write


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
            count = trust_store_write(Path(tsl).read_bytes(), target, tuple(service_types or IDENTITY_SERVICES))
        except OSError as error:
            raise CommandError(f"Lista di fiducia non leggibile: {error}") from error
        except TrustListError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{count} autorità scritte in {target}.")

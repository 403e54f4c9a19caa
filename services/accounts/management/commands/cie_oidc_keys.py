"""Creates the relying party's three key pairs for CIE over OpenID Connect, once, and prints their public parts.

    manage.py cie_oidc_keys [--dir DIR]

Existing keys are never replaced (a new federation key needs a new onboarding). The output is what the CIE
federation's onboarding asks for: the federation key set and the keys of the relying party's metadata."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from services.accounts.oidc import keys


class Command(BaseCommand):
    help = "Crea (una volta) le chiavi del relying party CIE OpenID Connect e ne stampa la parte pubblica."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=settings.CIE_OIDC_KEYS_DIR, help="cartella delle chiavi (CIE_OIDC_KEYS_DIR)")

    def handle(self, *args, **options):
        if not options["dir"]:
            raise CommandError("Indica la cartella delle chiavi con --dir o con CIE_OIDC_KEYS_DIR.")
        directory = Path(options["dir"])
        public = {}
        for name, use in keys.KINDS.items():
            existed = (directory / f"{name}.json").exists()
            key = keys.generate(directory, name, use)
            public[name] = key.export_public(as_dict=True)
            self.stderr.write(f"{name}: {'già presente' if existed else 'creata'} ({directory / f'{name}.json'})")
        self.stdout.write(json.dumps({"federation_jwks": {"keys": [public["federation"]]},
                                      "openid_relying_party_jwks": {"keys": [public["core-sig"], public["core-enc"]]}},
                                     indent=2))

"""Load the demo Comune: every app's demo loaders, in order (services/core/demo.py). Idempotent."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from services.core import demo


class Command(BaseCommand):
    help = "Carica i contenuti dimostrativi del Comune di Valfiorita (idempotente)."

    def add_arguments(self, parser):
        parser.add_argument("--with-users", action="store_true", help="Crea anche gli utenti dimostrativi (solo nella demo).")

    @transaction.atomic
    def handle(self, *args, **options):
        if options["with_users"] and not settings.DEMO:
            raise CommandError("Gli utenti dimostrativi si creano solo nella demo (make run, make dev).")
        today = datetime.datetime.now(ZoneInfo("Europe/Rome")).date()
        created = demo.run(demo.Context(today=today, with_users=options["with_users"]))
        self.stdout.write(self.style.SUCCESS(f"Contenuti dimostrativi pronti ({created} elementi nuovi)."))

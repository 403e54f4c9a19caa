"""`manage.py check_invariants [--settled] [--json]`: every registered invariant (core.invariants); exit status 1 when
one is broken. Run after an incident, after a restore, and by the fault suite."""

import json

from django.core.management.base import BaseCommand, CommandError

from services.core import invariants


class Command(BaseCommand):
    help = "Checks the invariants every app registered (ledger, numbers, receipts, messages)."

    def add_arguments(self, parser):
        parser.add_argument("--settled", action="store_true", help="also those that hold only once the system is idle")
        parser.add_argument("--json", action="store_true", help="one JSON object: name → problems")

    def handle(self, *args, settled=False, **options):
        results = invariants.run(settled=settled)
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False))
        else:
            labels = {i.name: i.label for i in invariants.all_invariants()}
            for name, problems in results.items():
                self.stdout.write(f"{'OK ' if not problems else 'NO '} {name}: {labels[name]}")
                for problem in problems[:20]:
                    self.stdout.write(f"     {problem}")
        broken = [name for name, problems in results.items() if problems]
        if broken:
            raise CommandError(f"invariants broken: {', '.join(broken)}")

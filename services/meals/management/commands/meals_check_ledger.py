from django.core.management.base import BaseCommand, CommandError

from services.meals.actions import ledger_mismatches


class Command(BaseCommand):
    help = "Verifica che il saldo di ogni conto mensa sia la somma dei suoi movimenti."

    def handle(self, *args, **options):
        wrong = ledger_mismatches()
        for wallet_id, balance, total in wrong:
            self.stderr.write(f"conto {wallet_id}: saldo {balance} ≠ somma movimenti {total}")
        if wrong:
            raise CommandError(f"{len(wrong)} conti con saldo diverso dalla somma dei movimenti")
        self.stdout.write(self.style.SUCCESS("Tutti i saldi corrispondono alla somma dei movimenti."))

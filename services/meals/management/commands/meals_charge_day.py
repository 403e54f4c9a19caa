from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from services.core.money import euro
from services.meals.charges import charge_day


class Command(BaseCommand):
    help = "Addebita i pasti di un giorno (oggi se non indicato). Rieseguirlo per lo stesso giorno non cambia nulla."

    def add_arguments(self, parser):
        parser.add_argument("--giorno", help="AAAA-MM-GG (data di Roma)")

    def handle(self, giorno=None, **options):
        try:
            day = date.fromisoformat(giorno) if giorno else timezone.localdate()
        except ValueError as error:
            raise CommandError("Scrivi il giorno come AAAA-MM-GG.") from error
        result = charge_day(day)
        if not result["school_day"]:
            self.stdout.write(f"{day:%d/%m/%Y}: non è un giorno di scuola, nessun addebito.")
            return
        self.stdout.write(f"{day:%d/%m/%Y}: {result['charged']} pasti addebitati, {euro(result['amount'])}")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services.meals import importer


class Command(BaseCommand):
    help = "Importa famiglie e saldi iniziali dal CSV del sistema precedente (prova senza --apply)."

    def add_arguments(self, parser):
        parser.add_argument("csv_file")
        parser.add_argument("--apply", action="store_true", help="Applica l'importazione (tutto o niente).")

    def handle(self, csv_file, apply=False, **options):
        content = Path(csv_file).read_text(encoding="utf-8-sig")
        result = importer.apply(content) if apply else importer.plan(content)
        self.stdout.write(result.report())
        if not result.ok:
            raise CommandError("Il file ha errori: nessun dato è stato importato.")
        self.stdout.write(self.style.SUCCESS("Importazione applicata." if apply else "Prova completata: nulla è stato modificato."))

"""`manage.py restore DIR` (`make restore BACKUP=DIR`): into an empty database and empty private directory, refusing
before it touches anything when the backup is damaged, a key is missing or the target holds data. See core.backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from services.core import backup


class Command(BaseCommand):
    help = "Restores a backup made by `manage.py backup` into an empty database, then checks it."

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup's directory (sportello-<time>)")
        parser.add_argument("--check", action="store_true", help="only verify checksums, keys and target; change nothing")

    def handle(self, *args, source, check=False, **options):
        path = Path(source)
        try:
            manifest = backup.read_manifest(path)
            if check:
                backup.verify(path, manifest)
                self.stdout.write(f"{path}: checksums, keys and target are right; nothing changed")
                return
            report = backup.restore(path)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored the backup of {report['created_at']}: {report['rows']} rows in {report['tables']} tables, "
                          f"{report['private_files']} private files readable, {report['migrations_applied_now']} newer "
                          f"migrations applied, {report['invariants']} invariants hold")

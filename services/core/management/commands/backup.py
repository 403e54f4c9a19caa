"""`manage.py backup [--dest DIR]` (`make backup`): the database, the private files (encrypted, without their keys),
the public media and a manifest with checksums, in a new directory under DIR (BACKUP_DIR). See core.backup."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from services.core import backup


class Command(BaseCommand):
    help = "Backs up the database, the private files and the media, with a manifest of checksums."

    def add_arguments(self, parser):
        parser.add_argument("--dest", default=settings.BACKUP_DIR, help="the directory that receives the backup")

    def handle(self, *args, dest, **options):
        try:
            path = backup.backup(Path(dest))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        manifest = backup.read_manifest(path)
        size = sum(f["bytes"] for f in manifest["files"].values())
        self.stdout.write(f"{path}  ({size / 1e6:.1f} MB, {sum(manifest['rows'].values())} rows, "
                          f"keys {', '.join(manifest['key_fingerprints'])})")

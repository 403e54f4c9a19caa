"""Issue 28: `make backup` / `make restore`. A backup of a database with money, numbered applications and encrypted
files is restored into a new database and directory by another process; the ledger balances, the files decrypt with
the key, and the counters continue without a gap or a reuse. A damaged backup, a missing key and a target with data
are refused before anything is touched."""

import io
import json
import os
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

import pytest
from cryptography.fernet import Fernet

from services.core import backup
from services.core.sequences import format_number, sequence_next
from services.core.storage import EncryptedFileSystemStorage
from services.istanze.models import IstanzaEvent
from services.meals.actions import ledger_post
from services.meals.models import LedgerEntry
from tests.factories import IstanzaFactory, WalletFactory

ROOT = Path(__file__).resolve().parents[2]


def _data():
    """Money, a numbered application with its history, and an encrypted attachment."""
    wallet = WalletFactory()
    ledger_post(wallet_id=wallet.pk, kind=LedgerEntry.Kind.OPENING, amount=Decimal("30.00"), reference="opening:t1", description="r")
    ledger_post(wallet_id=wallet.pk, kind=LedgerEntry.Kind.MEAL, amount=Decimal("-4.20"), reference="meal:t1", description="p")
    with transaction.atomic():
        value = sequence_next(key="istanza:SERV06_UTENTI:2026")
        istanza = IstanzaFactory(status="inviata", number=format_number(code="SERV06_UTENTI", year=2026, value=value),
                                 submitted_at=timezone.now())
        IstanzaEvent.objects.create(istanza=istanza, from_status="da_inviare", to_status="inviata", actor_kind="citizen")
    name = EncryptedFileSystemStorage().save("allegati/certificato.pdf", ContentFile(b"%PDF-1.4 certificato medico"))
    return istanza, name


@pytest.fixture
def target(tmp_path):
    """A new, empty database for another process: a file on SQLite, a new database on PostgreSQL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    db = settings.DATABASES["default"]
    server = f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    name = f"sportello_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, database_url: str, tmp_path: Path, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url,
                   "PRIVATE_MEDIA_ROOT": str(tmp_path / "private-restored"), "MEDIA_ROOT": str(tmp_path / "media-restored"),
                   "TESTS_WITHOUT_DEMO": "", **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_with_money_numbers_and_files(tmp_path, target):
    istanza, name = _data()
    files = sum(1 for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file())  # this test's and earlier ones'
    path = backup.backup(tmp_path / "backups")
    manifest = json.loads((path / "manifest.json").read_text())
    assert set(manifest["files"]) == {manifest["database"], "private.tar", "media.tar"}
    assert manifest["rows"]["meals_ledgerentry"] == LedgerEntry.objects.count()
    assert manifest["key_fingerprints"] == backup.key_fingerprints()
    assert settings.SECRET_KEY not in (path / "manifest.json").read_text()
    assert path.stat().st_mode & 0o777 == 0o700 and {p.stat().st_mode & 0o777 for p in path.iterdir()} == {0o600}

    done = manage("restore", str(path), database_url=target, tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "invariants hold" in done.stdout and f"{files} private files readable" in done.stdout
    restored = tmp_path / "private-restored" / name
    assert restored.read_bytes() != b"%PDF-1.4 certificato medico"  # still encrypted at rest

    # The counters continue: the next number is the one after the backup's, never one already given.
    check = manage("shell", "-c", (
        "from django.db import transaction\n"
        "from services.core.sequences import sequence_next\n"
        "from services.core.storage import EncryptedFileSystemStorage\n"
        "from services.meals.models import Wallet\n"
        "with transaction.atomic(): print('next', sequence_next(key='istanza:SERV06_UTENTI:2026'))\n"
        f"print('file', EncryptedFileSystemStorage().open({name!r}).read().decode())\n"
        "print('balances', sorted(str(w.balance) for w in Wallet.objects.all()))\n"
    ), database_url=target, tmp_path=tmp_path)
    assert check.returncode == 0, check.stderr[-2000:]
    number = int(istanza.number.rsplit(".", 1)[1])
    assert f"next {number + 1}" in check.stdout
    assert "file %PDF-1.4 certificato medico" in check.stdout
    assert "'25.80'" in check.stdout


@pytest.mark.django_db(transaction=True)
def test_a_restore_is_refused_before_anything_is_touched(tmp_path, target):
    _data()
    path = backup.backup(tmp_path / "backups")

    # onto a database that already has data (this one)
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(path), stdout=io.StringIO())

    # without the key the files need: nothing restored, the target still empty
    other_key = Fernet.generate_key().decode()
    refused = manage("restore", str(path), database_url=target, tmp_path=tmp_path, FILE_ENCRYPTION_KEYS=other_key)
    assert refused.returncode != 0 and "need a key that is not configured" in refused.stderr
    assert manage("restore", "--check", str(path), database_url=target, tmp_path=tmp_path).returncode == 0  # still empty
    assert not (tmp_path / "private-restored").exists()

    # a damaged file
    tar = path / "private.tar"
    data = bytearray(tar.read_bytes())
    data[-1000] ^= 0xFF
    tar.write_bytes(bytes(data))
    damaged = manage("restore", "--check", str(path), database_url=target, tmp_path=tmp_path)
    assert damaged.returncode != 0 and "private.tar is damaged" in damaged.stderr

    # a backup that never finished has no manifest
    (path / "manifest.json").unlink()
    with pytest.raises(CommandError, match="has no manifest.json"):
        call_command("restore", str(path), stdout=io.StringIO())

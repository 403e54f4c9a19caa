"""Backup and restore (`make backup`, `make restore`; the procedure in site/README.md).

A backup is a directory `sportello-<UTC time>/` holding:
- `database.dump` (PostgreSQL: `pg_dump --format=custom`, one consistent snapshot even during the daily charges) or
  `database.sqlite3` (SQLite's online backup, likewise consistent);
- `private.tar`: the private files exactly as stored, i.e. encrypted (core.storage) — the keys are NOT in the backup;
- `media.tar`: the public media (images and documents of the pages);
- `manifest.json`, written last: the schema version (every migration applied), the fingerprints of the file keys in use
  (never the keys), the rows of every table, and a SHA-256 checksum of each file.

A restore refuses before touching anything when a checksum does not match, when a key the files need is not configured
(FILE_ENCRYPTION_KEYS), when the backup has migrations this code does not know, or when the target database or the
private directory already hold data. Then it loads the database, unpacks the files, applies this code's newer migrations,
and checks: the same rows in every table, every private file readable with the keys, and every invariant
(core.invariants) — the application counters continue without a gap or a reuse."""

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from cryptography.fernet import InvalidToken

from . import invariants, storage

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """What stops a backup or a restore, said so that the operator knows what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_fingerprints() -> list[str]:
    """The file keys in use, as the first 16 hex digits of their SHA-256: enough to tell which key a restore needs."""
    return [hashlib.sha256(key.encode()).hexdigest()[:16] for key in storage.file_keys()]


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432), "--username", db.get("USER") or "postgres"]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None)
    if not found:
        raise BackupError(f"{name} is missing: install PostgreSQL's client tools (Debian: postgresql-client)")
    return str(found)


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def _model_tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy})


def _row_counts(cursor=None, tables=None) -> dict[str, int]:
    """Rows of every table of the project's models (or of `tables`), read through `cursor` (the snapshot's) or the
    connection's."""
    counts = {}
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        for table in tables or _model_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - model metadata
            counts[table] = cursor.fetchone()[0]
    finally:
        if own:
            cursor.close()
    return counts


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _tar(source: Path, target: Path) -> None:
    with tarfile.open(target, "w") as archive:
        if source.exists():
            for path in sorted(source.rglob("*")):
                with contextlib.suppress(FileNotFoundError):  # a draft's file deleted meanwhile: the dump came first
                    archive.add(path, arcname=str(path.relative_to(source)), recursive=False)


def backup(destination: Path) -> Path:
    """A new backup directory under `destination`; returns its path. Only a complete backup gets its final name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = destination / f"sportello-{stamp}"
    work = destination / f".sportello-{stamp}.partial"
    destination.mkdir(parents=True, exist_ok=True)
    work.mkdir(mode=0o700)  # personal data: readable by the service's user only (the files inherit it below)
    try:
        db = settings.DATABASES["default"]
        if connection.vendor == "postgresql":
            # One snapshot for the rows counted here and for pg_dump (--snapshot): the manifest says exactly what the
            # dump holds, even while the daily charges write.
            args, env = _pg_env()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = _row_counts(cursor)
                subprocess.run([_pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
                                f"--snapshot={snapshot}", "--file", str(work / "database.dump"), db["NAME"]],
                               check=True, env=env, capture_output=True)
            database = "database.dump"
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            with sqlite3.connect(work / "database.sqlite3") as target:
                connection.connection.backup(target)
                counts = {table: target.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                          for table in _model_tables()}
            database = "database.sqlite3"
        else:
            raise BackupError(f"databases of kind {connection.vendor} are not supported")
        _tar(Path(settings.PRIVATE_MEDIA_ROOT), work / "private.tar")
        _tar(Path(settings.MEDIA_ROOT), work / "media.tar")
        files = {name: {"sha256": _sha256(work / name), "bytes": (work / name).stat().st_size}
                 for name in (database, "private.tar", "media.tar")}
        manifest = {
            "format": FORMAT, "created_at": datetime.now(UTC).isoformat(timespec="seconds"), "engine": connection.vendor,
            "database": database, "migrations": _applied_migrations(), "key_fingerprints": key_fingerprints(),
            "rows": counts, "files": files,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        for path in work.iterdir():
            path.chmod(0o600)
        work.rename(final)
    except subprocess.CalledProcessError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise BackupError(f"pg_dump failed: {error.stderr.decode(errors='replace').strip()[:500]}") from error
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{source} has no {MANIFEST}: not a backup, or one that did not finish") from error
    except ValueError as error:
        raise BackupError(f"{source / MANIFEST} is damaged (not JSON)") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r}, this code reads {FORMAT}")
    names = {"database.dump", "database.sqlite3", "private.tar", "media.tar"}
    if manifest.get("database") not in names or not set(manifest.get("files", {})) <= names:
        raise BackupError(f"{source / MANIFEST} names files a backup does not have")
    return manifest


def verify(source: Path, manifest: dict) -> None:
    """Checksums, keys, schema and target: everything that can refuse, before anything is touched."""
    for name, info in manifest["files"].items():
        path = source / name
        if not path.exists():
            raise BackupError(f"{name} is missing from the backup")
        if _sha256(path) != info["sha256"]:
            raise BackupError(f"{name} is damaged: its checksum does not match the manifest")
    missing = [fp for fp in manifest["key_fingerprints"] if fp not in key_fingerprints()]
    if missing and _private_file_count(source):
        raise BackupError("the private files need a key that is not configured (fingerprint "
                          f"{', '.join(missing)}): put it in FILE_ENCRYPTION_KEYS (newest first) and run the restore again")
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(f"the backup comes from a newer version of Sportello (migrations {', '.join(unknown[:5])}): "
                          "restore it with that version")
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"the backup is of a {manifest['engine']} database, the target is {connection.vendor}")
    if _tables():
        raise BackupError(f"the target database {settings.DATABASES['default']['NAME']} already has tables: a restore goes "
                          "into a new, empty database")
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    if private.exists() and any(private.iterdir()):
        raise BackupError(f"the private directory {private} is not empty: a restore goes into a new, empty directory")


def _private_file_count(source: Path) -> int:
    with tarfile.open(source / "private.tar") as archive:
        return sum(1 for member in archive.getmembers() if member.isfile())


def _load_database(source: Path, manifest: dict) -> None:
    db = settings.DATABASES["default"]
    if manifest["engine"] == "postgresql":
        args, env = _pg_env()
        result = subprocess.run([_pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error",
                                 "--dbname", db["NAME"], str(source / manifest["database"])], env=env, capture_output=True)
        if result.returncode:
            raise BackupError(f"pg_restore failed (drop and create the target database again before retrying): "
                              f"{result.stderr.decode(errors='replace').strip()[:500]}")
    else:
        connection.ensure_connection()
        with sqlite3.connect(source / manifest["database"]) as dump:
            dump.backup(connection.connection)
    connection.close()


def _unpack(archive_path: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path) as archive:
        archive.extractall(target, filter="data")  # no absolute paths, no links out of the directory


def unreadable_private_files() -> list[str]:
    """Private files the configured keys cannot decrypt (names relative to PRIVATE_MEDIA_ROOT)."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    fernet, bad = storage._fernet(), []
    for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []:
        try:
            fernet.decrypt(path.read_bytes())
        except (InvalidToken, ValueError):
            bad.append(str(path.relative_to(root)))
    return bad


def restore(source: Path) -> dict:
    """Restore `source` into the configured (empty) database and directories; returns what was checked."""
    manifest = read_manifest(source)
    verify(source, manifest)
    _load_database(source, manifest)
    _unpack(source / "private.tar", Path(settings.PRIVATE_MEDIA_ROOT))
    _unpack(source / "media.tar", Path(settings.MEDIA_ROOT))
    counts = _row_counts(tables=sorted(manifest["rows"]))
    differ = {table: (n, counts.get(table)) for table, n in manifest["rows"].items() if counts.get(table) != n}
    if differ:
        raise BackupError(f"the restored tables do not hold the rows the manifest counted: {differ}")
    call_command("migrate", "--noinput", verbosity=0)  # this code's newer migrations, if any
    newer = len(_applied_migrations()) - len(manifest["migrations"])
    bad = unreadable_private_files()
    if bad:
        raise BackupError(f"{len(bad)} private files cannot be decrypted with the configured keys (e.g. {bad[0]})")
    broken = {name: problems for name, problems in invariants.run().items() if problems}
    if broken:
        raise BackupError(f"invariants broken after the restore: {json.dumps(broken, ensure_ascii=False)[:800]}")
    return {"created_at": manifest["created_at"], "tables": len(counts), "rows": sum(counts.values()),
            "private_files": _private_file_count(source), "migrations_applied_now": max(newer, 0),
            "invariants": len(invariants.run())}

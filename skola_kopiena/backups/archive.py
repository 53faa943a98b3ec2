"""Backup archives: the database and the private files together, and a manifest to check them.

An archive is one `skola-kopiena-YYYYmmdd-HHMMSS.tar.gz` (Riga time, mode 0600) holding, in
this order:

    database.dump   pg_dump --format=custom of one snapshot of the database
    files/<path>    every file under PRIVATE_MEDIA_ROOT, by its path there
    manifest.json   what a restore must find again: each table's row count and content
                    checksum, counted inside the dump's own snapshot; each file's size and
                    SHA-256; the dump's SHA-256; the server's version, encoding and locale

Files and database: the database snapshot is taken first and the files are read after it.
An upload is written to disk before its row is committed and the portal never deletes an
upload, so every file a row of the snapshot refers to is already on disk when the files are
read; a file uploaded during the backup may come along without its row (harmless). The backup
lists files that rows refer to but that are missing from disk; the restore checks that every
file a restored row refers to is back.
"""

import gzip
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import models
from django.utils import timezone

from . import postgres

FORMAT = "skola-kopiena-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files/"
NAME_PATTERN = re.compile(r"^skola-kopiena-\d{8}-\d{6}\.tar\.gz$")
FILE_MODE = 0o640  # as FILE_UPLOAD_PERMISSIONS
DIR_MODE = 0o750
CHUNK = 1024 * 1024


def file_columns():
    """(table, column) of every file field, and of its copy in the simple-history table."""
    columns = set()
    for model in apps.get_models(include_auto_created=True):
        # A historical model keeps the file's name in a text column named like the field.
        source = getattr(model, "instance_type", None) or model
        for model_field in source._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                columns.add((model._meta.db_table, model_field.column))
    return sorted(columns)


def media_files(root):
    """[(relative path, Path)] of the regular files under `root`, and what was skipped."""
    found, skipped = [], []
    root = Path(root)
    if not root.is_dir():
        return found, skipped
    for dirpath, dirnames, filenames in os.walk(root):
        links = [d for d in dirnames if (Path(dirpath) / d).is_symlink()]
        dirnames[:] = sorted(d for d in dirnames if d not in links)
        for name in sorted([*filenames, *links]):
            path = Path(dirpath) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file():
                skipped.append(relative)
            else:
                found.append((relative, path))
    return found, skipped


def sha256_of(path):
    with Path(path).open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


class HashingReader:
    """Hands a file to tarfile and hashes what passes through."""

    def __init__(self, raw):
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def newest_archive(directory):
    archives = sorted(p for p in Path(directory).iterdir() if NAME_PATTERN.match(p.name))
    if not archives:
        raise CommandError(f"No backup archive (skola-kopiena-*.tar.gz) in {directory}.")
    return archives[-1]


# --- Backup ------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    size: int
    warnings: list = field(default_factory=list)
    removed: list = field(default_factory=list)


def check_output_dir(output):
    """Backups hold children's data: never inside a served or shipped directory."""
    output = Path(output).expanduser().resolve()
    forbidden = [
        ("the private files (PRIVATE_MEDIA_ROOT)", settings.PRIVATE_MEDIA_ROOT),
        ("the public static files (STATIC_ROOT)", settings.STATIC_ROOT),
        *(("the static files (STATICFILES_DIRS)", d) for d in settings.STATICFILES_DIRS),
        ("the project's code directory", settings.BASE_DIR),
    ]
    for what, directory in forbidden:
        if output.is_relative_to(Path(directory).resolve()):
            raise CommandError(
                f"{output} is inside {what}. Write backups to a directory of their own, "
                "outside the project and any served path (e.g. /backups)."
            )
    return output


def add_file(tar, name, path):
    stat = path.stat()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
    with path.open("rb") as f:
        reader = HashingReader(f)
        tar.addfile(info, reader)
    return {"size": reader.size, "sha256": reader.sha256.hexdigest()}


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    tar.addfile(info, io.BytesIO(data))


def backup(source, output, *, keep=None):
    """Write one archive of `source` (a postgres.Database) and PRIVATE_MEDIA_ROOT to `output`."""
    output = check_output_dir(output)
    output.mkdir(mode=0o700, parents=True, exist_ok=True)
    warnings = []
    if output.stat().st_mode & 0o077:
        warnings.append(f"{output} is open to other users; make it private: chmod 700 {output}")
    name = f"skola-kopiena-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    final = output / name
    if final.exists():
        raise CommandError(f"{final} already exists; wait a second and run the backup again.")
    _, pg_dump_version = postgres.tool("pg_dump")
    media_root = Path(settings.PRIVATE_MEDIA_ROOT)
    if not media_root.is_dir():
        warnings.append(f"PRIVATE_MEDIA_ROOT ({media_root}) does not exist: no files backed up.")

    with tempfile.TemporaryDirectory(dir=output, prefix=".backup-") as work:
        dump_path = Path(work) / DUMP
        with postgres.snapshot(source) as (conn, snapshot_id):
            info = postgres.server_info(conn)
            server_major = postgres.major(str(info["server_version_num"]))
            if postgres.major(pg_dump_version) < server_major:
                raise CommandError(
                    f"{pg_dump_version} cannot dump a PostgreSQL {server_major} server: install "
                    f"the client tools of version {server_major} or newer."
                )
            process = postgres.start_dump(source, snapshot_id, dump_path)
            try:
                tables = postgres.table_contents(conn)
                referenced = postgres.referenced_files(conn, file_columns())
            except BaseException:
                process.kill()
                process.communicate()
                raise
            postgres.finish(process, "pg_dump")

        # After the snapshot: every file its rows refer to is on disk by now.
        files, skipped = media_files(media_root)
        if skipped:
            warnings.append(f"Skipped {len(skipped)} links or special files: {skipped[:5]}")
        partial = output / f".{name}.partial"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(
                    fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
                ) as tar:
                    dump_entry = add_file(tar, DUMP, dump_path)
                    entries = [
                        {"path": relative, **add_file(tar, FILES + relative, path)}
                        for relative, path in files
                    ]
                    missing = sorted(referenced - {entry["path"] for entry in entries})
                    manifest = {
                        "format": FORMAT,
                        "format_version": FORMAT_VERSION,
                        "created_at": timezone.localtime().isoformat(timespec="seconds"),
                        "database": {
                            "name": source.name,
                            **info,
                            "pg_dump": pg_dump_version,
                            "dump": {"path": DUMP, **dump_entry},
                        },
                        "tables": tables,
                        "files": entries,
                        "files_missing_at_backup": missing,
                    }
                    data = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False)
                    add_bytes(tar, MANIFEST, data.encode("utf-8"))
                raw.flush()
                os.fsync(raw.fileno())
            if final.exists():
                raise CommandError(f"{final} appeared while the backup was written; not replaced.")
            partial.rename(final)
            directory = os.open(output, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise

    if missing:
        warnings.append(
            f"{len(missing)} files that the database refers to were already missing from "
            f"PRIVATE_MEDIA_ROOT and are not in the backup: {missing[:5]}"
        )
    removed = prune(output, keep, just_written=final) if keep else []
    return BackupResult(
        path=final,
        tables=len(tables),
        rows=sum(t["rows"] for t in tables.values()),
        files=len(entries),
        size=final.stat().st_size,
        warnings=warnings,
        removed=removed,
    )


def prune(output, keep, *, just_written):
    """Delete all but the newest `keep` archives (names sort by time), never the one just
    written (should the clock have gone back), and nothing else."""
    archives = sorted(p for p in output.iterdir() if NAME_PATTERN.match(p.name) and p.is_file())
    old = [path for path in archives[:-keep] if path != just_written]
    for path in old:
        path.unlink()
    return old


# --- Restore -----------------------------------------------------------------------------


@dataclass
class RestoreReport:
    manifest: dict
    damaged: bool = False
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def safe_relative(name):
    """The member's path below files/, refused if it could leave the media directory."""
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or "\\" in name
        or any(part in {"", ".", ".."} for part in name.split("/"))
    ):
        raise CommandError(f"The archive holds an unsafe path: files/{name}")
    return path


def copy_out(source, destination, mode):
    """Write a member to a new file (never over an existing one); its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def make_dirs(root, relative_dir):
    path = root
    for part in relative_dir.parts:
        path = path / part
        if not path.is_dir():
            path.mkdir(mode=DIR_MODE)


def extract(archive, media_root, workdir):
    """Read the archive once: the dump into `workdir`, the files into `media_root`.
    Returns (manifest, the dump's size and SHA-256 as read)."""
    manifest, dump, seen = None, None, set()
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                if member.name in seen:
                    raise CommandError(f"The archive holds {member.name} twice.")
                seen.add(member.name)
                if not member.isreg():
                    raise CommandError(f"The archive holds {member.name}, which is not a file.")
                content = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = json.loads(content.read().decode("utf-8"))
                elif member.name == DUMP:
                    dump = copy_out(content, workdir / DUMP, 0o600)
                elif member.name.startswith(FILES):
                    relative = safe_relative(member.name.removeprefix(FILES))
                    make_dirs(media_root, relative.parent)
                    copy_out(content, media_root / relative, FILE_MODE)
                else:
                    raise CommandError(f"The archive holds an unexpected {member.name}.")
    except (
        tarfile.TarError,
        gzip.BadGzipFile,
        EOFError,
        zlib.error,
        UnicodeDecodeError,
        ValueError,
    ) as error:
        raise CommandError(f"{archive} is damaged or not a backup archive: {error}") from error
    if manifest is None or manifest.get("format") != FORMAT:
        raise CommandError(f"{archive} has no manifest.json of a skola-kopiena backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise CommandError(
            f"{archive} is a backup of format {manifest.get('format_version')}; this code "
            f"reads format {FORMAT_VERSION}."
        )
    if dump is None:
        raise CommandError(f"{archive} holds no {DUMP}.")
    return manifest, dump


def check_target(target, media_root):
    """Refuse anything but a fresh database and a fresh media directory, before any write."""
    if media_root.exists() and (not media_root.is_dir() or any(media_root.iterdir())):
        raise CommandError(
            f"{media_root} is not an empty directory. Restore the files into a new or empty one."
        )
    if target.exists():
        with target.connect() as conn:
            if not postgres.is_empty(conn):
                raise CommandError(
                    f"{target} is not empty. Restore only into a fresh, empty database."
                )
        return True
    return False


def restore(archive, *, target, media_root, say=lambda message: None):
    """Restore `archive` into `target` (a postgres.Database, fresh) and `media_root` (fresh),
    then compare everything with the manifest; the report lists every difference.

    The archive is checked first: if the dump or any file differs from the manifest, the
    archive is damaged and nothing is restored into the database (`report.damaged`)."""
    archive, media_root = Path(archive), Path(media_root).expanduser().absolute()
    if not archive.is_file():
        raise CommandError(f"{archive} is not a file.")
    _, pg_restore_version = postgres.tool("pg_restore")
    existed = check_target(target, media_root)
    media_root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="skola-restore-") as work:
        work = Path(work)
        say(f"Reading {archive} into {media_root} ...")
        manifest, dump = extract(archive, media_root, work)
        report = RestoreReport(manifest=manifest)
        database = manifest["database"]
        if dump["sha256"] != database["dump"]["sha256"]:
            report.problems.append(f"{DUMP}: its SHA-256 differs from the manifest")
        compare_files(manifest, media_root, report)
        if report.problems:
            report.damaged = True
            return report
        if postgres.major(pg_restore_version) < postgres.major(database["pg_dump"]):
            raise CommandError(
                f"{pg_restore_version} cannot read a dump made by {database['pg_dump']}: "
                "install newer PostgreSQL client tools."
            )
        if existed:
            with target.connect() as conn:
                info = postgres.server_info(conn)
            for key in ("encoding", "lc_collate", "lc_ctype", "locale_provider"):
                if info[key] != database[key]:
                    report.notes.append(
                        f"The target database's {key} is {info[key]}, the backup's was "
                        f"{database[key]}; text sorts by the new one where no collation is set."
                    )
        else:
            say(f"Creating {target} ...")
            postgres.create_like(target, database)
        say(f"Restoring the database into {target} ...")
        postgres.restore(target, work / DUMP, work)

    say("Comparing every table, and the files the rows refer to, with the manifest ...")
    with target.connect() as conn:
        restored = postgres.table_contents(conn)
        referenced = postgres.referenced_files(conn, file_columns())
        applied = migrations_in(conn)
        target_major = postgres.major(str(postgres.server_info(conn)["server_version_num"]))
    compare_tables(manifest["tables"], restored, report)
    compare_references(manifest, referenced, report)
    compare_migrations(applied, report)
    if target_major < postgres.major(str(database["server_version_num"])):
        report.notes.append(
            f"The backup comes from PostgreSQL {database['server_version']}, the target server "
            f"is older ({target_major})."
        )
    return report


def compare_tables(expected, restored, report):
    for name in sorted(expected.keys() | restored.keys()):
        if name not in restored:
            report.problems.append(
                f"table {name}: missing after the restore (manifest: {expected[name]['rows']} rows)"
            )
        elif name not in expected:
            report.problems.append(f"table {name}: restored, but not in the manifest")
        elif restored[name]["rows"] != expected[name]["rows"]:
            report.problems.append(
                f"table {name}: {restored[name]['rows']} rows restored, the manifest says "
                f"{expected[name]['rows']}"
            )
        elif restored[name]["checksum"] != expected[name]["checksum"]:
            report.problems.append(
                f"table {name}: {restored[name]['rows']} rows as expected, but their content "
                "differs from the manifest's checksum"
            )
    report.tables = len(restored)
    report.rows = sum(table["rows"] for table in restored.values())


def compare_files(manifest, media_root, report):
    """Every file of the manifest on disk with its size and SHA-256, and no other file."""
    on_disk = dict(media_files(media_root)[0])
    for entry in manifest["files"]:
        relative = entry["path"]
        path = on_disk.pop(relative, None)
        if path is None:
            report.problems.append(f"file {relative}: in the manifest, missing from the archive")
        elif path.stat().st_size != entry["size"]:
            report.problems.append(
                f"file {relative}: {path.stat().st_size} bytes, the manifest says {entry['size']}"
            )
        elif sha256_of(path) != entry["sha256"]:
            report.problems.append(f"file {relative}: its SHA-256 differs from the manifest")
        else:
            report.files += 1
    for relative in sorted(on_disk):
        report.problems.append(f"file {relative}: in the archive, but not in the manifest")


def compare_references(manifest, referenced, report):
    """Every file a restored row refers to is back, unless it was missing at backup time."""
    listed = {entry["path"] for entry in manifest["files"]}
    known_missing = set(manifest.get("files_missing_at_backup", []))
    for relative in sorted(referenced - listed - known_missing):
        report.problems.append(
            f"file {relative}: the restored database refers to it, but the backup lacks it"
        )
    if known_missing:
        report.notes.append(
            f"{len(known_missing)} files the database refers to were already missing when the "
            f"backup was made: {sorted(known_missing)[:5]}"
        )


def migrations_in(conn):
    if conn.execute("SELECT to_regclass('django_migrations')").fetchone()[0] is None:
        return set()
    return set(conn.execute("SELECT app, name FROM django_migrations").fetchall())


def compare_migrations(applied, report):
    from django.db.migrations.loader import MigrationLoader

    unknown = sorted(
        applied - set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    )
    if unknown:
        report.notes.append(
            f"The backup has {len(unknown)} migrations this code does not know (it was made by "
            f"a newer version of the portal): {unknown[:5]}"
        )

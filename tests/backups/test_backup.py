"""Backups: the database and the private files come back together, and nothing less passes.

pg_dump reads the database through its own connection, so the data of a round trip must be
committed: those tests are transactional, and serialized_rollback brings back the migrations'
reference data (regions, municipalities) after the flush. Every restore goes into a database
of its own beside the test database, dropped at the end.
"""

import datetime
import io
import json
import re
import secrets
import stat
import tarfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from psycopg import sql

from skola_kopiena.backups import postgres
from tests.factories import PDF_BYTES

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups are made of PostgreSQL databases"
)
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)

D = datetime.date
T = datetime.time


def live_database():
    return postgres.Database.from_settings(connection.settings_dict)


def url_of(database):
    params = database.params
    auth = quote(params.get("user", ""), safe="")
    if params.get("password"):
        auth += ":" + quote(params["password"], safe="")
    where = f"{params.get('host', 'localhost')}:{params.get('port', '5432')}"
    return f"postgres://{auth}@{where}/{database.name}"


@pytest.fixture
def new_database():
    """A name for a database beside the test database; whatever is made under it is dropped."""
    database = live_database().named(
        f"{connection.settings_dict['NAME']}_restored_{secrets.token_hex(3)}"
    )
    yield database
    postgres.drop(database)


def plant_file():
    """A file in the private media as an upload leaves it."""
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "2026" / "11" / f"{secrets.token_hex(16)}.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PDF_BYTES)
    return path


@pytest.fixture(scope="module")
def reference_backup(django_db_setup, django_db_blocker, tmp_path_factory):
    """One archive of the test database as its migrations left it, with one uploaded file,
    shared by the tests that only need some archive. Returns (archive, the file's path)."""
    if connection.vendor != "postgresql":
        pytest.skip("backups are made of PostgreSQL databases")
    planted = plant_file()
    with django_db_blocker.unblock():
        archive = back_up(tmp_path_factory.mktemp("backups"))
    yield archive, planted.relative_to(settings.PRIVATE_MEDIA_ROOT).as_posix()
    planted.unlink(missing_ok=True)


def row_counts(database):
    """Rows of every base table, counted independently of the backup code."""
    with database.connect() as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' "
            "AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
        return {
            f"{schema}.{table}": conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))
            ).fetchone()[0]
            for schema, table in tables
        }


def private_files(root):
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def back_up(output, *extra):
    stdout = io.StringIO()
    call_command("backup", "--output", str(output), *extra, stdout=stdout, stderr=io.StringIO())
    (archive,) = re.findall(r"Backup written: (\S+)", stdout.getvalue())
    return Path(archive)


def restore_argv(archive, database, media_root):
    return [str(archive), "--database-url", url_of(database), "--media-root", str(media_root)]


def restore(archive, database, media_root):
    stdout = io.StringIO()
    call_command("restore", *restore_argv(archive, database, media_root), stdout=stdout)
    return stdout.getvalue()


def refused_restore(archive, database, media_root):
    """The error of a restore that must fail, and the mismatches it listed."""
    stderr = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "restore",
            *restore_argv(archive, database, media_root),
            stdout=io.StringIO(),
            stderr=stderr,
        )
    return str(error.value), stderr.getvalue()


def rewrite(archive, destination, change):
    """A copy of the archive with `change(name, data)` applied to each member (None drops it)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(destination, "w:gz") as target:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            if data is not None:
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
    return destination


def change_manifest(edit):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


@postgresql_only
@committed
def test_backup_and_restore_bring_back_every_row_and_every_file(
    cast, active_plan, meet, tmp_path, new_database
):
    meet(active_plan, D(2026, 11, 25), T(8, 0), T(9, 0), result="Labi")
    archive = back_up(tmp_path / "backups")
    with new_database.maintenance() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(new_database.name)))

    output = restore(archive, new_database, tmp_path / "restored")

    assert "Restore complete" in output
    counts = row_counts(live_database())
    assert counts["public.iap_plan"] == 1 and counts["public.diary_diaryentry"] == 1
    assert row_counts(new_database) == counts
    restored = private_files(tmp_path / "restored")
    assert restored == private_files(settings.PRIVATE_MEDIA_ROOT)
    # The plan's row and its uploaded file come back together.
    with new_database.connect() as conn:
        (name,) = conn.execute(
            "SELECT application_file FROM iap_plan WHERE id = %s", [active_plan.pk]
        ).fetchone()
    assert name == active_plan.application_file.name
    assert restored[name] == PDF_BYTES


@postgresql_only
@pytest.mark.django_db
def test_backup_archive_is_readable_by_its_owner_only_in_a_private_directory(tmp_path):
    planted = plant_file()
    try:
        archive = back_up(tmp_path / "backups")
    finally:
        planted.unlink()

    assert re.fullmatch(r"skola-kopiena-20261125-10\d{4}\.tar\.gz", archive.name)  # Riga time
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    relative = planted.relative_to(settings.PRIVATE_MEDIA_ROOT).as_posix()
    assert f"files/{relative}" in names and "database.dump" in names
    entry = next(e for e in manifest["files"] if e["path"] == relative)
    assert entry["size"] == len(PDF_BYTES) and len(entry["sha256"]) == 64
    assert manifest["tables"]["public.schools_municipality"]["rows"] == 43


@postgresql_only
@pytest.mark.django_db
def test_restore_refuses_an_archive_whose_file_was_changed_before_touching_the_database(
    reference_backup, tmp_path, new_database
):
    archive, relative = reference_backup
    tampered = rewrite(
        archive,
        tmp_path / "tampered.tar.gz",
        lambda name, data: data.replace(b"%%EOF", b"%%EOX") if name.endswith(relative) else data,
    )

    error, mismatches = refused_restore(tampered, new_database, tmp_path / "restored")

    assert "is damaged: 1 problem (listed above). Nothing was restored into the database." in error
    assert f"MISMATCH file {relative}: its SHA-256 differs from the manifest" in mismatches
    assert not new_database.exists()


@postgresql_only
@pytest.mark.django_db
def test_restore_refuses_a_truncated_archive(reference_backup, tmp_path, new_database):
    archive, _ = reference_backup
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    error, _ = refused_restore(truncated, new_database, tmp_path / "restored")

    assert "is damaged or not a backup archive" in error
    assert not new_database.exists()


@postgresql_only
@pytest.mark.django_db
def test_restore_refuses_an_archive_with_a_path_that_leaves_the_media_directory(
    reference_backup, tmp_path, new_database
):
    archive, _ = reference_backup
    with tarfile.open(archive, "r:gz") as source:
        members = [(m, source.extractfile(m).read()) for m in source]
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(hostile, "w:gz") as target:
        escape = tarfile.TarInfo("files/../escaped.pdf")
        escape.size = len(PDF_BYTES)
        for member, data in [(escape, PDF_BYTES), *members]:
            target.addfile(member, io.BytesIO(data))

    error, _ = refused_restore(hostile, new_database, tmp_path / "restored" / "private")

    assert "The archive holds an unsafe path: files/../escaped.pdf" in error
    assert not (tmp_path / "restored" / "escaped.pdf").exists()
    assert not new_database.exists()


@postgresql_only
@committed
def test_restore_names_every_row_count_content_and_referenced_file_that_differs(
    cast, active_plan, tmp_path, new_database
):
    # A manifest claiming one region more, other municipalities' content, and an archive
    # without the plan's signed agreement (file and manifest entry both gone).
    archive = back_up(tmp_path / "backups")
    lost = active_plan.agreement_scan.name

    def tamper(manifest):
        manifest["tables"]["public.schools_region"]["rows"] += 1
        manifest["tables"]["public.schools_municipality"]["checksum"] = "1"
        manifest["files"] = [f for f in manifest["files"] if f["path"] != lost]

    def change(name, data):
        return None if name == f"files/{lost}" else change_manifest(tamper)(name, data)

    tampered = rewrite(archive, tmp_path / "tampered.tar.gz", change)
    regions = row_counts(live_database())["public.schools_region"]

    error, mismatches = refused_restore(tampered, new_database, tmp_path / "restored")

    assert "does not match its manifest: 3 problems (listed above)." in error
    assert mismatches.splitlines() == [
        "MISMATCH table public.schools_municipality: 43 rows as expected, but their content "
        "differs from the manifest's checksum",
        f"MISMATCH table public.schools_region: {regions} rows restored, the manifest says "
        f"{regions + 1}",
        f"MISMATCH file {lost}: the restored database refers to it, but the backup lacks it",
    ]


@postgresql_only
@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(reference_backup, tmp_path):
    archive, _ = reference_backup

    error, _ = refused_restore(archive, live_database(), tmp_path / "restored")

    assert "is not empty. Restore only into a fresh, empty database." in error
    assert not (tmp_path / "restored").exists()


@postgresql_only
@pytest.mark.django_db
def test_restore_refuses_a_media_directory_that_is_not_empty(
    reference_backup, tmp_path, new_database
):
    archive, _ = reference_backup
    (tmp_path / "restored").mkdir()
    (tmp_path / "restored" / "old.pdf").write_bytes(PDF_BYTES)

    error, _ = refused_restore(archive, new_database, tmp_path / "restored")

    assert "is not an empty directory" in error
    assert not new_database.exists()


@postgresql_only
@pytest.mark.django_db
def test_check_restores_the_newest_backup_into_a_throwaway_database_and_drops_it(
    reference_backup,
):
    archive, _ = reference_backup
    stdout = io.StringIO()

    call_command("restore", str(archive.parent), "--check", stdout=stdout)

    assert f"Newest backup in {archive.parent}: {archive.name}" in stdout.getvalue()
    assert "Check passed" in stdout.getvalue()
    (dropped,) = re.findall(r'Dropped the throw-away database "(\w+)"', stdout.getvalue())
    assert "_restore_check_" in dropped
    assert not live_database().named(dropped).exists()


@postgresql_only
@pytest.mark.django_db
def test_backup_keeps_only_the_newest_archives_it_is_asked_to_keep(tmp_path):
    output = tmp_path / "backups"
    output.mkdir(mode=0o700)
    for day in ("01", "02", "03"):
        (output / f"skola-kopiena-202611{day}-023000.tar.gz").write_bytes(b"old")
    (output / "notes.txt").write_text("kept")

    archive = back_up(output, "--keep", "2")

    assert sorted(p.name for p in output.iterdir()) == [
        "notes.txt",
        "skola-kopiena-20261103-023000.tar.gz",
        archive.name,
    ]


@postgresql_only
@pytest.mark.django_db
def test_backup_refuses_to_write_inside_the_private_files():
    with pytest.raises(CommandError, match=r"inside the private files \(PRIVATE_MEDIA_ROOT\)"):
        back_up(Path(settings.PRIVATE_MEDIA_ROOT) / "backups")


def test_backup_refuses_sqlite_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")

    with pytest.raises(CommandError, match="copy the database file and PRIVATE_MEDIA_ROOT"):
        back_up(tmp_path / "backups")

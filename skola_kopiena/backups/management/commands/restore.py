"""`manage.py restore ARCHIVE --database-url URL --media-root DIR`, or `restore ARCHIVE --check`.

Restores into a fresh, empty database and a fresh media directory, then checks every table's
row count and content checksum and every file's size and SHA-256 against the manifest. Exits
non-zero on any difference. `--check` does the same in a throw-away database and directory,
which it removes afterwards: it proves a backup good without touching anything.
"""

import secrets
import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skola_kopiena.backups import archive as archives
from skola_kopiena.backups import postgres

from .backup import require_postgresql


class Command(BaseCommand):
    help = (
        "Restore a backup archive into a fresh database and media directory and verify every "
        "table and file against its manifest; --check does it in a throw-away database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="The .tar.gz to restore, or a directory: its newest backup."
        )
        parser.add_argument(
            "--database-url",
            help="The fresh database, postgres://USER:PASSWORD@HOST:PORT/NAME: created when "
            "missing, refused when it holds any table. Without a password in the URL, libpq "
            "takes it from PGPASSWORD or ~/.pgpass (out of sight of `ps`).",
        )
        parser.add_argument(
            "--media-root",
            help="The fresh directory for the private files (set PRIVATE_MEDIA_ROOT to it): "
            "created when missing, refused when not empty.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Restore into a throw-away database on the configured server and a temporary "
            "directory, verify, then drop both.",
        )

    def handle(self, *args, archive, database_url, media_root, check, **options):
        path = Path(archive)
        if path.is_dir():
            path = archives.newest_archive(path)
            self.stdout.write(f"Newest backup in {archive}: {path.name}")
        if check:
            if database_url or media_root:
                raise CommandError(
                    "--check restores into its own throw-away database and "
                    "directory: leave out --database-url and --media-root."
                )
            report = self.check_in_throwaway_database(path)
        else:
            if not (database_url and media_root):
                raise CommandError("Give --database-url and --media-root, or --check.")
            target = postgres.Database.from_url(database_url)
            report = archives.restore(
                path, target=target, media_root=Path(media_root), say=self.stdout.write
            )
        self.summarise(path, report, check=check)

    def check_in_throwaway_database(self, path):
        source = require_postgresql()
        name = f"{source.name[:40]}_restore_check_{secrets.token_hex(4)}"
        target = source.named(name)
        work = Path(tempfile.mkdtemp(prefix="skola-restore-check-"))
        try:
            return archives.restore(
                path, target=target, media_root=work / "private", say=self.stdout.write
            )
        finally:
            postgres.drop(target)
            shutil.rmtree(work, ignore_errors=True)
            self.stdout.write(f"Dropped the throw-away {target} and its files.")

    def summarise(self, path, report, *, check):
        manifest = report.manifest
        expected_tables = len(manifest["tables"])
        expected_files = len(manifest["files"])
        self.stdout.write(
            f"Backup made {manifest['created_at']} of database "
            f'"{manifest["database"]["name"]}" (PostgreSQL '
            f"{manifest['database']['server_version']})."
        )
        if not report.damaged:
            self.stdout.write(
                f"Tables: {report.tables} restored, {expected_tables} in the manifest "
                f"({report.rows} rows)."
            )
        self.stdout.write(f"Files: {report.files} of {expected_files} match in size and SHA-256.")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(f"Note: {note}"))
        for problem in report.problems:
            self.stderr.write(self.style.ERROR(f"MISMATCH {problem}"))
        if report.damaged:
            raise CommandError(
                f"{path.name} is damaged: {problems(report)} (listed above). "
                "Nothing was restored into the database."
            )
        if report.problems:
            raise CommandError(
                f"The restore of {path.name} does not match its manifest: "
                f"{problems(report)} (listed above)."
            )
        verdict = "Check passed" if check else "Restore complete"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verdict}: every table's row count and content and every file match the backup."
            )
        )
        if not check:
            self.stdout.write(
                "Next: point DATABASE_URL and PRIVATE_MEDIA_ROOT at the restored database and "
                "directory, and run `manage.py migrate`."
            )


def problems(report):
    count = len(report.problems)
    return f"{count} problem" if count == 1 else f"{count} problems"

"""`manage.py backup --output DIR [--keep N]`: the database and the private files in one archive.

See skola_kopiena/backups/archive.py for what an archive holds and README.md ("Backups") for
how often to run it and how to restore.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from skola_kopiena.backups import archive, postgres


def require_postgresql():
    if connection.vendor != "postgresql":
        raise CommandError(
            f"Backups are made of the deployment's PostgreSQL database; this one is "
            f"{connection.vendor} ({connection.settings_dict.get('NAME')}). On the SQLite quick "
            "start, stop the server and copy the database file and PRIVATE_MEDIA_ROOT instead."
        )
    return postgres.Database.from_settings(connection.settings_dict)


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Write one archive (mode 0600) with a pg_dump of the database, every file under "
        "PRIVATE_MEDIA_ROOT and a manifest of row counts and file checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            required=True,
            help="Directory for the archive, outside the project and any served path "
            "(created with mode 0700).",
        )
        parser.add_argument(
            "--keep",
            type=positive,
            help="Afterwards, delete all but the newest N archives in that directory.",
        )

    def handle(self, *args, output, keep, **options):
        source = require_postgresql()
        result = archive.backup(source, output, keep=keep)
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        for path in result.removed:
            self.stdout.write(f"Removed the old backup {path.name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {result.path} ({result.size / 1_000_000:.1f} MB; "
                f"{result.tables} tables, {result.rows} rows; {result.files} files)"
            )
        )

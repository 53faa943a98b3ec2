"""`manage.py seed_scale --entries N`: fill the PostgreSQL database of DATABASE_URL with years of
the project at national scale, for the page benchmark (issue 12). What it makes and how:
skola_kopiena/scale/seed.py."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from psycopg import sql

from skola_kopiena.accounts.models import User
from skola_kopiena.scale import accounts
from skola_kopiena.scale import seed as builders


class Command(BaseCommand):
    help = (
        "Fill the PostgreSQL database of DATABASE_URL with a lifetime of the project at "
        "national scale (800 institutions, 2,000 mentors, the current semester complete and "
        "earlier semesters until --entries diary entries), for the page benchmark. Writes in "
        "bulk with COPY, never through the services; every database constraint holds. Refuses "
        "a database with real data; a database it seeded before is emptied (TRUNCATE) and "
        "seeded again. Runs the migrations first if they are not applied; ANALYZE at the end. "
        f"Logins: skola_kopiena/scale/accounts.py, password {accounts.PASSWORD!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--entries",
            type=int,
            default=100_000,
            help="Diary entries of the history: the current semester always (about 80,000 "
            "by its end), then earlier semesters until this many (default: 100,000; "
            "1,000,000 is about ten semesters).",
        )
        parser.add_argument(
            "--institutions", type=int, default=800, help="Institutions (default: 800)."
        )
        parser.add_argument("--mentors", type=int, default=2_000, help="Mentors (default: 2,000).")
        parser.add_argument(
            "--seed",
            type=int,
            default=builders.Shape.seed,
            help="The random seed: the same options make the same data (default: %(default)s).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        shape = builders.Shape(
            entries=options["entries"],
            institutions=options["institutions"],
            mentors=options["mentors"],
            seed=options["seed"],
        )
        if problems := shape.problems():
            raise CommandError(" ".join(problems))
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (COPY, and the constraints the benchmark must "
                f"meet); this database is {connection.vendor}. Set DATABASE_URL=postgres://"
                "USER@HOST:5432/NAME to a scratch database."
            )
        # Never over real data (the seed empties every table it fills), nor migrate it: asked
        # before the migrations if the tables exist, and after them.
        if User._meta.db_table in connection.introspection.table_names():
            self._refuse_real_data()
        self._migrate()
        self._refuse_real_data()
        # As of the start of this hour: two runs within the hour write the same rows.
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        name, moment = connection.settings_dict["NAME"], timezone.localtime(now)
        self.stdout.write(
            f"Seeding {name} as of {moment:%d.%m.%Y %H:%M} (--entries {shape.entries:,}, "
            f"--institutions {shape.institutions:,}, --mentors {shape.mentors:,}, "
            f"--seed {shape.seed}), in bulk with COPY, not through the services:"
        )
        counts = self._seed(shape, now)
        # Statistics and the visibility map, as autovacuum would have made them by the time
        # pages are read: without them the planner plans for empty tables and reads the heap
        # where an index alone would do.
        analyzing = builders.timed(self.stdout.write, "VACUUM ANALYZE (the planner's statistics)")
        with analyzing, connection.cursor() as cursor:
            # VACUUM cannot run in a transaction (a test's): ANALYZE alone there.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
            # Planned as on the production server (docker-compose.yml: storage on SSD).
            cursor.execute(
                sql.SQL("ALTER DATABASE {} SET random_page_cost = 1.1").format(sql.Identifier(name))
            )
        self._report(counts, started)

    def _refuse_real_data(self):
        if problem := builders.refusal():
            raise CommandError(problem)

    def _migrate(self):
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Applying the migrations first…")
            call_command("migrate", interactive=False, verbosity=0)

    def _seed(self, shape, now):
        """One transaction: a run that fails leaves the database as it was."""
        report = self.stdout.write
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own, for COPY
            if builders.was_seeded():
                with builders.timed(report, "emptied the earlier seed's tables (TRUNCATE)"):
                    builders.empty(raw)
            counts = builders.Seeder(shape, now, report=report).run(raw)
            # The foreign keys are checked at the commit (deferred): check them now, so that
            # a mistake fails here, loudly, and the time shows.
            with builders.timed(report, "foreign keys checked"):
                raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
                raw.execute("SET CONSTRAINTS ALL DEFERRED")
        return counts

    def _report(self, counts, started):
        self.stdout.write("Rows written per table:")
        for table, count in sorted(counts.items()):
            self.stdout.write(f"  {table:<45} {count:>12,}")
        self.stdout.write(f"  {'(all)':<45} {sum(counts.values()):>12,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {time.perf_counter() - started:.1f} s. Logins: {accounts.MENTOR}, "
                f"{accounts.PREPARER}, {accounts.APPROVER}, {accounts.REGIONAL_STAFF}, "
                f"{accounts.NATIONAL_STAFF}, {accounts.ADMINISTRATOR} (password "
                f"{accounts.PASSWORD!r})."
            )
        )

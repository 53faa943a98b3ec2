"""`manage.py bench`: every role's main pages on the 100k and the 1M database, and two pages
under gunicorn (PostgreSQL only).

It is a measurement, not a test: it prints PASS or OVER against the targets and exits 0
either way. What is measured and how: skola_kopiena/scale/bench.py.
"""

import logging
import math
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from skola_kopiena.backups import postgres
from skola_kopiena.scale import bench
from skola_kopiena.scale.bench import ACTORS, PAGES, Actor, Page, Result

DATABASES = {"100k": ("skola_scale_100k", 100_000), "1M": ("skola_scale_1m", 1_000_000)}


class Command(BaseCommand):
    help = (
        "Time every role's main pages on the two seeded databases (seed_scale --entries "
        "100000 and 1000000) on the server of DATABASE_URL, and two pages under gunicorn on "
        "the larger one. Prints PASS or OVER against the targets; exits 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("--db-100k", default=DATABASES["100k"][0], help="Default: %(default)s.")
        parser.add_argument("--db-1m", default=DATABASES["1M"][0], help="Default: %(default)s.")
        parser.add_argument(
            "--database",
            choices=["both", "100k", "1m"],
            default="both",
            help="Measure one of the two only (no 1M/100k ratio then). Default: both.",
        )
        parser.add_argument(
            "--requests", type=int, default=20, help="Timed requests per page; default: 20."
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=bench.WARMUP,
            help=f"Untimed requests first; default: {bench.WARMUP}.",
        )
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="TEXT",
            help='Only the pages whose "role page" or path holds TEXT (case-insensitive; may '
            "repeat). Skips the gunicorn load test.",
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="Print EXPLAIN (ANALYZE, BUFFERS) of each page's slowest SELECT.",
        )
        parser.add_argument(
            "--seed",
            action="store_true",
            help="Make a missing or empty database first with seed_scale (takes long for 1M).",
        )
        parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn load test.")
        parser.add_argument("--load-seconds", type=float, default=15, help="Per page; default: 15.")
        parser.add_argument(
            "--load-users", type=int, default=10, help="Concurrent users; default: 10."
        )
        parser.add_argument(
            "--account",
            action="append",
            default=[],
            metavar="ROLE=EMAIL",
            help=f"Act as another account, e.g. in a demo database: ROLE is one of "
            f"{', '.join(ACTORS)}.",
        )

    def handle(self, *args, **options):
        if options["requests"] < 1 or options["warmup"] < 0:
            raise CommandError("--requests must be positive and --warmup not negative.")
        actors = self.actors(options["account"])
        databases = {
            label: name
            for label, name in [("100k", options["db_100k"]), ("1M", options["db_1m"])]
            if options["database"] in ("both", label.lower())
        }
        self.check_databases(databases, actors, seed=options["seed"])
        # The row of every admin list is kept until it is expanded: one of them may match.
        pages = [
            page
            for page in PAGES
            if page.path == bench.EVERY_LIST or selected(page, options["only"])
        ]

        original_name = connection.settings_dict["NAME"]
        loads = []
        # WeasyPrint logs every step of every render at INFO: hundreds of lines among the
        # figures. (The logging costs microseconds against a render's hundreds of ms.)
        progress = logging.getLogger("weasyprint.progress")
        progress_level = progress.level
        progress.setLevel(logging.WARNING)
        try:
            self.header(databases, options)
            results = self.measure(databases, pages, actors, options)
            # The plans first: the table, last, stays on the screen.
            if options["explain"]:
                self.explain_section(results)
            self.table(results, databases, options["requests"])
            if options["no_load"] or options["only"]:
                self.stdout.write("\nThe gunicorn load test is skipped (--no-load or --only).")
            else:
                label, name = list(databases.items())[-1]
                use_database(name)
                loads = self.load(label, name, actors, options)
        finally:
            use_database(original_name)
            progress.setLevel(progress_level)
        if loads:
            self.load_table(loads)

    # --- Setting up -------------------------------------------------------------------------

    def actors(self, overrides):
        actors = dict(ACTORS)
        for override in overrides:
            key, _, email = override.partition("=")
            if key not in actors or not email:
                raise CommandError(
                    f"--account {override}: give ROLE=EMAIL, ROLE one of {', '.join(ACTORS)}."
                )
            actors[key] = Actor(key, actors[key].label, email, actors[key].role)
        return actors

    def check_databases(self, databases, actors, *, seed):
        """Each database exists and holds the mentor's account; else say how to make it, or
        make it with --seed."""
        if connection.vendor != "postgresql":
            raise CommandError(
                f"The page benchmark needs PostgreSQL; this is {connection.vendor}. Run it with "
                "DATABASE_URL=postgres://USER@HOST:5432/postgres: the databases it measures are "
                "on that server."
            )
        server = postgres.Database.from_settings(connection.settings_dict)
        missing = {}
        for label, name in databases.items():
            state = seeded(server.named(name), actors["mentor"].email)
            if state:
                missing[label] = (name, state)
        if not missing:
            return
        entries = {label: DATABASES[label][1] for label in missing}
        if seed:
            for label, (name, _state) in missing.items():
                self.seed(server.named(name), entries[label])
            return
        lines = ["The benchmark measures seeded databases, and these are not ready:"]
        host, port = server.params.get("host", "127.0.0.1"), server.params.get("port", "5432")
        user = server.params.get("user", "postgres")
        for label, (name, state) in missing.items():
            url = redact(bench.database_url(connection.settings_dict, name))
            lines.append(f"  {name}: {state}. Make it with (1M takes long):")
            if state == MISSING:
                lines.append(f"    createdb -h {host} -p {port} -U {user} {name}")
            lines.append(
                f"    DATABASE_URL={url} .venv/bin/python manage.py seed_scale "
                f"--entries {entries[label]}"
            )
        lines.append("or run `manage.py bench --seed`, which does the same.")
        raise CommandError("\n".join(lines))

    def seed(self, database, entries):
        """createdb if need be, then seed_scale (which migrates first) in a child process whose
        DATABASE_URL names the database: seed_scale fills the database DATABASE_URL names."""
        if not database.exists():
            self.stdout.write(f"Creating the {database}…")
            postgres.create(database)
        env = {
            **os.environ,
            "DATABASE_URL": bench.database_url(connection.settings_dict, database.name),
        }
        self.stdout.write(f"{database.name}: manage.py seed_scale --entries {entries}…")
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", "seed_scale", "--entries", str(entries)],
            env=env,
            check=True,
        )
        self.stdout.write(f"  seeded in {time.perf_counter() - started:.0f} s.")

    def header(self, databases, options):
        self.stdout.write("Page benchmark (manage.py bench)")
        for key, value in bench.machine().items():
            self.stdout.write(f"  {key + ':':<12}{value}")
        self.stdout.write(
            f"  {'requests:':<12}{options['warmup']} untimed, then {options['requests']} timed "
            "per page, one at a time, in this process (Django's test client, DEBUG off, staff "
            "MFA on, gzip as for a browser)"
        )
        self.stdout.write(
            f"  {'targets:':<12}p95 ≤ {bench.MAX_P95[bench.PORTAL] * 1000:.0f} ms (portal), "
            f"≤ {bench.MAX_P95[bench.ADMIN] * 1000:.0f} ms (admin), "
            f"≤ {bench.MAX_P95[bench.REPORT] * 1000:.0f} ms (overview); ≤ {bench.MAX_QUERIES} "
            f"queries; median 1M/100k ≤ {bench.MAX_RATIO}; PDF view/raw WeasyPrint ≤ "
            f"{bench.MAX_PDF_OVERHEAD}"
        )
        for label, name in databases.items():
            use_database(name)
            self.stdout.write(f"  {label + ':':<12}{name}: {bench.database_figures()}")

    # --- Measuring --------------------------------------------------------------------------

    def measure(self, databases, pages, actors, options):
        """Every page on both databases, in rounds in which the databases take turns
        (bench.ROUNDS): measured one database after the other, a redirect that reads nothing
        came out twice as slow on the second, because of other work on the machine."""
        runs = [Run(label, name) for label, name in databases.items()]
        rows = {}  # (role, page) -> page, in the table's order; the admin lists expanded
        with bench.in_process_settings():
            for run in runs:
                use_database(run.name)
                run.users, run.problems = bench.find_users(actors)
                expanded, not_viewable = bench.expand(pages, run.users)
                for page in expanded:
                    rows.setdefault((page.actor, page.name), page)
                run.ids = bench.resolve_ids(run.users, actors)
                if not_viewable and not options["only"]:
                    self.stdout.write(
                        f"  {run.label}: admin lists national staff may not view, not "
                        f"measured: {', '.join(not_viewable)}"
                    )
            rows = [page for page in rows.values() if selected(page, options["only"])]
            if not rows:
                self.stdout.write(f"No page matches --only {' '.join(options['only'])}.")
            self.stdout.write(
                f"\nMeasuring {len(rows)} pages on {' and '.join(r.label for r in runs)}…"
            )
            for page in rows:
                firsts = self.measure_row(runs, page, actors, options)
                if page.next_page and any(
                    first.ok and bench.links_next_page(first.last_response) for first in firsts
                ):
                    second = Page(page.actor, f"{page.name}, page 2", f"{page.path}?page=2")
                    self.measure_row(runs, second, actors, options)
            for run in runs:
                use_database(run.name)
                for client in run.clients.values():
                    client.logout()  # its session row, not left in the seeded database
        return {run.label: run.results for run in runs}

    def measure_row(self, runs, page, actors, options):
        """One page on every database, the databases taking turns round by round."""
        results = [self.start(run, page, actors) for run in runs]
        for number, requests in enumerate(bench.rounds(options["requests"])):
            # The first round warms the page up; a later one only the new connection.
            warmup = options["warmup"] if number == 0 else 1
            for run, result in zip(runs, results, strict=True):
                if result.skipped or result.error:
                    continue
                use_database(run.name)
                client = run.clients[page.actor]
                bench.measure(client, result, requests=requests, warmup=warmup)
                if page.kind == bench.PDF and not result.error:
                    if result.render is None:
                        result.render = bench.capture_pdf_render(client, result.path)
                    if result.render is None:
                        result.error = "no weasyprint.HTML call seen: no raw render to compare"
                        continue
                    bench.measure_render(result.render, result, requests=requests, warmup=warmup)
        for run, result in zip(runs, results, strict=True):
            if result.ok and options["explain"] and result.slowest:
                use_database(run.name)
                result.explain = bench.explain(result.slowest)
            result.render = None
            if not page.next_page:
                result.last_response = None  # only a list's page 1 is read again (page 2)
        self.progress(page, results)
        return results

    def start(self, run, page, actors):
        """The page's result on `run`'s database, with its path, or why it is skipped."""
        result = Result(page, run.label)
        run.results.append(result)
        if page.actor in run.problems:
            result.skipped = run.problems[page.actor]
            return result
        try:
            result.path = page.path.format(**run.ids)
        except KeyError as missing:
            result.skipped = f"no {missing.args[0]} in this database"
            return result
        if page.actor not in run.clients:
            use_database(run.name)
            run.clients[page.actor] = bench.browser_client(
                run.users[page.actor], actors[page.actor].role
            )
        return result

    def progress(self, page, results):
        """One line per page as it is measured: the run is long."""
        line = f"  {ACTORS[page.actor].label + ' · ' + page.name:<50}"
        for result in results:
            if result.skipped:
                line += f" │ {result.database} skipped: {result.skipped}"
            elif result.error:
                line += f" │ {result.database} {self.style.ERROR('ERROR')} {result.error}"
            else:
                raw = f" (raw PDF {ms(result.raw_median).strip()})" if result.raw_seconds else ""
                line += (
                    f" │ {result.database} {result.queries:>3} q {ms(result.median)} "
                    f"{ms(result.p95)} ms{raw}"
                )
        self.stdout.write(line)

    # --- The table ----------------------------------------------------------------------------

    def table(self, results, databases, requests):
        labels = list(databases)
        by_key = {}
        for label in labels:
            for result in results[label]:
                by_key.setdefault((result.page.actor, result.page.name), {})[label] = result
        both = len(labels) == 2

        self.stdout.write("")
        top = f"{'':<15} {'':<34}"
        head = f"{'role':<15} {'page':<34}"
        for label in labels:
            top += f" │ {label:^21}"
            head += f" │ {'q':>3} {'median':>8} {'p95':>8}"
        top += f" │ {'':>7} │" if both else " │"
        head += f" │ {'1M/100k':>7} │ verdict" if both else " │ verdict"
        self.stdout.write(top + " times in ms")
        self.stdout.write(head)
        rule = "─" * (len(head) + 12)
        self.stdout.write(rule)
        counts = {"PASS": 0, "OVER": 0, "ERROR": 0}
        for (actor, name), row in by_key.items():
            line = f"{ACTORS[actor].label:<15} {name[:34]:<34}"
            for label in labels:
                result = row.get(label)
                if result is None or not result.ok:
                    line += f" │ {'—':>3} {'—':>8} {'—':>8}"
                else:
                    line += f" │ {result.queries:>3} {ms(result.median)} {ms(result.p95)}"
            ratio = None
            if both and all(row.get(label) and row[label].ok for label in labels):
                ratio = row["1M"].median / row["100k"].median
            if both:
                line += f" │ {ratio:>7.2f}" if ratio is not None else f" │ {'—':>7}"
            verdict, kind = self.verdict(row, labels, ratio)
            counts[kind] += 1
            self.stdout.write(f"{line} │ {verdict}")
            pdf = [row[label] for label in labels if row.get(label) and row[label].raw_seconds]
            if pdf:
                self.stdout.write(self.pdf_line(row, labels))
        self.stdout.write(rule)
        self.stdout.write(
            f"{counts['PASS']} pages pass, {counts['OVER']} over a target, {counts['ERROR']} "
            "could not be measured. q: queries of a request (the most of the timed ones); p95: "
            f"the time at rank {math.ceil(0.95 * requests)} of {requests}, fastest first."
        )

    def verdict(self, row, labels, ratio):
        problems = [
            f"{label}: {result.error or result.skipped}"
            for label in labels
            if (result := row.get(label)) is not None and not result.ok
        ]
        if problems:
            return self.style.ERROR("ERROR ") + "; ".join(problems), "ERROR"
        over = []
        for label in labels:
            result = row[label]
            limit = bench.MAX_P95[result.page.kind]
            if limit is not None and result.p95 > limit:
                over.append(f"p95 {label}")
            if result.queries > bench.MAX_QUERIES:
                over.append(f"queries {label}")
            if result.raw_seconds and result.median / result.raw_median > bench.MAX_PDF_OVERHEAD:
                over.append(f"view/raw {label}")
        if ratio is not None and ratio > bench.MAX_RATIO:
            over.append("ratio")
        if over:
            return self.style.ERROR("OVER ") + ", ".join(over), "OVER"
        return self.style.SUCCESS("PASS"), "PASS"

    def pdf_line(self, row, labels):
        line = f"{'':<15} {'  raw WeasyPrint render':<34}"
        overheads = []
        for label in labels:
            result = row.get(label)
            if result is None or not result.raw_seconds:
                line += f" │ {'':>3} {'—':>8} {'—':>8}"
                continue
            raw = result.raw_seconds
            line += f" │ {'':>3} {ms(result.raw_median)} {ms(bench.percentile(raw, 95))}"
            overheads.append(f"{label} {result.median / result.raw_median:.2f}")
        if len(labels) == 2:
            line += f" │ {'':>7}"
        return f"{line} │ view/raw: {', '.join(overheads)} (≤ {bench.MAX_PDF_OVERHEAD})"

    def explain_section(self, results):
        self.stdout.write("\nThe slowest SELECT of each page, EXPLAIN (ANALYZE, BUFFERS):")
        for label, rows in results.items():
            for result in rows:
                if not result.explain:
                    continue
                seconds, sql, _params = result.slowest
                actor = ACTORS[result.page.actor].label
                self.stdout.write(
                    f"\n== {label} · {actor} · {result.page.name} ({result.path}): "
                    f"the slowest SELECT of the timed requests took {seconds * 1000:.1f} ms"
                )
                self.stdout.write(f"   {sql[:400]}{'…' if len(sql) > 400 else ''}")
                self.stdout.write("   summary: " + " | ".join(bench.plan_summary(result.explain)))
                for line in result.explain:
                    self.stdout.write(f"   {line}")

    # --- Under gunicorn -----------------------------------------------------------------------

    def load(self, label, name, actors, options):
        """The mentor's month page and the approver's queue under `gunicorn -w 2`, with
        production settings, on the larger database."""
        with bench.in_process_settings():
            users, problems = bench.find_users(actors)
            ids = bench.resolve_ids(users, actors)
        targets = [
            (page, target)
            for page in PAGES
            if (target := bench.LOAD_TARGETS.get((page.actor, page.name))) is not None
        ]
        secret_key = secrets.token_urlsafe(50)
        env = bench.production_env(name, secret_key)
        server = bench.Gunicorn(env)
        self.stdout.write(
            f"\nUnder gunicorn (-w {server.workers}, production settings, {label} database "
            f"{name}): {options['load_users']} users at once for {options['load_seconds']:.0f} s "
            f"per page, after {WARM_SECONDS} s untimed…"
        )
        loads, sessions = [], []
        try:
            started = time.perf_counter()
            server.collectstatic()
            server.start()
            self.stdout.write(
                f"  collectstatic and gunicorn up in {time.perf_counter() - started:.0f} s, "
                f"on 127.0.0.1:{server.port}."
            )
            for page, target in targets:
                actor = page.actor
                result = bench.LoadResult(f"{ACTORS[actor].label} · {page.name}", "", target)
                loads.append(result)
                if actor in problems:
                    result.first_error = problems[actor]
                    continue
                try:
                    result.path = page.path.format(**ids)
                except KeyError as missing:
                    result.first_error = f"no {missing.args[0]} in this database"
                    continue
                keys = bench.make_sessions(
                    users[actor], actors[actor].role, options["load_users"], secret_key
                )
                sessions += keys
                bench.drive(server.port, result.path, keys, WARM_SECONDS)
                bench.drive(server.port, result.path, keys, options["load_seconds"], result)
        except (RuntimeError, subprocess.CalledProcessError) as error:
            self.stdout.write(self.style.ERROR(f"  The load test failed: {error}"))
        finally:
            server.stop()
            bench.delete_sessions(sessions)
        return loads

    def load_table(self, loads):
        self.stdout.write("")
        self.stdout.write(
            f"{'page':<28} {'req/s':>7} {'target':>7} {'p50':>7} {'p95':>7} {'errors':>7}  verdict"
        )
        for result in loads:
            if not result.latencies and not result.errors:
                failure = result.first_error or "not run"
                self.stdout.write(f"{result.label:<28} {self.style.ERROR('ERROR')} {failure}")
                continue
            p50 = bench.percentile(result.latencies, 50) if result.latencies else None
            p95 = bench.percentile(result.latencies, 95) if result.latencies else None
            passed = (
                result.rate >= result.target
                and p95 is not None
                and p95 < bench.LOAD_MAX_P95
                and not result.errors
            )
            verdict = self.style.SUCCESS("PASS") if passed else self.style.ERROR("OVER")
            error = f"  first error: {result.first_error}" if result.errors else ""
            self.stdout.write(
                f"{result.label:<28} {result.rate:>7.1f} {'≥ ' + str(result.target):>7} "
                f"{ms(p50)} {ms(p95)} {result.errors:>7}  {verdict}{error}"
            )
        self.stdout.write(
            f"Targets: p95 < {bench.LOAD_MAX_P95 * 1000:.0f} ms, no errors. The client (Python "
            f"threads, keep-alive connections) runs on this machine and shares its "
            f"{os.cpu_count()} cores with gunicorn and PostgreSQL."
        )


WARM_SECONDS = 3  # gunicorn's workers load templates and catalogues on their first requests


@dataclass
class Run:
    """One database measured: its accounts, the ids its pages are about, the logged-in test
    clients (their sessions live in that database) and the results."""

    label: str
    name: str
    users: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    results: list = field(default_factory=list)


def selected(page, only):
    """Whether --only selects the page: by role, page name or path."""
    text = f"{ACTORS[page.actor].label} {page.name} {page.path}".lower()
    return not only or any(part.lower() in text for part in only)


def use_database(name):
    """Point Django's one connection at database `name` of the same server (the next query
    opens it)."""
    connection.close()
    connection.settings_dict["NAME"] = name


MISSING, NOT_MIGRATED, NOT_SEEDED = "missing", "empty (not migrated)", "not seeded"


def seeded(database, mentor_email):
    """None if `database` holds the seeded mentor; else what is wrong with it."""
    if not database.exists():
        return MISSING
    with database.connect() as conn:
        if conn.execute("SELECT to_regclass('accounts_user')").fetchone()[0] is None:
            return NOT_MIGRATED
        found = conn.execute(
            "SELECT 1 FROM accounts_user WHERE lower(email) = lower(%s)", [mentor_email]
        ).fetchone()
    return None if found else NOT_SEEDED


def redact(url):
    """A URL to print: its password, if any, hidden."""
    head, at, tail = url.rpartition("@")
    if at and ":" in head.removeprefix("postgres://"):
        user = head.removeprefix("postgres://").split(":", 1)[0]
        return f"postgres://{user}:PASSWORD@{tail}"
    return url


def ms(seconds):
    return f"{'—':>8}" if seconds is None else f"{seconds * 1000:>8.1f}"

"""`manage.py bench_payroll [--keep] [--repeat N] [--paid-months N]`: how long a nationwide
payroll month takes (PostgreSQL only).

Builds a throw-away database on the server of DATABASE_URL (never touching the database it
names), fills it with one past month of the whole country (800 employers, 2,000 mentors,
20,000 approved meetings) and times what staff wait for:

1. closing every employer's month in one `payroll_close` call (target: 2 s);
2. the largest employer's XLSX (target: 3 s);
3. the national XLSX, for information.

It is a measurement, not a test: it prints PASS or OVER for each target and exits 0 either
way. The rows are made with `bulk_create`, not through the services, which would take hours
for this volume; they keep every database constraint (hours 1..20 per meeting, at most 20 per
plan-month, no overlapping meetings of one mentor, a rate in force).
"""

import datetime
import platform
import time
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone, translation

from diary.models import DiaryEntry, DiaryMonth, next_month_start
from iap.models import MAX_MONTHLY_HOURS, Learner, Plan
from mentors.models import MAX_LEARNERS_PER_SEMESTER, Contract, Mentor
from payroll.exports import export_sheets
from payroll.models import PayrollExport, PayrollLine, PayrollRun, Rate
from payroll.selectors import previous_month
from payroll.services import payroll_close
from skola_kopiena.accounts.models import User
from skola_kopiena.backups import postgres
from skola_kopiena.exports import to_xlsx
from skola_kopiena.schools.models import Institution, Municipality, Semester

SCRATCH_DATABASE = "skola_bench"
TARGETS = {"close": 2.0, "largest_xlsx": 3.0}  # seconds

MEETINGS_PER_PLAN = 4  # about weekly, as plans ask for (IAP-3)
# Start times a mentor meets learners at: a meeting of up to 3 academic hours (120 minutes)
# ends before the next slot, so one mentor's meetings never overlap (CAP-3).
SLOTS = [datetime.time(13, 0), datetime.time(15, 15), datetime.time(17, 30)]
ACADEMIC_HOUR = datetime.timedelta(minutes=40)  # DIA-4

# Latvian names, so that sorting by the Latvian collation has diacritics to deal with.
FIRST_NAMES = [
    "Anna", "Jānis", "Līga", "Mārtiņš", "Ilze", "Edgars", "Dace", "Ēriks", "Zane", "Kristaps",
    "Sanita", "Ģirts", "Inese", "Artūrs", "Laura", "Oskars", "Evija", "Valdis", "Šarlote",
    "Žanis",
]  # fmt: skip
LAST_NAMES = [
    "Bērziņa", "Ozols", "Kalniņa", "Liepiņš", "Ābele", "Čaklais", "Krūmiņa", "Šmits", "Žagare",
    "Eglītis", "Lāce", "Vītols", "Zariņa", "Priede", "Ķemere", "Grants", "Ņikiforova",
    "Pētersons", "Jansone", "Kļaviņš", "Ozoliņa", "Rozenbergs", "Āboliņš", "Dzenis", "Šteins",
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Time closing a nationwide payroll month and writing its XLSX files, in a scratch "
        f'PostgreSQL database "{SCRATCH_DATABASE}" on the server of DATABASE_URL (dropped '
        "and made again on every run). Prints PASS or OVER against the targets; exits 0."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep",
            action="store_true",
            help=f'Keep the scratch database "{SCRATCH_DATABASE}" afterwards for inspection '
            "(the next run drops it anyway).",
        )
        parser.add_argument("--employers", type=int, default=800, help="Default: 800.")
        parser.add_argument("--mentors", type=int, default=2000, help="Default: 2,000.")
        parser.add_argument(
            "--meetings", type=int, default=20_000, help="In the month; default: 20,000."
        )
        parser.add_argument(
            "--paid-months",
            type=int,
            default=0,
            help="First close the N months before it, approved alike, as later in the project: "
            "closing reads every month ever approved (default: 0).",
        )
        parser.add_argument(
            "--repeat",
            type=int,
            default=1,
            help="Measure each step N times and keep the fastest, on a busy machine; the close "
            "is undone between times (default: 1).",
        )

    def handle(self, *args, keep, employers, mentors, meetings, paid_months, repeat, **options):
        started = time.perf_counter()
        shape = Shape(
            employers=employers,
            mentors=mentors,
            meetings=meetings,
            paid_months=paid_months,
            repeat=repeat,
        )
        shape.check()
        scratch = scratch_database()
        original_name = connection.settings_dict["NAME"]
        self.stdout.write(f"Making the scratch {scratch}…")
        recreate(scratch)
        try:
            # Django's one connection now points at the scratch database, for the rest of
            # this process; `finally` points it back before dropping the scratch one.
            connection.close()
            connection.settings_dict["NAME"] = scratch.name
            call_command("migrate", verbosity=0, interactive=False)
            self.bench(shape)
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original_name
            if keep:
                self.stdout.write(
                    f"Kept the scratch {scratch}: point DATABASE_URL at it to look inside."
                )
            else:
                postgres.drop(scratch)
                self.stdout.write(f"Dropped the scratch {scratch}.")
        self.stdout.write(f"The whole command took {time.perf_counter() - started:.1f} s.")

    def bench(self, shape):
        month = previous_month()
        building = time.perf_counter()
        with transaction.atomic():
            actor = build_month(shape, month)
        analyze()
        self.stdout.write(
            f"Built {month:%m.%Y}: {shape.employers:,} employers, {shape.mentors:,} mentors "
            f"with a contract each, {shape.plans:,} plans approved for the month, "
            f"{DiaryEntry.objects.count():,} meetings "
            f"({time.perf_counter() - building:.1f} s)."
        )
        if shape.paid_months:
            times = pay_earlier_months(month, shape.paid_months, actor)
            analyze()
            self.stdout.write(
                f"Closed the {shape.paid_months} months before it, oldest first: payroll_close "
                f"took {', '.join(f'{t:.2f}' for t in times)} s."
            )
        self.stdout.write(server_settings())

        employers = list(Institution.objects.order_by("pk"))
        results = []
        # Latvian, as the portal and its Celery worker run: the catalogue is loaded here,
        # outside the timings.
        with translation.override(settings.LANGUAGE_CODE):
            m, closings = best_of(
                shape.repeat,
                "close all employers' runs (payroll_close)",
                TARGETS["close"],
                lambda: payroll_close(actor=actor, employers=employers, month=month),
                undo=lambda: undo_close(month),
            )
            results.append(m)

            largest = (
                PayrollLine.objects.filter(run__month=month)
                .values("run_id", "run__employer_id")
                .annotate(lines=Count("pk"))
                .order_by("-lines", "run_id")
                .first()
            )
            # The sheets as the export task makes them (employer joined, Latvian order).
            largest_export = PayrollExport(month=month, employer_id=largest["run__employer_id"])
            m, data = best_of(
                shape.repeat,
                f"largest employer's XLSX ({largest['lines']:,} lines)",
                TARGETS["largest_xlsx"],
                lambda: to_xlsx(export_sheets(largest_export)),
            )
            m.size = len(data)
            results.append(m)

            national = PayrollExport(month=month)
            m, data = best_of(
                shape.repeat,
                "national XLSX (every run), for information",
                None,
                lambda: to_xlsx(export_sheets(national)),
            )
            m.size = len(data)
            results.append(m)

        self.report(results, closings, month, shape.repeat)

    def report(self, results, closings, month, repeat):
        self.stdout.write("")
        self.stdout.write(
            f"{f'best of {repeat} runs' if repeat > 1 else '':<48} {'time':>8} {'target':>8}  "
            f"{'':<4}  {'queries':>7} {'in SQL':>8}"
        )
        for m in results:
            target = f"{m.target:.1f} s" if m.target else "—"
            verdict = ""
            if m.target:
                passed = m.seconds <= m.target
                verdict = (self.style.SUCCESS if passed else self.style.ERROR)(
                    "PASS" if passed else "OVER"
                )
            size = f"  {m.size / 1_000_000:.2f} MB" if m.size else ""
            self.stdout.write(
                f"{m.label:<48} {m.seconds:>6.2f} s {target:>8}  {verdict:<4}  "
                f"{m.queries:>7} {m.sql_seconds:>6.2f} s{size}"
            )
        runs = PayrollRun.objects.filter(month=month)
        closed_now = sum(1 for closing in closings if closing.closed_now)
        self.stdout.write("")
        self.stdout.write(
            f"Rows: {runs.count():,} runs ({closed_now:,} closed now), "
            f"{PayrollLine.objects.filter(run__month=month).count():,} lines, "
            f"{sum(run.hours for run in runs):,} hours. "
            "'in SQL': time inside cursor.execute (the rest is Python)."
        )


@dataclass
class Shape:
    """How big the benchmark month is."""

    employers: int
    mentors: int
    meetings: int
    paid_months: int = 0
    repeat: int = 1

    @property
    def plans(self):
        return self.meetings // MEETINGS_PER_PLAN

    def check(self):
        if min(self.employers, self.mentors, self.meetings, self.repeat) < 1:
            raise CommandError("--employers, --mentors, --meetings and --repeat must be positive.")
        if self.paid_months < 0:
            raise CommandError("--paid-months cannot be negative.")
        if self.mentors < self.employers:
            raise CommandError("Every employer needs a mentor: give at least as many mentors.")
        if self.plans < self.mentors:
            raise CommandError(
                f"Every mentor needs a plan: give at least {self.mentors * MEETINGS_PER_PLAN} "
                "meetings."
            )
        if -(-self.plans // self.mentors) > MAX_LEARNERS_PER_SEMESTER:
            raise CommandError(
                f"A mentor has at most {MAX_LEARNERS_PER_SEMESTER} learners (CAP-1): give more "
                "mentors or fewer meetings."
            )


@dataclass
class Measurement:
    label: str
    target: float | None = None
    seconds: float = 0.0
    queries: int = 0
    sql_seconds: float = 0.0
    size: int = 0


@contextmanager
def measured(label, target=None):
    """Time the block with time.perf_counter, and count its queries and the time spent inside
    cursor.execute, which tells the database's share from Python's. DEBUG is off inside, as
    in production: the debug cursor would log every statement."""
    measurement = Measurement(label, target)

    def timed_execute(execute, sql_text, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            measurement.queries += 1
            measurement.sql_seconds += time.perf_counter() - start

    with override_settings(DEBUG=False), connection.execute_wrapper(timed_execute):
        start = time.perf_counter()
        yield measurement
        measurement.seconds = time.perf_counter() - start


def best_of(repeat, label, target, action, undo=None):
    """Run `action` `repeat` times and keep the fastest measurement: a busy machine only ever
    adds time. `undo()` runs between times (the action as in production, with its own
    transaction and commit). Returns the fastest measurement and the last result."""
    best = result = None
    for attempt in range(1, repeat + 1):
        if attempt > 1 and undo:
            undo()
        with measured(label, target) as measurement:
            result = action()
        if best is None or measurement.seconds < best.seconds:
            best = measurement
    return best, result


def undo_close(month):
    """Delete the month's runs and lines, and vacuum away the dead rows, which would slow the
    next close: the month is as it was before it was closed."""
    with connection.cursor() as cursor:
        runs = "SELECT id FROM payroll_payrollrun WHERE month = %s"
        for table, column in [
            ("payroll_historicalpayrollline", "run_id"),
            ("payroll_payrollline", "run_id"),
            ("payroll_historicalpayrollrun", "id"),
            ("payroll_payrollrun", "id"),
        ]:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({runs})", [month])  # noqa: S608
        cursor.execute(
            "VACUUM ANALYZE payroll_payrollrun, payroll_historicalpayrollrun, "
            "payroll_payrollline, payroll_historicalpayrollline"
        )


# --- The scratch database ------------------------------------------------------------------


def scratch_database():
    """The scratch database on the server DATABASE_URL names (refused on SQLite)."""
    if connection.vendor != "postgresql":
        raise CommandError(
            f"The payroll benchmark needs PostgreSQL (its constraints and collation); this is "
            f"{connection.vendor}. Run it with DATABASE_URL=postgres://USER@HOST:5432/NAME: it "
            f'works in its own scratch database "{SCRATCH_DATABASE}" on that server.'
        )
    configured = postgres.Database.from_settings(connection.settings_dict)
    if configured.name == SCRATCH_DATABASE:
        raise CommandError(
            f'DATABASE_URL names "{SCRATCH_DATABASE}", the scratch database this command drops: '
            "point it at another database on the same server."
        )
    return configured.named(SCRATCH_DATABASE)


def recreate(database):
    """Drop what an earlier run kept, and make the scratch database afresh."""
    postgres.drop(database)
    postgres.create(database)


def analyze():
    """The planner needs statistics of the fresh tables, as autovacuum would have made by the
    time a real month is closed; without them it plans as if the tables were empty."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def server_settings():
    """The server's version and JIT settings: a costly plan is JIT-compiled first, which can
    take longer than running it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version'), current_setting('jit'), "
            "current_setting('jit_above_cost'), current_setting('jit_optimize_above_cost')"
        )
        version, jit, above, optimize = cursor.fetchone()
    return (
        f"PostgreSQL {version}, jit {jit} (compiles plans costing over {above}, optimises over "
        f"{optimize}); Python {platform.python_version()}."
    )


# --- The month -------------------------------------------------------------------------------


def build_month(shape, month):
    """One past month of the whole country, approved and not yet paid. Returns the staff user
    who closes it."""
    staff = User.objects.create(email="bench-staff@example.lv", first_name="Staff")
    approver = User.objects.create(email="bench-approver@example.lv", first_name="Approver")
    last_day = next_month_start(month) - datetime.timedelta(days=1)
    # PAY-2: a rate in force on the month's first day, with its parts (the export shows them).
    Rate.objects.create(
        valid_from=month.replace(month=1),
        amount=Decimal("14.20"),
        salary=Decimal("10.70"),
        holiday_pay=Decimal("0.93"),
        social_contributions=Decimal("2.57"),
        legal_basis="Benchmark rate",
    )
    semester = (
        Semester.objects.filter(start_date__lte=last_day)
        .select_related("school_year")
        .order_by("-start_date")
        .first()
    )
    if semester is None:
        raise CommandError(f"No semester of the reference data starts by {last_day}.")
    # A month after the semester (the summer) is mentored under extended plans (CAL-4).
    extended_until = last_day if last_day > semester.end_date else None
    days = [
        day
        for day in (month + datetime.timedelta(days=n) for n in range(last_day.day))
        if day.weekday() < 5 and semester.start_date <= day <= (extended_until or semester.end_date)
    ]
    most_meetings = -(-shape.plans // shape.mentors) * (MEETINGS_PER_PLAN + 1)
    if most_meetings > len(days) * len(SLOTS):
        raise CommandError(f"{month:%m.%Y} has too few school days for {shape.meetings} meetings.")

    employers = _employers(shape)
    mentors, contracts = _mentors_with_contracts(shape, employers, semester, staff)
    zone = timezone.get_current_timezone()
    decided_at = datetime.datetime.combine(next_month_start(month), SLOTS[0], tzinfo=zone)

    # Plans are dealt out to mentors in turn (2 or 3 each by default), so each mentor's plans
    # are spread over the learners of their employer.
    owner = [k % shape.mentors for k in range(shape.plans)]
    # What does not divide evenly is one more meeting for the first plans.
    extra = shape.meetings - MEETINGS_PER_PLAN * shape.plans
    meetings_of = [MEETINGS_PER_PLAN + (1 if k < extra else 0) for k in range(shape.plans)]
    hours_per_meeting = [1 + k % 3 for k in range(shape.plans)]  # 40, 80 or 120 minutes
    learners = Learner.objects.bulk_create(
        [
            Learner(
                institution_id=contracts[owner[k]].employer_id,
                first_name=FIRST_NAMES[k % len(FIRST_NAMES)],
                last_name=LAST_NAMES[k // len(FIRST_NAMES) % len(LAST_NAMES)],
                # Unique with the name: the names repeat every 500 learners, the days every 1,825.
                birth_date=datetime.date(2008, 9, 1) + datetime.timedelta(days=k % 1825),
                education=Learner.Education.GENERAL,
                grade=7 + k % 3,
                created_by=staff,
            )
            for k in range(shape.plans)
        ],
        batch_size=2000,
    )
    plans = Plan.objects.bulk_create(
        [
            Plan(
                learner=learner,
                institution_id=learner.institution_id,
                semester=semester,
                status=Plan.Status.APPROVED,
                start_date=semester.start_date,
                end_date=semester.end_date,
                extended_until=extended_until,
                module=Plan.Module.SOCIAL_EXCLUSION,
                monthly_hours=min(meetings_of[k] * hours_per_meeting[k], MAX_MONTHLY_HOURS),
                mentor=mentors[owner[k]],
                contract=contracts[owner[k]],
                submitted_at=decided_at,
                decided_by=approver,
                decided_at=decided_at,
                created_by=staff,
            )
            for k, learner in enumerate(learners)
        ],
        batch_size=2000,
    )

    entries = []
    plans_of = [[] for _ in mentors]
    for k in range(shape.plans):
        plans_of[owner[k]].append(k)
    for mentor, own in zip(mentors, plans_of, strict=True):
        for k, day, start in _schedule([meetings_of[k] for k in own], days):
            plan_index = own[k]
            starts_at = datetime.datetime.combine(day, start, tzinfo=zone)
            ends_at = starts_at + hours_per_meeting[plan_index] * ACADEMIC_HOUR
            entries.append(
                DiaryEntry(
                    plan=plans[plan_index],
                    mentor=mentor,
                    date=day,
                    start_time=start,
                    end_time=ends_at.time(),
                    starts_at=starts_at,
                    ends_at=ends_at,
                    hours=hours_per_meeting[plan_index],
                    place="Skolas bibliotēka",
                    topic="Nedēļas plāns: mājasdarbi un konsultācijas",
                    result="Sastādījām nedēļas plānu.",
                )
            )
    DiaryEntry.objects.bulk_create(entries, batch_size=2000)
    # DIA-7, APR-1: each plan's month confirmed by its mentor and approved by the employer.
    DiaryMonth.objects.bulk_create(
        [
            DiaryMonth(
                plan=plan,
                month=month,
                status=DiaryMonth.Status.APPROVED,
                hours=meetings_of[k] * hours_per_meeting[k],
                confirmed_at=datetime.datetime.combine(last_day, SLOTS[-1], tzinfo=zone),
                decided_by=approver,
                decided_at=decided_at,
            )
            for k, plan in enumerate(plans)
        ],
        batch_size=2000,
    )
    return staff


def _employers(shape):
    """Schools, vocational schools and youth centres in every municipality the migrations
    load; the first, the biggest employer, is a youth centre in Rīga."""
    municipalities = list(Municipality.objects.order_by("pk"))
    riga = next(m for m in municipalities if m.name == "Rīga")
    employers = []
    for i in range(shape.employers):
        municipality = riga if i == 0 else municipalities[i % len(municipalities)]
        if i % 10 == 0:
            kind, name = Institution.Kind.YOUTH_CENTRE, f"Jauniešu centrs Nr. {i + 1}"
        elif i % 10 < 3:
            kind, name = Institution.Kind.VOCATIONAL, f"Tehnikums Nr. {i + 1}"
        else:
            kind, name = Institution.Kind.GENERAL, f"{i + 1}. vidusskola"
        employers.append(
            Institution(
                name=f"{name} ({municipality.name})",
                kind=kind,
                municipality=municipality,
                registration_number=f"90000{i:06d}",
            )
        )
    return Institution.objects.bulk_create(employers)


def _mentors_with_contracts(shape, employers, semester, staff):
    """Mentors, each with a whole-year contract with one employer. Every employer has one;
    the rest are shared out in proportion to 1/rank, as employers' sizes go (a few big ones,
    many small ones)."""
    spare = shape.mentors - shape.employers
    weights = [1 / rank for rank in range(1, shape.employers + 1)]
    counts = [1 + int(spare * weight / sum(weights)) for weight in weights]
    for i in range(shape.mentors - sum(counts)):
        counts[i % shape.employers] += 1
    employer_of = [
        employer for employer, count in zip(employers, counts, strict=True) for _ in range(count)
    ]
    mentors = Mentor.objects.bulk_create(
        [
            Mentor(
                first_name=FIRST_NAMES[j % len(FIRST_NAMES)],
                last_name=LAST_NAMES[j // len(FIRST_NAMES) % len(LAST_NAMES)],
                email=f"mentors{j}@bench.example.lv",
                phone="+371 2000 0000",
                certificate_number=f"SK-B{j:05d}",
                region_id=employer_of[j].municipality.region_id,
            )
            for j in range(shape.mentors)
        ],
        batch_size=2000,
    )
    contracts = Contract.objects.bulk_create(
        [
            Contract(
                mentor=mentor,
                employer=employer_of[j],
                school_year=semester.school_year,
                semester=None,
                # Some contracts have no number: the line is labelled by its date (PAY-6).
                contract_number="" if j % 10 == 0 else f"L-{j + 1}",
                signed_on=semester.start_date - datetime.timedelta(days=5),
                background_check_date=semester.start_date - datetime.timedelta(days=10),
                background_check_by="Direktore",
                signed_file="bench/ligums.pdf",  # no file behind it: pay never opens it
                created_by=staff,
            )
            for j, mentor in enumerate(mentors)
        ],
        batch_size=2000,
    )
    return mentors, contracts


def pay_earlier_months(month, count, actor):
    """Payroll history: the month's approved diary months copied into each of the `count`
    months before it (also before the plans start: pay does not look), each closed by
    `payroll_close` as staff would have, oldest first. They have no meetings: pay reads none.
    Returns how long each close took."""
    employers = list(Institution.objects.all())
    template = list(DiaryMonth.objects.filter(month=month))
    times = []
    for back in range(count, 0, -1):
        earlier = month
        for _ in range(back):
            earlier = (earlier - datetime.timedelta(days=1)).replace(day=1)
        DiaryMonth.objects.bulk_create(
            [
                DiaryMonth(
                    plan_id=record.plan_id,
                    month=earlier,
                    status=record.status,
                    hours=record.hours,
                    confirmed_at=record.confirmed_at,
                    decided_by_id=record.decided_by_id,
                    decided_at=record.decided_at,
                )
                for record in template
            ],
            batch_size=2000,
        )
        start = time.perf_counter()
        payroll_close(actor=actor, employers=employers, month=earlier)
        times.append(time.perf_counter() - start)
    return times


def _schedule(meetings_of, days):
    """(plan index, day, start) of one mentor's meetings: each plan's spread evenly over the
    month's school days, never two at one time (CAP-3: the database refuses overlaps)."""
    taken = set()
    for k, count in enumerate(meetings_of):
        for n in range(count):
            day, slot = (n * len(days)) // count + k, 0
            while (day % len(days), slot) in taken:
                slot += 1
                if slot == len(SLOTS):
                    day, slot = day + 1, 0
            taken.add((day % len(days), slot))
            yield k, days[day % len(days)], SLOTS[slot]

"""The national-scale data of `manage.py seed_scale --entries N`: years of "Skola – kopienā" in
one PostgreSQL database, for measuring how the pages keep up as the data piles up (issue 12).

What it makes
=============
The country is fixed (three times the project's expected size, "lifetime×3"), whatever N is:

- about 800 institutions (``--institutions``) in the 43 real municipalities the migrations
  load, weighted so that Rīga has most: general schools, vocational schools (about 10 %) and
  municipal youth centres (about 7 %, the employers of many mentors); every municipality
  has a general school;
- 2,000 mentors (``--mentors``), each with a user account (role mentor), 1–3 municipalities
  of their region and, per school year they work in, an employer (their school, or a youth
  centre of the learners' municipality, CON-2; a vocational school's learners only by that
  school) and a contract with it: for the school year (85 %) or per semester (CON-3);
- per institution one or two preparers and approvers, per region two project staff, three
  national staff and an administrator, plus the six accounts of
  `skola_kopiena/scale/accounts.py` (password `accounts.PASSWORD`, one hash for every user).
  Staff and the administrator have a TOTP authenticator row (the MFA middleware asks only
  that it exists).

The history is sized by N, the number of diary entries:

- the CURRENT semester (the one under way on `timezone.localdate()`, or the last one begun)
  is always complete up to today, about 5,000 plans of which most are approved, with every
  meeting held so far (entries up to yesterday, never later); its size does not depend on N;
- earlier semesters are added backwards, each complete (about 5,000 plans and 100,000
  entries, ≈20 meetings a plan), until N is spent; the oldest is cut short by taking fewer
  mentors (the project's ramp-up). So N = 100,000 is the current semester and a little of
  the one before; N = 1,000,000 is about ten semesters. The reference data has 2025/2026 and
  2026/2027 only: earlier school years, their semesters and breaks are made up after the
  reference calendar's pattern and marked `SchoolYear.source` = "SINTĒTISKS …". They go
  back before CAL-1 (mentoring from 2026-01-01), which only the services check: the benchmark
  needs the years, and a real calendar of later years will look the same.

Each plan lives a realistic life, decided by dates compared with now: created (at the
semester's start, later for a few, or by a "continue" decision of the learner's plan of the
semester before, IAP-8), the mentor invited (some first decline) and accepting, the contract
attached, submitted, sometimes returned and submitted again, approved (IAP-5); some are
terminated (IAP-7), a few stay drafts for good. Its meetings (1–3 academic hours each, about
1.35 a week, CAP-2: a month never over the plan's monthly hours, at most 20) fall on
Monday–Saturday slots that never overlap for one mentor (CAP-3) and lie within the plan
(DIA, CAL-3). Each month of the plan is confirmed by the mentor at its end (DIA-7, DIA-8:
also with zero hours), with a timesheet scan if it has hours (a stored path, no file), and
approved or returned by the employer's approver around the employer's day (APR-2): the months
of the last weeks are the approvers' queue, a few overdue; the biggest employer's approver is
late more often, so that the APPROVER account has the longest queue. After the plan's last day the
preparer starts the evaluation, the mentor submits it, the preparer records whether mentoring
continues (the next semester's plan then exists) and closes the plan (IAP-9) once every month
is approved. Open months keep `hours` = 0, as the services do until the month is confirmed;
every confirmed, returned or approved month holds the sum of its entries.

Around them: one yearly rate (PAY-2) and, per employer and month, the payroll run its approver
closed a week or so after its approval day, with a line per approved month not yet paid
(later approvals are paid in the next run as corrections, PAY-6); supervision sessions per
region and semester with sign-ups and attendance (SUP-1); the e-mails the portal sent
(invitations, answers, confirmed and returned months, evaluations); and an access log of about
1.5 reads per diary entry (approvers' queue pages, diaries, downloads of scans, staff checks,
printed timesheets, evaluations read) spread over the years.

How it is written
=================
Never through the services, which would take days for this volume: the rows are written
with PostgreSQL's COPY (binary), with ids given here so that two runs with the same options
give the same data (`random.Random` seeded). Every database constraint is in force while
writing (checks, unique and exclusion constraints at once, foreign keys at the end of the
transaction): a mistake here fails the run.

History (simple-history): every tracked table written here also gets one "+" row per row
(institutions, users, roles, mentors, contracts, learners, plans, risks, measures, invitations,
diary entries and months, evaluations, decisions, rates, payroll runs and lines, supervision),
dated when the row was created and by its author, but holding the row's values as they are
now: no "~" rows for the steps on the way (a plan's submission, approval, closing; a month's
confirmation and approval). Not written: the history of the mentors' municipalities (an m2m
table) and of the calendar rows; the access log, e-mails and authenticators keep none.

Not made: InstitutionSemester rows (vocational schools follow the national dates), summer
extensions (CAL-4), staff reopening approved months, change requests and registry imports,
sessions (nobody is logged in).
"""

import datetime
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import FieldDoesNotExist
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from psycopg import sql

from diary.models import DiaryEntry, DiaryMonth, month_start, next_month_start
from evaluation.models import Answer, Decision, Evaluation
from iap.models import Invitation, Learner, Plan, PlanRisk, SupportMeasure, age_on
from mentors.models import MAX_LEARNERS_PER_SEMESTER, Contract, Mentor
from payroll.management.commands.bench_payroll import FIRST_NAMES, LAST_NAMES
from payroll.models import CENT, PayrollLine, PayrollRun, Rate, to_cents
from payroll.selectors import contract_label
from skola_kopiena.accounts.models import AccessLog, Role, RoleMembership, User
from skola_kopiena.notifications.models import SentEmail
from skola_kopiena.schools.models import (
    Institution,
    Municipality,
    SchoolBreak,
    SchoolYear,
    Semester,
)
from supervision.models import SESSION_MINUTES, Session, Signup

from . import accounts

ZONE = ZoneInfo(settings.TIME_ZONE)
DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)
ACADEMIC_HOUR = datetime.timedelta(minutes=40)  # DIA-4
SYNTHETIC = "SINTĒTISKS"
SYNTHETIC_SOURCE = (
    f"{SYNTHETIC} (seed_scale): slodzes testa mācību gads, datumi pēc 2025./2026. gada parauga; "
    "nav normatīvā akta."
)

# --- The shape ----------------------------------------------------------------------------

PLANS_PER_MENTOR = {1: 10, 2: 25, 3: 35, 4: 20, 5: 7, 6: 3}  # weights; CAP-1: at most six
ACTIVE_SHARE = 0.85  # of the mentors have learners in a semester
MEETINGS_PER_WEEK = 1.35  # DIA-11: about one meeting a week or more is recommended
MEETING_HOURS = {1: 10, 2: 50, 3: 40}  # DIA-11: a meeting of 2–3 hours is typical
MONTHLY_HOURS = [8, 10, 12, 12, 14, 16, 16, 20, 20, 20]  # IAP-3, CAP-2: at most 20
CONTINUE_SHARE = 0.4  # of the plans continue a plan of the semester before (IAP-8)
TERMINATED_SHARE = 0.05  # IAP-7
ABANDONED_SHARE = 0.02  # drafts never finished
RETURNED_PLAN_SHARE = 0.08  # IAP-5: returned for corrections once
RETURNED_MONTH_SHARE = 0.04  # APR-3
SEMESTER_CONTRACT_SHARE = 0.15  # CON-3: a contract for one semester instead of the year
# ACC-1: logged reads per diary entry of a confirmed month, and of a month still open (only
# staff read those); about 1.5 per entry over the whole history.
ACCESS_READS_PER_ENTRY = 1.45
OPEN_MONTH_READS_PER_ENTRY = 0.8
MAX_SEMESTERS = 40  # backwards from the current one, whatever N is

# Meeting start times (DIA-2): a meeting of up to three academic hours (120 minutes), started
# up to 15 minutes late, ends by the next slot's start, so one mentor's meetings never overlap
# (CAP-3). Saturdays are allowed (CAL-3) and have their own, earlier slots; Sundays are rest.
WEEKDAY_SLOTS = [datetime.time(13, 0), datetime.time(15, 15), datetime.time(17, 30)]
SATURDAY_SLOTS = [datetime.time(10, 0), datetime.time(12, 15)]
# SUP-1: supervision sessions are weekday mornings, before any meeting slot.
SESSION_START = datetime.time(9, 0)
# A supervision group of about fifteen of the region's mentors of one target group.
MENTORS_PER_SESSION = 15

# The municipalities' weight in the country (about their school population): Rīga most.
MUNICIPALITY_WEIGHT = {
    "Rīga": 16.0,
    "Daugavpils": 2.5,
    "Liepāja": 2.0,
    "Jelgava": 1.8,
    "Jūrmala": 1.5,
    "Ventspils": 1.0,
    "Rēzekne": 0.9,
    "Ogres novads": 1.5,
    "Mārupes novads": 1.4,
    "Ķekavas novads": 1.3,
    "Valmieras novads": 1.4,
}
GENITIVE = {
    "Rīga": "Rīgas",
    "Daugavpils": "Daugavpils",
    "Liepāja": "Liepājas",
    "Jelgava": "Jelgavas",
    "Jūrmala": "Jūrmalas",
    "Ventspils": "Ventspils",
    "Rēzekne": "Rēzeknes",
}

# --- Words --------------------------------------------------------------------------------

PLACES = [
    "Skolas bibliotēka",
    "Pilsētas centrālā bibliotēka",
    "Jauniešu centra atpūtas telpa",
    "Kafejnīca pie skolas",
    "Pilsētas parks",
    "Sporta halle",
    "Muzeja izstāžu zāle",
    "Skolas pagalms",
    "Kafejnīca centrā",
    "Bibliotēkas lasītava",
]
TOPICS = [
    "Nedēļas plāns: mājasdarbi un konsultācijas",
    "Atkārtošana pirms kontroldarba matemātikā",
    "Kā veicās konsultācijās: kas kļuvis skaidrāks",
    "Saruna par to, kas palīdz mācīties",
    "Kavējumi: kā laikus nokļūt skolā",
    "Interešu pulciņi un brīvais laiks",
    "Mērķi mēnesim un to pārskatīšana",
    "Attiecības klasē: kā runāt par nesaprašanos",
    "Nākotnes profesijas: ko gribētu mācīties",
    "Gatavošanās ieskaitei latviešu valodā",
    "Laika plānošana: dienas grafiks",
    "Pastaiga un saruna par pagājušo nedēļu",
    "Lasīšana kopā: grāmatas izvēle",
    "Semestra vērtējumi un nākamie soļi",
    "Ekskursija uz tehnikuma atvērto durvju dienu",
]
RESULTS = [
    "Sastādījām nedēļas plānu; mājasdarbiem atvēlēts laiks pēc pusdienām.",
    "Sadalījām atkārtojamās tēmas pa dienām un pierakstījām jautājumus konsultācijai.",
    "Vienojāmies jautājumus pierakstīt jau stundā un nākt uz konsultāciju ceturtdienā.",
    "Izglītojamais pats nosauca divas lietas, kas izdevās šonedēļ.",
    "Nedēļā nebija neattaisnotu kavējumu; vienojāmies turpināt.",
    "Pieteicās basketbola pulciņam; pirmā nodarbība otrdien.",
    "Pārskatījām mērķus; viens sasniegts, divi paliek nākamajam mēnesim.",
    "Izrunājām situāciju klasē; nolēma parunāt ar audzinātāju.",
    "Apskatījām divu tehnikumu programmas; pierakstīja uzņemšanas datumus.",
    "Atkārtojām garumzīmju likumus; ieskaitei gatavs.",
]
COMMENTS = [
    "Ieradās laikā, bija atsaucīgs.",
    "Sākumā noguris, pēc pastaigas runāja vairāk.",
    "Nākamreiz tiekamies bibliotēkā.",
    "Jāatgādina par konsultāciju.",
]
STRENGTHS = [
    "Atsaucīgs, labprāt palīdz citiem; labi veicas sportā.",
    "Radoša, labi zīmē; atbildīga, ja uzdevums ir skaidrs.",
    "Zinātkārs, patīk strādāt ar rokām.",
    "Mierīgs un mērķtiecīgs, ja redz jēgu.",
]
INTERESTS = [
    "Basketbols, velosipēdi, galda spēles.",
    "Zīmēšana, mūzika, pastaigas ar suni.",
    "Futbols, elektronika, makšķerēšana.",
    "Programmēšana, skrituļdēlis, filmas.",
]
DESIRED = [
    "Regulāri apmeklē stundas; laikus nodod mājasdarbus.",
    "Atrod vismaz vienu interešu pulciņu; uzlabo vērtējumus matemātikā.",
    "Droši lieto latviešu valodu mācību priekšmetos.",
    "Nokārto pārbaudes darbus un turpina mācības.",
]
MEETING_TIMES = [
    "Pirmdienās un ceturtdienās pēc 15:00.",
    "Otrdienās pēc 14:30 vai sestdienu priekšpusdienās.",
    "Trešdienās un piektdienās pēc 15:30.",
]
AGREEMENT = (
    "Izglītojamajam ir grūtības ar mācībām un kavējumi.",
    "Tikties reizi nedēļā, plānot mācības un brīvo laiku.",
    "Tikties norunātajos laikos un palīdzēt plānot mācības.",
    "Ierasties uz tikšanām un izpildīt norunāto.",
)
PLAN_RETURN_REASONS = [
    "Vienošanās skenējumā trūkst izglītojamā paraksta.",
    "Nav augšupielādēts vecāka iesniegums.",
    "Precizējiet vēlamos rezultātus.",
]
MONTH_RETURN_REASONS = [
    "Grafikā nav izglītojamā paraksta pie vienas tikšanās.",
    "Dienasgrāmatas un grafika stundas nesakrīt.",
    "Skenējums nav salasāms; augšupielādējiet vēlreiz.",
]
TERMINATION_REASONS = [
    "Izglītojamais pārtrauca mācības iestādē.",
    "Nav iespējams sazināties ar izglītojamo.",
    "Izglītojamais pārcēlās uz citu pašvaldību.",
]
DECLINE_REASONS = ["Šajā semestrī nav brīva laika.", "Dzīvoju pārāk tālu no skolas."]
EVALUATION_TEXTS = (
    "Izglītojamais regulāri apmeklē stundas un pats plāno mācības.",
    "Turpināt mentoringu nākamajā semestrī; iesaistīt interešu izglītībā.",
)
ANSWER_COMMENTS = ["Daļēji: uzlabojumi tikai dažos priekšmetos.", "Vajag vairāk laika."]
ANSWER_WEIGHTS = {Answer.YES: 60, Answer.PARTLY: 30, Answer.NO: 10}
HOURS_CHANGE_REASON = "Izglītojamajam vajag vairāk tikšanos pirms eksāmeniem."
INVITATION_MESSAGE = "Lūdzu, palīdziet mūsu skolēnam."
RISKS = [choice for choice, _label in PlanRisk.Risk.choices]
BACKGROUND_CHECKERS = ["Direktore", "Direktora vietniece", "Personāla speciāliste"]
SUPERVISORS = ["Ilze Kalniņa, supervizore", "Andris Ozols, supervizors", "Dace Liepa, supervizore"]
STAFF_NAMES = [("Vineta", "Ķirse"), ("Pēteris", "Admins"), ("Gunta", "Vītola")]


# --- Small helpers --------------------------------------------------------------------------


def at(day, hour=0, minute=0):
    """The moment of `day` at hour:minute in Riga, in UTC: adding a timedelta to it is then
    exact across the summer-time changes (added to a Riga time, it would move the wall
    clock)."""
    local = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZONE)
    return local.astimezone(datetime.UTC)


def local_date(moment):
    return moment.astimezone(ZONE).date()


def month_end(first):
    return next_month_start(first) - DAY


def days_between(first, last):
    return [first + DAY * n for n in range((last - first).days + 1)]


def weighted(r, weights):
    """A key of `weights` ({value: weight}) drawn in proportion to its weight."""
    return r.choices(list(weights), weights=list(weights.values()))[0]


def during_day(r, day, start=8, end=20):
    """A moment of working hours on `day`."""
    return at(day, r.randrange(start, end), r.randrange(0, 60))


def after(r, moment, low, high):
    """A moment `low`..`high` days after `moment` (working hours), strictly after it."""
    day = local_date(moment) + DAY * r.randint(low, high)
    later = during_day(r, day)
    if later <= moment:
        later = moment + datetime.timedelta(minutes=r.randint(5, 120))
    return later


def seeded(*topic):
    """A random source of its own per topic, so that one part's data does not change when
    another draws more or fewer numbers; the same topic always gives the same numbers."""
    return random.Random(":".join(map(str, topic)))  # noqa: S311 - test data, not secrets


def first_weekday_on_or_after(day, weekday):
    return day + DAY * ((weekday - day.weekday()) % 7)


def last_weekday_on_or_before(day, weekday):
    return day - DAY * ((day.weekday() - weekday) % 7)


# --- The options -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    entries: int = 100_000
    institutions: int = 800
    mentors: int = 2_000
    seed: int = 12

    def problems(self):
        """Why these options cannot make a country (empty: they can)."""
        problems = []
        if self.entries < 0:
            problems.append("--entries cannot be negative.")
        if self.institutions < 1:
            problems.append("--institutions must be at least 1.")
        if self.mentors < 1:
            problems.append("--mentors must be at least 1.")
        return problems


# --- The calendar -----------------------------------------------------------------------------


@dataclass(slots=True)
class Term:
    """A semester of the history (a `Semester` row, existing or to be written)."""

    year_name: str
    number: int
    start: datetime.date
    end: datetime.date
    end_9: datetime.date | None
    end_12: datetime.date | None
    id: int | None = None
    year_id: int | None = None
    label: str = ""
    key: int = 0  # 0: the current semester, 1: the one before, ...

    def end_for(self, grade):
        """CAL-2: the semester's last day for a learner in `grade`."""
        if grade == 9 and self.end_9:
            return self.end_9
        if grade == 12 and self.end_12:
            return self.end_12
        return self.end


def synthetic_year(first_year):
    """A school year after the pattern of the reference calendars (2025/2026, 2026/2027)."""
    september = datetime.date(first_year, 9, 1)
    start_1 = september if september.weekday() < 5 else first_weekday_on_or_after(september, 0)
    end_1 = last_weekday_on_or_before(datetime.date(first_year, 12, 22), 4)
    start_2 = first_weekday_on_or_after(datetime.date(first_year + 1, 1, 3), 0)
    may_31 = datetime.date(first_year + 1, 5, 31)
    end_2 = may_31 if may_31.weekday() < 5 else last_weekday_on_or_before(may_31, 4)
    first_friday = first_weekday_on_or_after(end_2 + DAY, 4)
    end_9, end_12 = first_friday + 7 * DAY, first_friday + 14 * DAY
    autumn = first_weekday_on_or_after(datetime.date(first_year, 10, 1), 0) + 14 * DAY
    spring = first_weekday_on_or_after(datetime.date(first_year + 1, 3, 1), 0) + 7 * DAY
    return {
        "name": f"{first_year}/{first_year + 1}",
        "start": september,
        "end": datetime.date(first_year + 1, 8, 31),
        "semesters": [(1, start_1, end_1, None, None), (2, start_2, end_2, end_9, end_12)],
        "breaks": [
            ("autumn", autumn, autumn + 4 * DAY),
            ("winter", end_1 + 3 * DAY, start_2 - 3 * DAY),
            ("spring", spring, spring + 4 * DAY),
            ("summer", datetime.date(first_year + 1, 6, 1), datetime.date(first_year + 1, 8, 31)),
        ],
    }


class Calendar:
    """The semesters, newest first from the one under way today; the reference rows where
    they exist, synthetic years before (and after) them."""

    def __init__(self, today):
        self.today = today
        self.known = {}
        for semester in Semester.objects.select_related("school_year"):
            self.known[(semester.school_year.name, semester.number)] = Term(
                year_name=semester.school_year.name,
                number=semester.number,
                start=semester.start_date,
                end=semester.end_date,
                end_9=semester.end_date_grade_9,
                end_12=semester.end_date_grade_12,
                id=semester.pk,
                year_id=semester.school_year_id,
            )
        self.synthetic = {}  # school year name -> synthetic_year()

    def term(self, first_year, number):
        name = f"{first_year}/{first_year + 1}"
        if (name, number) in self.known:
            return self.known[(name, number)]
        year = self.synthetic.setdefault(name, synthetic_year(first_year))
        _number, start, end, end_9, end_12 = year["semesters"][number - 1]
        term = Term(name, number, start, end, end_9, end_12)
        self.known[(name, number)] = term
        return term

    def backwards(self):
        """The current semester (the last one begun by today), then each one before it."""
        first_year = self.today.year if self.today.month >= 9 else self.today.year - 1
        number = 1 if self.today.month >= 9 else 2
        if number == 2 and self.term(first_year, 2).start > self.today:
            number = 1  # early January, before the second semester starts
        for key in range(MAX_SEMESTERS):
            term = self.term(first_year, number)
            term.key = key
            yield term
            if number == 2:
                number = 1
            else:
                first_year, number = first_year - 1, 2

    def before(self, term):
        first_year = int(term.year_name[:4])
        return self.term(first_year, 1) if term.number == 2 else self.term(first_year - 1, 2)


# --- The people of the country (made before the history, written after it) -------------------


@dataclass(slots=True, eq=False)
class Inst:
    id: int
    name: str
    kind: str
    municipality_id: int
    region_id: int
    approval_day: int
    weight: float
    schools: list = field(default_factory=list)  # a youth centre's general schools
    preparers: list = field(default_factory=list)  # user ids
    approvers: list = field(default_factory=list)
    learner_keys: set = field(default_factory=set)

    def deadline(self, month):
        """APR-2: the day the hours of `month` are due (the employer's day next month)."""
        return next_month_start(month).replace(day=self.approval_day)


@dataclass(slots=True, eq=False)
class Person:
    id: int
    first_name: str
    last_name: str
    email: str
    role: str
    institution: Inst | None = None
    region_id: int | None = None


@dataclass(slots=True, eq=False)
class MentorSpec:
    id: int
    user_id: int
    first_name: str
    last_name: str
    email: str
    certificate: str
    base: Inst
    region_id: int
    municipality_ids: list
    employer_by_year: dict = field(default_factory=dict)
    busiest: bool = False
    first_activity: datetime.datetime | None = None

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


class Country:
    """Institutions, mentors and the users of every role, with ids; nothing written yet."""

    def __init__(self, shape, r):
        self.shape = shape
        self.r = r
        self.regions = {}
        self.staff_by_region = defaultdict(list)
        self.people = []  # every user but the mentors
        self._make_institutions()
        self._make_mentors()

    # Institutions
    def _make_institutions(self):
        r = self.r
        municipalities = list(Municipality.objects.select_related("region").order_by("pk"))
        self.regions = {m.region_id: m.region for m in municipalities}
        weights = [MUNICIPALITY_WEIGHT.get(m.name, 1.0) for m in municipalities]
        counts = apportion(self.shape.institutions, weights, minimum=1)
        self.institutions = []
        for municipality, count in zip(municipalities, counts, strict=True):
            self.institutions.extend(self._municipality_institutions(municipality, count, r))
        for number, inst in enumerate(self.institutions, start=1):
            inst.id = number
        # The biggest employer: a youth centre of Rīga that employs many mentors for the
        # schools of the city (the APPROVER account approves its months).
        riga_centres = [
            i for i in self.institutions if i.kind == "youth_centre" and i.name.startswith("Rīgas")
        ]
        centres = riga_centres or [i for i in self.institutions if i.kind == "youth_centre"]
        self.biggest_employer = centres[0] if centres else self.institutions[0]
        self.biggest_employer.weight = max(i.weight for i in self.institutions) * 5
        for inst in self.institutions:
            if inst.kind == "youth_centre":
                inst.schools = [
                    i
                    for i in self.institutions
                    if i.kind == "general" and i.municipality_id == inst.municipality_id
                ]

    def _municipality_institutions(self, municipality, count, r):
        genitive = GENITIVE.get(municipality.name) or municipality.name.replace(
            " novads", " novada"
        )
        if count == 0:
            return []
        centres = max(1 if count >= 4 else 0, round(count * 0.07))
        vocational = max(1 if count >= 3 else 0, round(count * 0.1))
        if count >= 3 and centres + vocational >= count:
            centres, vocational = 1, 1
        if count < 3:
            centres, vocational = 0, 0
        kinds = ["general"] + ["youth_centre"] * centres + ["vocational"] * vocational
        kinds += ["general"] * (count - len(kinds))
        made, numbers = [], defaultdict(int)
        for kind in kinds:
            numbers[kind] += 1
            n = numbers[kind]
            if kind == "youth_centre":
                name = f"{genitive} jauniešu centrs Nr. {n}"
                weight = 3.0 * r.lognormvariate(0, 0.4)
            elif kind == "vocational":
                name = f"{genitive} tehnikums Nr. {n}"
                weight = 1.5 * r.lognormvariate(0, 0.5)
            else:
                kind_word = ["vidusskola", "pamatskola", "ģimnāzija"][n % 3]
                name = f"{genitive} {n}. {kind_word}"
                weight = r.lognormvariate(0, 0.6)
            made.append(
                Inst(
                    id=0,
                    name=name,
                    kind=kind,
                    municipality_id=municipality.pk,
                    region_id=municipality.region_id,
                    approval_day=weighted(r, {10: 50, 5: 10, 8: 10, 12: 10, 15: 10, 20: 10}),
                    weight=weight,
                )
            )
        return made

    def employers_in_region(self, region_id):
        return [i for i in self.institutions if i.region_id == region_id]

    def pick_employer(self, r, region_id=None):
        """An employer drawn by its weight (in `region_id`, if given)."""
        pool = self.institutions if region_id is None else self.employers_in_region(region_id)
        return r.choices(pool, weights=[i.weight for i in pool])[0]

    # Mentors
    def _make_mentors(self):
        r = self.r
        self.mentors = []
        municipalities_of = defaultdict(list)
        for inst in self.institutions:
            if inst.municipality_id not in municipalities_of[inst.region_id]:
                municipalities_of[inst.region_id].append(inst.municipality_id)
        for index in range(self.shape.mentors):
            # The busiest mentor works for the biggest employer: the APPROVER's queue has
            # the MENTOR's months.
            base = self.biggest_employer if index == 0 else self.pick_employer(r)
            others = [m for m in municipalities_of[base.region_id] if m != base.municipality_id]
            extra = r.sample(others, min(len(others), r.randint(0, 2)))
            first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
            email = accounts.MENTOR if index == 0 else f"mentors{index:04d}@{accounts.DOMAIN}"
            self.mentors.append(
                MentorSpec(
                    id=index + 1,
                    user_id=0,
                    first_name=first,
                    last_name=last,
                    email=email,
                    certificate=f"SK-S{index + 1:05d}",
                    base=base,
                    region_id=base.region_id,
                    municipality_ids=[base.municipality_id, *extra],
                    busiest=index == 0,
                )
            )
        self.mentors_by_region = defaultdict(list)
        for mentor in self.mentors:
            self.mentors_by_region[mentor.region_id].append(mentor)
        # The order in which mentors join the project: the busiest first (in every semester),
        # the others shuffled; the oldest, partial semester has the first ones only.
        rest = self.mentors[1:]
        r.shuffle(rest)
        self.mentor_order = [self.mentors[0], *rest]

    def make_users(self):
        """User ids for every role, the named accounts where accounts.py says (PREPARER is
        named once the history tells the biggest general school)."""
        r = self.r
        user_id = 0

        def person(email, role, first, last, institution=None, region_id=None):
            nonlocal user_id
            user_id += 1
            made = Person(user_id, first, last, email, role, institution, region_id)
            self.people.append(made)
            return made

        person(accounts.ADMINISTRATOR, Role.ADMIN, *STAFF_NAMES[1])
        person(accounts.NATIONAL_STAFF, Role.STAFF, *STAFF_NAMES[0])  # the whole country
        for n in range(2):
            email = f"staff-lv{n + 1}@{accounts.DOMAIN}"
            person(email, Role.STAFF, r.choice(FIRST_NAMES), r.choice(LAST_NAMES))
        for region_id, region in sorted(self.regions.items()):
            for n in range(2):
                named = region.code == "riga" and n == 0
                email = (
                    accounts.REGIONAL_STAFF
                    if named
                    else f"staff-{region.code}{n + 1}@{accounts.DOMAIN}"
                )
                first, last = (
                    STAFF_NAMES[2] if named else (r.choice(FIRST_NAMES), r.choice(LAST_NAMES))
                )
                self.staff_by_region[region_id].append(
                    person(email, Role.STAFF, first, last, region_id=region_id)
                )
        for inst in self.institutions:
            big = inst.weight > 2.0
            if inst.kind != "youth_centre":
                for n in range(2 if big else 1):
                    email = f"preparer{inst.id:03d}-{n + 1}@{accounts.DOMAIN}"
                    made = person(
                        email, Role.PREPARER, r.choice(FIRST_NAMES), r.choice(LAST_NAMES), inst
                    )
                    inst.preparers.append(made.id)
            for n in range(2 if big else 1):
                named = inst is self.biggest_employer and n == 0
                email = (
                    accounts.APPROVER
                    if named
                    else f"approver{inst.id:03d}-{n + 1}@{accounts.DOMAIN}"
                )
                made = person(
                    email, Role.APPROVER, r.choice(FIRST_NAMES), r.choice(LAST_NAMES), inst
                )
                inst.approvers.append(made.id)
        for mentor in self.mentors:
            user_id += 1
            mentor.user_id = user_id


def apportion(total, weights, minimum=0):
    """`total` split in proportion to `weights` (largest remainders), each at least `minimum`
    while the total allows."""
    floor = minimum if total >= minimum * len(weights) else 0
    spare = total - floor * len(weights)
    whole = sum(weights)
    shares = [spare * w / whole for w in weights]
    counts = [floor + int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


# --- The history: who had which plan when (planned in memory, newest semester first) -------


@dataclass(slots=True, eq=False)
class LearnerSpec:
    id: int
    institution: Inst
    first_name: str
    last_name: str
    birth_date: datetime.date
    education: str
    grade: int | None
    course: int | None
    created_at: datetime.datetime | None = None
    created_by: int = 0

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


@dataclass(slots=True, eq=False)
class MonthSpec:
    """A month of a plan: its planned meetings (hours each) and the fate of its report."""

    month: datetime.date
    meetings: list
    confirmed_at: datetime.datetime | None = None  # the (last) confirmation
    first_decision: datetime.datetime | None = None
    returned: bool = False
    reconfirmed_at: datetime.datetime | None = None
    approved_at: datetime.datetime | None = None  # may lie after now: still waiting
    return_reason: str = ""
    id: int = 0
    hours: int = 0
    entries: int = 0
    confirmed: bool = False  # by now
    status: str = "open"  # as written


@dataclass(slots=True, eq=False)
class PlanSpec:
    id: int
    term: Term
    learner: LearnerSpec
    mentor: MentorSpec
    employer: Inst
    created_at: datetime.datetime
    preparer: int
    wants_predecessor: bool = False
    next_plan: "PlanSpec | None" = None
    contract: "ContractSpec | None" = None
    declined_by: MentorSpec | None = None
    invited_at: datetime.datetime | None = None
    accepted_at: datetime.datetime | None = None
    submitted_at: datetime.datetime | None = None
    returned_at: datetime.datetime | None = None
    resubmitted_at: datetime.datetime | None = None
    approved_at: datetime.datetime | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    terminated_on: datetime.date | None = None
    terminated_at: datetime.datetime | None = None
    monthly_hours: int = 12
    module: str = "II"
    category: str = ""
    risks: list = field(default_factory=list)
    months: list = field(default_factory=list)
    evaluation_started: datetime.datetime | None = None
    evaluation_submitted: datetime.datetime | None = None
    decided_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    hours_change: bool = False
    invitation_id: int = 0

    @property
    def last_day(self):
        return self.terminated_on or self.end_date

    def planned_entries(self):
        return sum(len(m.meetings) for m in self.months)


@dataclass(slots=True, eq=False)
class ContractSpec:
    id: int
    mentor: MentorSpec
    employer: Inst
    year_name: str
    term: Term | None  # None: the whole school year
    signed_on: datetime.date
    number: str
    created_by: int
    plans: list = field(default_factory=list)


class Planner:
    """Which plans each semester has, and each plan's life up to now, newest semester first,
    until the entries are spent. Nothing is written here; ids are given afterwards in the
    order things were created."""

    def __init__(self, shape, country, calendar, now):
        self.shape = shape
        self.country = country
        self.calendar = calendar
        self.now = now
        self.today = now.astimezone(ZONE).date()
        self.semesters = []  # [(term, [PlanSpec])], newest first
        self.learners = []

    def plan(self):
        budget = self.shape.entries
        newer = []
        for term in self.calendar.backwards():
            if term.key > 0 and budget <= 0:
                break
            plans = self._semester(term, newer, None if term.key == 0 else budget)
            if not plans and term.key > 0:
                break
            budget -= sum(p.planned_entries() for p in plans)
            self.semesters.append((term, plans))
            newer = plans
        for plan in self.plans:
            self._evaluation(plan)
        return self.semesters

    @property
    def plans(self):
        return [plan for _term, plans in self.semesters for plan in plans]

    # A semester
    def _semester(self, term, newer, budget):
        continuing = defaultdict(list)
        for plan in newer:
            if plan.wants_predecessor:
                continuing[plan.mentor.id].append(plan)
        result, spent = [], 0
        for mentor in self.country.mentor_order:
            if budget is not None and spent >= budget:
                break
            # A random source per mentor and semester: the data of the others stays the same
            # when a plan of this one is left out (made after now), so that a seed of another
            # day has (nearly) the same history.
            r = seeded(self.shape.seed, "plans", term.year_name, term.number, mentor.id)
            if not (mentor.busiest or r.random() < ACTIVE_SHARE):
                continue
            count = MAX_LEARNERS_PER_SEMESTER if mentor.busiest else weighted(r, PLANS_PER_MENTOR)
            # IAP-8: some of the learners they have in the next semester were theirs in this
            # one already (the rest of those were new then, or the mentor's first).
            follows = continuing.get(mentor.id, [])[:count]
            employer = self._employer(mentor, term, follows, r)
            own = [self._plan(term, mentor, employer, r, next_plan=q) for q in follows]
            own += [self._plan(term, mentor, employer, r) for _ in range(count - len(follows))]
            own = [p for p in own if p.created_at <= self.now]
            for plan in own:
                self._life(plan, r)
                spent += plan.planned_entries()
            result.extend(own)
        return result

    def _employer(self, mentor, term, follows, r):
        """The mentor's employer in the term's school year: kept from the next year (always
        when a learner continues with them), else now and then another in the region."""
        if term.year_name in mentor.employer_by_year:
            return mentor.employer_by_year[term.year_name]
        if follows:
            employer = follows[0].employer
        elif mentor.employer_by_year:
            # Going backwards, the earliest year set so far is the one after this one.
            following = mentor.employer_by_year[min(mentor.employer_by_year)]
            keep = mentor.busiest or r.random() < 0.9
            employer = following if keep else self.country.pick_employer(r, mentor.region_id)
        else:
            employer = mentor.base
        mentor.employer_by_year[term.year_name] = employer
        return employer

    def _plan(self, term, mentor, employer, r, next_plan=None):
        learner = next_plan.learner if next_plan else self._learner(term, employer, r)
        preparer = r.choice(learner.institution.preparers)
        before = self.calendar.before(term)
        wants_predecessor = (
            r.random() < (0.9 if mentor.busiest else CONTINUE_SHARE)
            and age_on(learner.birth_date, before.start) >= 13
        )
        if wants_predecessor:
            # IAP-8: the draft made by the decision to continue, after the semester before.
            earliest = before.end_for(learner.grade) + 5 * DAY
            latest = max(earliest + DAY, term.start + 14 * DAY)
            created = during_day(r, earliest + DAY * r.randint(0, (latest - earliest).days))
        elif mentor.busiest or r.random() < 0.7:
            created = during_day(r, term.start + DAY * r.randint(-14, 21))
        else:
            span = max((term.end - term.start).days - 30, 1)
            created = during_day(r, term.start + DAY * r.randint(0, span))
        plan = PlanSpec(
            id=0,
            term=term,
            learner=learner,
            mentor=mentor,
            employer=employer,
            created_at=created,
            preparer=preparer,
            wants_predecessor=wants_predecessor,
            next_plan=next_plan,
        )
        plan.monthly_hours = 20 if mentor.busiest else r.choice(MONTHLY_HOURS)
        self._content(plan, r)
        return plan

    def _learner(self, term, employer, r):
        """A new learner of the employer (CON-2: a youth centre's from its municipality's
        schools), of the age their grade has at the start of this semester (ELIG-1)."""
        if employer.kind == "youth_centre" and employer.schools:
            school = r.choices(employer.schools, weights=[s.weight for s in employer.schools])[0]
        else:
            school = employer
        if school.kind == "vocational":
            education, grade, course = "vocational", None, weighted(r, {1: 35, 2: 30, 3: 20, 4: 15})
            age = 15 + course
        else:
            education, course = "general", None
            grade = weighted(r, {7: 18, 8: 22, 9: 25, 10: 12, 11: 12, 12: 11})
            age = grade + 6
        start = term.start
        while True:
            first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
            birth = start.replace(year=start.year - age) - DAY * r.randint(0, 364)
            key = (first.lower(), last.lower(), birth)
            if key not in school.learner_keys:  # learner_unique_per_institution
                school.learner_keys.add(key)
                break
        learner = LearnerSpec(0, school, first, last, birth, education, grade, course)
        self.learners.append(learner)
        return learner

    def _content(self, plan, r):
        """The module and risks (ELIG-3, ELIG-4)."""
        learner = plan.learner
        if learner.education == "vocational" and r.random() < 0.4:
            plan.module, plan.category = "I", "b"
        elif learner.grade in (7, 8, 9) and r.random() < 0.55:
            plan.module = "I"
            plan.category = "a" if learner.grade == 9 and r.random() < 0.2 else "c"
        else:
            plan.module, plan.category = "II", ""
            plan.risks = r.sample(RISKS, r.randint(1, 3))

    # A plan's life
    def _life(self, plan, r):
        """The plan's steps, each at a moment; those after now have not happened (yet)."""
        term, mentor = plan.term, plan.mentor
        plan.start_date = max(term.start, min(local_date(plan.created_at), term.end))
        plan.end_date = term.end_for(plan.learner.grade)
        careful = mentor.busiest or plan.next_plan is not None or plan.wants_predecessor
        if plan.wants_predecessor:
            plan.invited_at = plan.created_at  # decision_record invites the same mentor
        else:
            if not careful and r.random() < 0.08:
                # IAP-3: another mentor of the region declined first.
                other = r.choice(self.country.mentors_by_region[mentor.region_id])
                plan.declined_by = other if other is not mentor else None
            plan.invited_at = after(r, plan.created_at, 0, 2 if plan.declined_by is None else 6)
        plan.accepted_at = after(r, plan.invited_at, 0, 4)
        if not careful and r.random() < ABANDONED_SHARE:
            return  # a draft never finished: no submission, no meetings
        slow = 0 if careful else (r.randint(20, 50) if r.random() < 0.04 else 0)
        plan.submitted_at = after(r, plan.accepted_at, 2 + slow, 10 + slow)
        moment = plan.submitted_at
        if not careful and r.random() < RETURNED_PLAN_SHARE:
            plan.returned_at = after(r, moment, 1, 4)
            plan.resubmitted_at = after(r, plan.returned_at, 1, 5)
            moment = plan.resubmitted_at
        plan.approved_at = after(r, moment, 0, 5)
        plan.hours_change = r.random() < 0.04
        first = max(plan.start_date, local_date(plan.approved_at) + DAY * r.randint(1, 5))
        if not careful and r.random() < TERMINATED_SHARE and (plan.end_date - first).days > 28:
            plan.terminated_on = first + DAY * r.randint(14, (plan.end_date - first).days - 7)
            plan.terminated_at = during_day(r, plan.terminated_on + DAY * r.randint(0, 3))
        last = min(plan.last_day, self.today - DAY)
        self._months(plan, first, last, r)

    def _months(self, plan, first, last, r):
        """DIA-8: every month from the plan's start to its last day (or today); its meetings
        spread in proportion to its days, CAP-2 kept by shortening or dropping meetings."""
        if plan.approved_at > self.now:
            return
        days = [d for d in days_between(first, last) if d.weekday() < 6] if first <= last else []
        total = round(MEETINGS_PER_WEEK * len(days) / 6 * r.uniform(0.7, 1.3))
        if plan.mentor.busiest:
            total = max(total, round(1.6 * len(days) / 6))
        by_month = defaultdict(list)
        for d in days:
            by_month[month_start(d)].append(d)
        months = sorted(by_month)
        counts = apportion(total, [len(by_month[m]) for m in months]) if months else []
        planned = {m: min(c, len(by_month[m])) for m, c in zip(months, counts, strict=True)}
        typical = weighted(r, MEETING_HOURS)
        cap = min(plan.monthly_hours, 20)
        month = month_start(plan.start_date)
        until = month_start(min(plan.last_day, self.today))
        while month <= until:
            hours = [
                typical if r.random() < 0.75 else r.randint(1, 3)
                for _ in range(planned.get(month, 0))
            ]
            while sum(hours) > cap:
                biggest = max(range(len(hours)), key=hours.__getitem__)
                if hours[biggest] > 1:
                    hours[biggest] -= 1
                else:
                    hours.pop()
            spec = MonthSpec(month, hours)
            self._month_report(plan, spec, r)
            plan.months.append(spec)
            month = next_month_start(month)

    def _month_report(self, plan, spec, r):
        """DIA-7, APR-1..3: confirmed at the month's end, decided around the employer's day;
        the few returned are confirmed again and approved."""
        last = month_end(spec.month)
        if last > self.today:
            return
        delay = weighted(r, {0: 30, 1: 20, 2: 15, 3: 10, 5: 10, 9: 10, 20: 5})
        spec.confirmed_at = during_day(r, last + DAY * delay, 9, 22)
        if spec.confirmed_at <= plan.approved_at:
            spec.confirmed_at = after(r, plan.approved_at, 0, 3)  # the diary opens then
        deadline = at(plan.employer.deadline(spec.month), 16)
        # The biggest employer's approver, with the most months to approve, is often late:
        # the APPROVER account's queue is the longest (the benchmark's worst case).
        on_time = 0.5 if plan.employer is self.country.biggest_employer else 0.85
        kind = r.random()
        if kind < on_time and deadline > spec.confirmed_at + datetime.timedelta(hours=2):
            seconds = (deadline - spec.confirmed_at).total_seconds()
            decision = spec.confirmed_at + datetime.timedelta(seconds=r.uniform(3600, seconds))
        elif kind < 0.98:
            decision = after(r, max(deadline, spec.confirmed_at), 1, 20)
        else:
            decision = after(r, max(deadline, spec.confirmed_at), 20, 45)  # long overdue
        spec.first_decision = decision
        if r.random() < RETURNED_MONTH_SHARE:
            spec.returned = True
            spec.return_reason = r.choice(MONTH_RETURN_REASONS)
            spec.reconfirmed_at = after(r, decision, 1, 6)
            spec.approved_at = after(r, spec.reconfirmed_at, 1, 7)
        else:
            spec.approved_at = decision

    def _evaluation(self, plan):
        """EVA-1..6, IAP-8, IAP-9: after the last mentoring day the preparer starts the
        evaluation, the mentor submits it, the decision follows (the next semester's draft
        when continuing) and the plan is closed once every month is approved."""
        if plan.approved_at is None or plan.approved_at > self.now:
            return
        r = seeded(self.shape.seed, "evaluation", plan.term.key, plan.created_at, plan.mentor.id)
        opens = plan.terminated_at if plan.terminated_on else at(plan.last_day + DAY, 8)
        opens = max(opens, plan.approved_at + datetime.timedelta(hours=1))
        if plan.next_plan is not None:
            decided = plan.next_plan.created_at
            window = (decided - opens).total_seconds()
            started = opens + datetime.timedelta(seconds=window * r.uniform(0.05, 0.4))
            submitted = started + datetime.timedelta(
                seconds=(decided - started).total_seconds() * r.uniform(0.3, 0.9)
            )
        else:
            started = after(r, opens, 0, 12)
            submitted = after(r, started, 1, 15)
            decided = after(r, submitted, 0, 8)
        plan.evaluation_started, plan.evaluation_submitted, plan.decided_at = (
            started,
            submitted,
            decided,
        )
        approvals = [m.approved_at for m in plan.months]
        if any(a is None for a in approvals):
            return  # a month not even confirmed: the plan cannot close
        plan.closed_at = after(r, max([decided, *approvals]), 1, 20)


# --- Writing --------------------------------------------------------------------------------

# The columns of each table, in the order the rows give them. "history_date" and
# "history_user_id" last: not the model's own, they make its "+" history row (when and by whom).
FIELDS = {
    SchoolYear: ["id", "name", "start_date", "end_date", "source"],
    Semester: [
        "id", "school_year_id", "number", "start_date", "end_date", "end_date_grade_9",
        "end_date_grade_12",
    ],
    SchoolBreak: ["id", "school_year_id", "kind", "start_date", "end_date"],
    Institution: [
        "id", "name", "kind", "municipality_id", "registration_number", "hours_approval_day",
        "is_active", "history_date", "history_user_id",
    ],
    User: [
        "id", "password", "last_login", "is_superuser", "first_name", "last_name", "email",
        "is_staff", "is_active", "date_joined", "history_date", "history_user_id",
    ],
    RoleMembership: [
        "id", "user_id", "role", "institution_id", "region_id", "is_active", "created_at",
        "history_date", "history_user_id",
    ],
    Mentor: [
        "id", "user_id", "first_name", "last_name", "email", "phone", "certificate_number",
        "region_id", "is_available", "hidden_from_search", "created_at", "history_date",
        "history_user_id",
    ],
    Mentor.municipalities.through: ["id", "mentor_id", "municipality_id"],
    Contract: [
        "id", "mentor_id", "employer_id", "school_year_id", "semester_id", "contract_number",
        "signed_on", "background_check_date", "background_check_by", "signed_file",
        "created_by_id", "created_at", "history_date", "history_user_id",
    ],
    Learner: [
        "id", "institution_id", "first_name", "last_name", "birth_date", "education", "grade",
        "course", "created_by_id", "created_at", "history_date", "history_user_id",
    ],
    Plan: [
        "id", "learner_id", "institution_id", "semester_id", "status", "start_date",
        "end_date", "module", "category", "strengths", "interests", "desired_results",
        "monthly_hours", "meeting_times", "mentor_id", "contract_id", "application_file",
        "situation", "situation_plan", "provider_commits", "learner_commits", "agreement_scan",
        "submitted_at", "decided_by_id", "decided_at", "return_reason", "hours_change_reason",
        "terminated_on", "termination_reason", "extended_until", "extension_order",
        "closed_at", "closed_by_id", "timesheets_received", "created_by_id", "created_at",
        "history_date", "history_user_id",
    ],
    PlanRisk: ["id", "plan_id", "risk", "description", "history_date", "history_user_id"],
    SupportMeasure: [
        "id", "plan_id", "kind", "provider", "description", "history_date", "history_user_id",
    ],
    Invitation: [
        "id", "plan_id", "mentor_id", "message", "status", "answer_reason", "invited_by_id",
        "invited_at", "answered_at", "history_date", "history_user_id",
    ],
    DiaryEntry: [
        "id", "plan_id", "mentor_id", "date", "start_time", "end_time", "starts_at",
        "ends_at", "hours", "place", "topic", "result", "comment", "created_at",
        "history_date", "history_user_id",
    ],
    DiaryMonth: [
        "id", "plan_id", "month", "status", "hours", "timesheet_scan", "confirmed_at",
        "decided_by_id", "decided_at", "return_reason", "reopen_reason", "history_date",
        "history_user_id",
    ],
    AccessLog: [
        "id", "user_id", "role", "action", "object_type", "object_id", "object_repr",
        "plan_pk", "mentor_pk", "mentor_name", "month", "region_id", "at",
    ],
    SentEmail: ["id", "key", "recipient", "subject", "region_id", "sent_at"],
    Evaluation: [
        "id", "plan_id", "mentor_id", "started_by_id", "started_at", "risks_reduced",
        "risks_reduced_comment", "confidence_strengthened", "confidence_strengthened_comment",
        "development_promoted", "development_promoted_comment", "result_achieved",
        "recommendations", "termination_reasons", "saved_at", "submitted_at", "history_date",
        "history_user_id",
    ],
    Decision: [
        "id", "plan_id", "outcome", "next_plan_id", "decided_by_id", "decided_at",
        "history_date", "history_user_id",
    ],
    Rate: [
        "id", "valid_from", "valid_to", "amount", "legal_basis", "salary", "holiday_pay",
        "social_contributions", "history_date", "history_user_id",
    ],
    PayrollRun: [
        "id", "employer_id", "month", "closed_at", "closed_by_id", "hours", "amount",
        "history_date", "history_user_id",
    ],
    PayrollLine: [
        "id", "run_id", "diary_month_id", "month", "plan_id", "mentor_id", "mentor_name",
        "certificate_number", "contract_id", "contract_label", "hours", "rate_id",
        "rate_amount", "amount", "history_date", "history_user_id",
    ],
    Session: [
        "id", "date", "start_time", "duration_minutes", "starts_at", "ends_at", "place",
        "region_id", "target_group", "capacity", "supervisor", "signed_up", "created_by_id",
        "created_at", "history_date", "history_user_id",
    ],
    Signup: [
        "id", "session_id", "mentor_id", "signed_up_at", "cancelled_at", "attended",
        "marked_by_id", "marked_at", "history_date", "history_user_id",
    ],
}  # fmt: skip
HISTORY = ("history_date", "history_user_id")


class Writer:
    """COPY (binary) into the tables, and into their simple-history tables one "+" row per
    row; counts what it wrote."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.counts = defaultdict(int)
        self.models = []  # whose ids were given here: their sequences are moved past them
        self._types = {}

    def write(self, model, rows):
        """`rows`: tuples in the order of FIELDS[model]."""
        rows = rows if isinstance(rows, list) else list(rows)
        names = FIELDS[model]
        if model not in self.models:
            self.models.append(model)
        if names[-2:] != list(HISTORY):
            self._copy(model, names, rows)
            return
        own = names[:-2]
        self._copy(model, own, (row[:-2] for row in rows))
        historical = model.history.model
        kept = [i for i, name in enumerate(own) if _has_field(historical, name)]
        self._copy(
            historical,
            [own[i] for i in kept] + ["history_type", "history_change_reason", *HISTORY],
            ((*(row[i] for i in kept), "+", None, row[-2], row[-1]) for row in rows),
        )

    def _copy(self, model, names, rows):
        meta = model._meta
        extra = self._defaults(model, names)
        if extra:
            names = [*names, *extra]
            values = tuple(extra.values())
            rows = ((*row, *values) for row in rows)
        columns = [meta.get_field(name).column for name in names]
        types = self._column_types(meta.db_table)
        statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        count = 0
        with self.cursor.copy(statement) as copy:
            copy.set_types([types[c] for c in columns])
            for row in rows:
                copy.write_row(row)
                count += 1
        self.counts[meta.db_table] += count

    @staticmethod
    def _defaults(model, names):
        """The model's other columns with their defaults: a field added to a model later
        gets its default here (one with none fails the COPY, loudly)."""
        return {
            f.attname: f.get_default()
            for f in model._meta.concrete_fields
            if f.attname not in names and not isinstance(f, models.AutoField)
        }

    def _column_types(self, table):
        """The columns' type oids: binary COPY sends each value as its column's type."""
        if table not in self._types:
            self.cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [table],
            )
            self._types[table] = dict(self.cursor.fetchall())
        return self._types[table]

    def reset_sequences(self):
        """The next id the portal gives is after the ones written here."""
        for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
            self.cursor.execute(statement)


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


# --- The seeder -------------------------------------------------------------------------------


class Seeder:
    """Plans the history, then writes it table by table, reporting each step's time."""

    def __init__(self, shape, now, report=print):
        self.shape = shape
        self.now = now
        self.today = now.astimezone(ZONE).date()
        self.report = report
        self.ids = defaultdict(int)
        self.paid_months = []  # (plan, month) of every approved month written, for pay
        self.writer = None

    def rng(self, *topic):
        return seeded(self.shape.seed, *topic)

    def next_id(self, model):
        self.ids[model] += 1
        return self.ids[model]

    def step(self, label):
        if self.writer is None:
            return timed(self.report, label)
        before = sum(self.writer.counts.values())
        return timed(self.report, label, lambda: sum(self.writer.counts.values()) - before)

    def run(self, cursor):
        """Seed the (emptied) database; returns the rows written per table."""
        with translation.override(settings.LANGUAGE_CODE):
            with self.step("planning the history in memory"):
                self._plan()
            for term, plans in self.semesters:
                entries = sum(p.planned_entries() for p in plans)
                self.report(f"    {term.label}: {len(plans):,} plans, {entries:,} meetings")
            self.writer = Writer(cursor)
            with self.step("calendar: synthetic school years before the reference ones"):
                self._write_calendar()
            with self.step("institutions, users, roles, authenticators, mentors"):
                self._write_people()
            with self.step("contracts, learners, plans, risks, invitations"):
                self._write_plans()
            for term, plans in reversed(self.semesters):
                with self.step(f"{term.label}: entries, months, reads, e-mails"):
                    self._write_semester(term, plans)
            with self.step("evaluations, decisions and their e-mails"):
                self._write_evaluations()
            with self.step("rates, payroll runs and lines"):
                self._write_payroll()
            with self.step("supervision sessions and sign-ups"):
                self._write_supervision()
            self.writer.reset_sequences()
        return dict(self.writer.counts)

    # Planning
    def _plan(self):
        self.calendar = Calendar(self.today)
        self.country = Country(self.shape, self.rng("country"))
        self.country.make_users()
        planner = Planner(self.shape, self.country, self.calendar, self.now)
        self.semesters = planner.plan()
        self.plans = sorted(planner.plans, key=lambda p: (p.created_at, p.term.key))
        self._name_preparer_account()
        self.country.email_of = {p.id: p.email for p in self.country.people}
        self.country.email_of |= {m.user_id: m.email for m in self.country.mentors}
        self._give_ids(planner.learners)
        self._plan_contracts()
        for term, _plans in self.semesters:
            number = _("1st semester") if term.number == 1 else _("2nd semester")
            term.label = f"{term.year_name} · {number}"  # as str(Semester)

    def _name_preparer_account(self):
        """PREPARER prepares the plans of the general school with the most of them."""
        counts = defaultdict(int)
        for plan in self.plans:
            if plan.learner.institution.kind == "general":
                counts[plan.learner.institution.id] += 1
        if not counts:
            return
        biggest = max(counts, key=lambda i: (counts[i], -i))
        for person in self.country.people:
            if person.role == Role.PREPARER and person.institution.id == biggest:
                person.email = accounts.PREPARER
                break

    def _give_ids(self, learners):
        """Ids in the order things were created, as the database would have given them."""
        for number, plan in enumerate(self.plans, start=1):
            plan.id = number
            learner, mentor = plan.learner, plan.mentor
            if learner.created_at is None or plan.created_at < learner.created_at:
                learner.created_at = plan.created_at - datetime.timedelta(minutes=30)
                learner.created_by = plan.preparer
            if mentor.first_activity is None or plan.created_at < mentor.first_activity:
                mentor.first_activity = plan.created_at
        self.learners = sorted(
            (learner for learner in learners if learner.created_at is not None),
            key=lambda learner: (learner.created_at, learner.institution.id),
        )
        for number, learner in enumerate(self.learners, start=1):
            learner.id = number

    def _plan_contracts(self):
        """CON-1..4: a contract per mentor, employer and school year (or semester, CON-3) in
        which the mentor accepted a plan, signed by then. CON-4 follows from CAP-1: a mentor
        has at most six learners in a semester."""
        r = self.rng("contracts")
        contracts, per_semester = {}, {}
        for plan in self.plans:
            if plan.accepted_at > self.now:
                continue
            year_key = (plan.mentor.id, plan.employer.id, plan.term.year_name)
            if year_key not in per_semester:
                per_semester[year_key] = r.random() < SEMESTER_CONTRACT_SHARE
            term = plan.term if per_semester[year_key] else None
            key = (*year_key, term.number if term else 0)
            if key not in contracts:
                contracts[key] = ContractSpec(
                    id=0,
                    mentor=plan.mentor,
                    employer=plan.employer,
                    year_name=plan.term.year_name,
                    term=term,
                    signed_on=local_date(plan.accepted_at),
                    number="",
                    created_by=r.choice(plan.employer.approvers),
                )
            contract = contracts[key]
            contract.signed_on = min(contract.signed_on, local_date(plan.accepted_at))
            contract.plans.append(plan)
            plan.contract = contract
        self.contracts = sorted(
            contracts.values(), key=lambda c: (c.signed_on, c.mentor.id, c.employer.id)
        )
        for number, contract in enumerate(self.contracts, start=1):
            contract.id = number
            # Some contracts have no number: pay labels them by their date (PAY-6).
            contract.number = "" if number % 10 == 0 else f"L-{contract.year_name[:4]}/{number}"

    # The calendar
    def _write_calendar(self):
        """The synthetic school years the history reaches, with their semesters and breaks;
        the reference rows of the migrations stay as they are."""
        existing = dict(SchoolYear.objects.values_list("name", "pk"))
        years, semesters, breaks = [], [], []
        needed = {term.year_name for term, _plans in self.semesters}
        for name in sorted(needed - set(existing)):
            year = self.calendar.synthetic[name]
            year_id = existing[name] = self._free_id(SchoolYear)
            years.append((year_id, name, year["start"], year["end"], SYNTHETIC_SOURCE))
            for number, start, end, end_9, end_12 in year["semesters"]:
                term = self.calendar.known[(name, number)]
                term.id, term.year_id = self._free_id(Semester), year_id
                semesters.append((term.id, year_id, number, start, end, end_9, end_12))
            for kind, start, end in year["breaks"]:
                breaks.append((self._free_id(SchoolBreak), year_id, kind, start, end))
        self.writer.write(SchoolYear, years)
        self.writer.write(Semester, semesters)
        self.writer.write(SchoolBreak, breaks)

    def _free_id(self, model):
        """The calendar tables keep the reference rows: ids after theirs."""
        if model not in self.ids:
            last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
            self.ids[model] = last or 0
        return self.next_id(model)

    # People
    def _write_people(self):
        country, w = self.country, self.writer
        start = (self.plans[0].created_at if self.plans else self.now) - 90 * DAY
        w.write(
            Institution,
            [
                (
                    *(i.id, i.name, i.kind, i.municipality_id, f"90000{i.id:06d}"),
                    *(i.approval_day, True, start, None),
                )
                for i in country.institutions
            ],
        )
        # One hash for every user: hashing thousands of times would take minutes.
        password = make_password(accounts.PASSWORD)
        people = [(p.id, p.first_name, p.last_name, p.email) for p in country.people]
        people += [(m.user_id, m.first_name, m.last_name, m.email) for m in country.mentors]
        w.write(
            User,
            [
                (pk, password, None, False, first, last, email, False, True, start, start, None)
                for pk, first, last, email in sorted(people)
            ],
        )
        roles = [(p.id, p.role, p.institution, p.region_id) for p in country.people]
        roles += [(m.user_id, Role.MENTOR, None, None) for m in country.mentors]
        w.write(
            RoleMembership,
            [
                (
                    *(self.next_id(RoleMembership), user_id, role, inst.id if inst else None),
                    *(region_id, True, start, start, None),
                )
                for user_id, role, inst, region_id in sorted(roles, key=lambda x: x[0])
            ],
        )
        # StaffMfaMiddleware asks only that staff have a TOTP authenticator (allauth.mfa).
        totp = [
            Authenticator(
                user_id=p.id,
                type=Authenticator.Type.TOTP,
                data={"secret": "JBSWY3DPEHPK3PXP"},
                created_at=start,
            )
            for p in country.people
            if p.role in (Role.STAFF, Role.ADMIN)
        ]
        Authenticator.objects.bulk_create(totp)
        w.counts[Authenticator._meta.db_table] += len(totp)
        self._write_mentors()

    def _write_mentors(self):
        """REG-1, REG-3: the registry; a few mentors away or hidden from the search."""
        r = self.rng("mentors")
        rows, places = [], []
        for m in self.country.mentors:
            created = (m.first_activity or self.now) - DAY * r.randint(14, 60)
            phone = f"+371 2{m.id % 1000:03d} {m.id * 7919 % 10000:04d}"
            away = not m.busiest and r.random() < 0.03
            hidden = not m.busiest and r.random() < 0.02
            rows.append(
                (
                    *(m.id, m.user_id, m.first_name, m.last_name, m.email, phone),
                    *(m.certificate, m.region_id, not away, hidden, created, created, m.user_id),
                )
            )
            through = Mentor.municipalities.through
            places += [(self.next_id(through), m.id, pk) for pk in m.municipality_ids]
        self.writer.write(Mentor, rows)
        self.writer.write(Mentor.municipalities.through, places)

    # Plans
    def _write_plans(self):
        w = self.writer
        w.write(
            Contract,
            [
                (
                    *(c.id, c.mentor.id, c.employer.id, c.plans[0].term.year_id),
                    *(c.term.id if c.term else None, c.number, c.signed_on),
                    # CON-5: the background check was done before signing, and by whom.
                    *(c.signed_on - DAY * (1 + c.id % 9), BACKGROUND_CHECKERS[c.id % 3]),
                    *(f"scale/ligumi/{c.id}.pdf", c.created_by, at(c.signed_on, 12)),
                    *(at(c.signed_on, 12), c.created_by),
                )
                for c in self.contracts
            ],
        )
        w.write(
            Learner,
            [
                (
                    *(x.id, x.institution.id, x.first_name, x.last_name, x.birth_date),
                    *(x.education, x.grade, x.course, x.created_by, x.created_at),
                    *(x.created_at, x.created_by),
                )
                for x in self.learners
            ],
        )
        w.write(Plan, [self._plan_row(p) for p in self.plans])
        risks, measures = [], []
        for p in self.plans:
            for risk in p.risks:
                description = "Ilgstoša slimība ģimenē" if risk == PlanRisk.Risk.OTHER else ""
                risks.append(
                    (self.next_id(PlanRisk), p.id, risk, description, p.created_at, p.preparer)
                )
            if p.id % 3 == 0:  # IAP-4: another support measure and its provider
                measures.append(
                    (
                        *(self.next_id(SupportMeasure), p.id, "subject_consultations"),
                        *("Matemātikas skolotāja", "Konsultācijas ceturtdienās"),
                        *(p.created_at, p.preparer),
                    )
                )
        w.write(PlanRisk, risks)
        w.write(SupportMeasure, measures)
        self._write_invitations()

    def _plan_status(self, p):
        """IAP-5, IAP-7, IAP-9: the plan's status now."""
        now = self.now
        if p.submitted_at is None or p.submitted_at > now:
            return Plan.Status.DRAFT
        if p.returned_at and p.returned_at <= now < p.resubmitted_at:
            return Plan.Status.RETURNED
        if p.approved_at > now:
            return Plan.Status.SUBMITTED
        if p.closed_at and p.closed_at <= now:
            return Plan.Status.CLOSED
        if p.terminated_at and p.terminated_at <= now:
            return Plan.Status.TERMINATED
        return Plan.Status.APPROVED

    def _plan_row(self, p):
        now = self.now
        status = self._plan_status(p)
        accepted = p.accepted_at <= now  # IAP-3: the plan has its mentor once they accept
        submitted = p.submitted_at if p.submitted_at and p.submitted_at <= now else None
        if p.resubmitted_at and p.resubmitted_at <= now:
            submitted = p.resubmitted_at
        # CON-6: the contract is attached after the acceptance, by the submission at latest.
        contract = p.contract.id if accepted and (submitted or p.id % 2) else None
        decided_by = decided_at = None
        return_reason = ""
        approvers = p.learner.institution.approvers  # IAP-5: the learner's school approves
        if p.approved_at and p.approved_at <= now:
            decided_by, decided_at = approvers[p.id % len(approvers)], p.approved_at
        elif p.returned_at and p.returned_at <= now:
            # Submitted again or not, the return stays on the plan until it is approved.
            decided_by, decided_at = approvers[p.id % len(approvers)], p.returned_at
            return_reason = PLAN_RETURN_REASONS[p.id % len(PLAN_RETURN_REASONS)]
        documents = submitted is not None or p.id % 3 == 0  # AGR-3: by the submission
        terminated = p.terminated_at is not None and p.terminated_at <= now
        closed = status == Plan.Status.CLOSED
        changed = p.hours_change and status != Plan.Status.DRAFT  # IAP-6
        return (
            *(p.id, p.learner.id, p.learner.institution.id, p.term.id, status, p.start_date),
            *(p.end_date, p.module),
            *(p.category, STRENGTHS[p.id % 4], INTERESTS[p.id % 4], DESIRED[p.id % 4]),
            *(p.monthly_hours, MEETING_TIMES[p.id % 3], p.mentor.id if accepted else None),
            *(contract, f"scale/iap/{p.id}-iesniegums.pdf" if documents else ""),
            *(AGREEMENT if documents else ("", "", "", "")),
            *(f"scale/iap/{p.id}-vienosanas.pdf" if documents else "", submitted),
            *(decided_by, decided_at, return_reason, HOURS_CHANGE_REASON if changed else ""),
            p.terminated_on if terminated else None,
            *(TERMINATION_REASONS[p.id % 3] if terminated else "", None, ""),
            *(p.closed_at if closed else None, p.preparer if closed else None, closed),
            *(p.preparer, p.created_at, p.created_at, p.preparer),
        )

    def _write_invitations(self):
        """IAP-3: the invitation each plan's mentor accepted (or has still to answer), and
        the few declined by another mentor before it."""
        now, rows = self.now, []
        for p in self.plans:
            if p.invited_at > now:
                continue
            if p.declined_by is not None:
                asked = p.created_at + datetime.timedelta(minutes=20)
                answered = p.invited_at - datetime.timedelta(minutes=10)
                rows.append(
                    (
                        *(self.next_id(Invitation), p.id, p.declined_by.id, "", "declined"),
                        *(
                            DECLINE_REASONS[p.id % 2],
                            p.preparer,
                            asked,
                            answered,
                            asked,
                            p.preparer,
                        ),
                    )
                )
            accepted = p.accepted_at <= now
            p.invitation_id = self.next_id(Invitation)
            status = Invitation.Status.ACCEPTED if accepted else Invitation.Status.PENDING
            rows.append(
                (
                    *(
                        p.invitation_id,
                        p.id,
                        p.mentor.id,
                        INVITATION_MESSAGE,
                        status,
                        "",
                        p.preparer,
                    ),
                    *(p.invited_at, p.accepted_at if accepted else None, p.invited_at, p.preparer),
                )
            )
        self.writer.write(Invitation, rows)

    # A semester's diaries
    def _write_semester(self, term, plans):
        r = self.rng("diary", term.year_name, term.number)
        by_mentor = defaultdict(list)
        for p in plans:
            if p.months:
                by_mentor[p.mentor.id].append(p)
        meetings = []
        for mentor_id, mentor_plans in by_mentor.items():
            schedule = self.rng("meetings", term.year_name, term.number, mentor_id)
            meetings.extend(self._schedule(mentor_plans, schedule))
        meetings.sort(key=lambda m: (m[0], m[1], m[3]))  # by creation, as ids go
        rows, hours, counts, first_created = [], defaultdict(int), defaultdict(int), {}
        for created, plan_id, *fields, user_id in meetings:
            rows.append((self.next_id(DiaryEntry), plan_id, *fields, created, created, user_id))
            key = (plan_id, month_start(fields[1]))
            hours[key] += fields[6]
            counts[key] += 1
            first_created.setdefault(key, created)
        self.writer.write(DiaryEntry, rows)
        months = self._write_months(plans, hours, counts, first_created)
        self._write_reads(term, months, r)
        self._write_emails(plans, months)

    def _schedule(self, plans, r):
        """CAP-3: one mentor's meetings of the semester: each plan's meetings of a month spread
        over its days in the month, each in a slot the mentor has free that day."""
        taken = set()  # (day, slot) of the mentor
        meetings = []
        for plan in plans:
            preferred = r.randrange(3)
            late = datetime.timedelta(minutes=15 * r.randint(0, 1))
            first = max(plan.start_date, local_date(plan.approved_at) + DAY)  # IAP-5
            last = min(plan.last_day, self.today - DAY)  # IAP-7; nothing from today on
            for spec in plan.months:
                if not spec.meetings:
                    continue
                since, until = max(first, spec.month), min(last, month_end(spec.month))
                window = [d for d in days_between(since, until) if d.weekday() < 6]
                if not window:
                    continue
                offset, days_used = r.random(), set()
                for n, hours in enumerate(spec.meetings):
                    index = int((n + offset) * len(window) / len(spec.meetings)) % len(window)
                    placed = _place(window, index, preferred, taken, days_used)
                    if placed is not None:  # else the month is full: the meeting is not held
                        meetings.append(self._meeting(plan, spec, *placed, late, hours, r))
        return meetings

    def _meeting(self, plan, spec, day, start, late, hours, r):
        """(created, plan id, the entry's fields..., the mentor's user id)."""
        starts_at = at(day, start.hour, start.minute) + late
        ends_at = starts_at + hours * ACADEMIC_HOUR  # DIA-4
        if r.random() < 0.4:  # DIA-3: planned at the start of the month
            planned = max(at(spec.month, 19), plan.approved_at + datetime.timedelta(hours=1))
            created = min(planned, starts_at - datetime.timedelta(hours=1))
        else:  # written after the meeting
            created = min(ends_at + datetime.timedelta(hours=r.randint(1, 30)), self.now)
        # DIA-2: the result is written after the meeting; some of this month's not yet.
        open_month = spec.confirmed_at is None or spec.confirmed_at > self.now
        result = "" if open_month and r.random() < 0.08 else r.choice(RESULTS)
        comment = r.choice(COMMENTS) if r.random() < 0.15 else ""
        return (
            *(created, plan.id, plan.mentor.id, day, *_local_times(starts_at, ends_at)),
            *(starts_at, ends_at, hours, r.choice(PLACES), r.choice(TOPICS), result, comment),
            *(plan.mentor.user_id,),
        )

    def _write_months(self, plans, hours, counts, first_created):
        """DIA-7, DIA-8, APR-1..3: the months' rows as the mentor and the approver left them.
        A month's row is made by its first entry, or by confirming an empty month."""
        now, made = self.now, []
        for p in plans:
            for spec in p.months:
                key = (p.id, spec.month)
                spec.hours, spec.entries = hours.get(key, 0), counts.get(key, 0)
                spec.confirmed = spec.confirmed_at is not None and spec.confirmed_at <= now
                if spec.confirmed or spec.entries:
                    made.append((first_created.get(key) or spec.confirmed_at, p.id, p, spec))
        made.sort(key=lambda m: m[:2])
        rows, written = [], []
        for created, _plan_id, p, spec in made:
            spec.id = self.next_id(DiaryMonth)
            row = self._month_row(p, spec)
            rows.append((*row, created, p.mentor.user_id))
            spec.status = row[3]
            written.append((p, spec))
            if spec.status == DiaryMonth.Status.APPROVED:
                self.paid_months.append((p, spec))
        self.writer.write(DiaryMonth, rows)
        return written

    def _month_row(self, p, spec):
        now = self.now
        approver = p.employer.approvers[spec.month.month % len(p.employer.approvers)]
        status, confirmed_at, decided_by, decided_at, reason = "open", None, None, None, ""
        if spec.confirmed:
            status, confirmed_at = DiaryMonth.Status.CONFIRMED, spec.confirmed_at
            if spec.first_decision <= now:
                decided_by, decided_at = approver, spec.first_decision
                if not spec.returned:
                    status = DiaryMonth.Status.APPROVED
                elif spec.approved_at <= now:
                    status, decided_at = DiaryMonth.Status.APPROVED, spec.approved_at
                elif spec.reconfirmed_at <= now:
                    # Confirmed again: the return's decision and reason stay until approved.
                    status, confirmed_at = DiaryMonth.Status.CONFIRMED, spec.reconfirmed_at
                    reason = spec.return_reason
                else:
                    status, reason = DiaryMonth.Status.RETURNED, spec.return_reason
        # The services store the hours when the month is confirmed; an open one keeps 0.
        hours = spec.hours if status != "open" else 0
        scan = f"scale/grafiki/{p.id}-{spec.month:%Y-%m}.pdf" if spec.confirmed and hours else ""
        return (
            *(spec.id, p.id, spec.month, status, hours, scan, confirmed_at, decided_by),
            *(decided_at, reason, ""),
        )

    # The access log
    def _write_reads(self, term, months, r):
        """ACC-1: about 1.5 logged reads per diary entry, by those who read diaries: the
        employer's approver (queue pages, the month's diary, the timesheet scan), the region's
        staff checking hours (APR-4, also while the month runs), the preparer printing the
        timesheet (TS-2)."""
        rows = []
        for p, spec in months:
            if spec.entries:
                rows.extend(self._reads(term, p, spec, r))
        rows.sort(key=lambda row: row[-1])
        self.writer.write(AccessLog, [(self.next_id(AccessLog), *row) for row in rows])

    def _reads(self, term, p, spec, r):
        now = self.now
        region_id = p.learner.institution.region_id
        plan = ("iap.plan", str(p.id), f"{p.learner.full_name} · {term.label}"[:255])
        month = ("diary.diarymonth", str(spec.id), f"{plan[2]} · {spec.month:%m.%Y}"[:255])
        staff = self.country.staff_by_region[region_id]
        approver = p.employer.approvers[0]
        subject = (p.id, p.mentor.id, p.mentor.full_name)
        if spec.status == "open":
            for _n in range(round(OPEN_MONTH_READS_PER_ENTRY * spec.entries * r.uniform(0.5, 1.5))):
                when = _between(r, at(spec.month, 8), now)
                user = r.choice(staff).id
                yield (user, Role.STAFF, "read_diary", *plan, *subject, spec.month, region_id, when)
            return
        decided = spec.approved_at if spec.approved_at <= now else now
        for _n in range(round(ACCESS_READS_PER_ENTRY * spec.entries * r.uniform(0.6, 1.4))):
            kind = r.random()
            if kind < 0.55:  # the approver's queue page shows the month
                action, obj, user, role = "approval_queue", month, approver, Role.APPROVER
            elif kind < 0.7:  # the approver opens the month's diary
                action, obj, user, role = "read_diary", plan, approver, Role.APPROVER
            elif kind < 0.8:  # the scan of the signed timesheet (TS-3)
                action, obj, user, role = "download", month, approver, Role.APPROVER
            elif kind < 0.95:  # staff check the hours against the diary (APR-4)
                action, obj, user, role = "read_diary", plan, r.choice(staff).id, Role.STAFF
            else:  # the preparer prints the timesheet (TS-2)
                action, obj, user, role = "print_timesheet", plan, p.preparer, Role.PREPARER
            if role == Role.APPROVER:
                when = _between(r, spec.confirmed_at, decided)
            elif role == Role.STAFF:
                when = _between(r, spec.confirmed_at, min(now, decided + 60 * DAY))
            else:
                when = _between(r, at(spec.month, 8), spec.confirmed_at)
            read_month = None if action == "print_timesheet" else spec.month
            yield (user, role, action, *obj, *subject, read_month, region_id, when)

    # E-mails
    def _write_emails(self, plans, months):
        """The notifications sent, once per event with the tasks' keys: invitations and their
        answers, plans returned, months confirmed (to the employer's approvers) and returned."""
        now, rows = self.now, []
        email = self.country.email_of
        for p in plans:
            region_id = p.learner.institution.region_id
            if p.invitation_id:
                school = p.learner.institution.name
                rows.append(
                    (
                        *(f"invitation:{p.invitation_id}:sent", email[p.mentor.user_id]),
                        *(_("Invitation to mentor a learner of %(school)s") % {"school": school},),
                        *(region_id, self._sent(p.invited_at)),
                    )
                )
                if p.accepted_at <= now:
                    subject = _("%(mentor)s accepted your invitation")
                    rows.append(
                        (
                            *(f"invitation:{p.invitation_id}:accepted", email[p.preparer]),
                            *(subject % {"mentor": p.mentor.full_name}, region_id),
                            self._sent(p.accepted_at),
                        )
                    )
            if p.returned_at and p.returned_at <= now:
                subject = _("The support plan of %(learner)s was returned for corrections")
                rows.append(
                    (
                        *(f"plan:{p.id}:returned:{p.returned_at.isoformat()}", email[p.preparer]),
                        *(subject % {"learner": p.learner.full_name}, region_id),
                        self._sent(p.returned_at),
                    )
                )
        for p, spec in months:
            if spec.status == "open":
                continue
            region_id = p.learner.institution.region_id
            month = date_format(spec.month, "F Y")
            for approver in p.employer.approvers:
                subject = _("%(mentor)s confirmed the hours of %(month)s") % {
                    "mentor": p.mentor.full_name,
                    "month": month,
                }
                key = f"diary-month:{spec.id}:confirmed:{spec.confirmed_at.isoformat()}"
                rows.append(
                    (
                        *(f"{key}:{approver}", email[approver], subject, region_id),
                        self._sent(spec.confirmed_at),
                    )
                )
            if spec.returned and spec.first_decision <= now:
                subject = _("Your diary of %(month)s was returned for corrections")
                rows.append(
                    (
                        *(f"diary-month:{spec.id}:returned:{spec.first_decision.isoformat()}",),
                        *(email[p.mentor.user_id], subject % {"month": month}, region_id),
                        self._sent(spec.first_decision),
                    )
                )
        self._write_sent(rows)

    def _sent(self, moment):
        """An e-mail leaves just after its event (after the commit), never after now."""
        return min(moment + MINUTE, self.now)

    def _write_sent(self, rows):
        rows.sort(key=lambda row: row[-1])
        self.writer.write(SentEmail, [(self.next_id(SentEmail), *row) for row in rows])

    # Evaluations
    def _write_evaluations(self):
        """EVA-1..6, IAP-8: the evaluations started by now (drafts, or submitted with all five
        answers), the decisions recorded ("continue" names the next semester's plan) and the
        e-mails of both."""
        now, r = self.now, self.rng("evaluations")
        email = self.country.email_of
        evaluations, decisions, mails, reads = [], [], [], []
        started = sorted(
            (p for p in self.plans if p.evaluation_started and p.evaluation_started <= now),
            key=lambda p: (p.evaluation_started, p.id),
        )
        for p in started:
            evaluation_id = self.next_id(Evaluation)
            submitted = p.evaluation_submitted if p.evaluation_submitted <= now else None
            terminated = p.terminated_at is not None and p.terminated_at <= now
            answers, saved = ("",) * 9, None
            if submitted or r.random() < 0.5:  # a draft saved, or the submitted answers
                closed = [weighted(r, ANSWER_WEIGHTS) for _n in range(3)]
                comments = [r.choice(ANSWER_COMMENTS) if a != "yes" else "" for a in closed]
                answers = (
                    *(closed[0], comments[0], closed[1], comments[1], closed[2], comments[2]),
                    *EVALUATION_TEXTS,
                    *(TERMINATION_REASONS[p.id % 3] if terminated else "",),  # EVA-4
                )
                saved = submitted or _between(r, p.evaluation_started, now)
            evaluations.append(
                (
                    *(evaluation_id, p.id, p.mentor.id, p.preparer, p.evaluation_started, *answers),
                    *(saved, submitted, p.evaluation_started, p.preparer),
                )
            )
            region_id = p.learner.institution.region_id
            learner = {"l": p.learner.full_name}
            mails.append(
                (
                    *(f"evaluation:{evaluation_id}:started", email[p.mentor.user_id]),
                    *(_("Evaluate the mentoring of %(l)s") % learner, region_id),
                    self._sent(p.evaluation_started),
                )
            )
            if not submitted:
                continue
            mails.append(
                (
                    *(f"evaluation:{evaluation_id}:submitted", email[p.preparer]),
                    *(_("The mentor has evaluated the mentoring of %(l)s") % learner, region_id),
                    self._sent(submitted),
                )
            )
            reads.extend(self._evaluation_reads(p, evaluation_id, submitted, r))
            if p.decided_at <= now:  # EVA-5
                outcome = "continue" if p.next_plan else "end"
                decisions.append(
                    (
                        *(self.next_id(Decision), p.id, outcome),
                        *(p.next_plan.id if p.next_plan else None, p.preparer, p.decided_at),
                        *(p.decided_at, p.preparer),
                    )
                )
        self.writer.write(Evaluation, evaluations)
        self.writer.write(Decision, decisions)
        self._write_sent(mails)
        reads.sort(key=lambda row: row[-1])
        self.writer.write(AccessLog, [(self.next_id(AccessLog), *row) for row in reads])

    def _evaluation_reads(self, p, evaluation_id, submitted, r):
        """ACC-1: the preparer reads the submitted evaluation, and now and then the region's
        staff."""
        region_id = p.learner.institution.region_id
        subject = (
            *("evaluation.evaluation", str(evaluation_id)),
            f"{p.learner.full_name} · {p.term.label} · {p.mentor.full_name}"[:255],
            *(p.id, p.mentor.id, p.mentor.full_name, None, region_id),
        )
        readers = [(p.preparer, Role.PREPARER)] * r.randint(1, 2)
        if r.random() < 0.3:
            readers.append((r.choice(self.country.staff_by_region[region_id]).id, Role.STAFF))
        until = min(self.now, submitted + 30 * DAY)
        for user, role in readers:
            yield (user, role, "read_evaluation", *subject, _between(r, submitted, until))

    # Pay
    def _write_payroll(self):
        """PAY-2: a rate a year, its parts adding up to it (the last still in force)."""
        first_year = min((t.start.year for t, _p in self.semesters), default=self.today.year)
        rows, self.rates = [], {}
        for year in range(first_year, self.today.year + 1):
            salary = (Decimal("10.70") * Decimal("1.04") ** (year - 2026)).quantize(CENT)
            holiday = (salary * Decimal("0.087")).quantize(CENT, ROUND_HALF_UP)
            social = ((salary + holiday) * Decimal("0.2359")).quantize(CENT, ROUND_HALF_UP)
            amount = salary + holiday + social
            rate_id = self.next_id(Rate)
            self.rates[year] = (rate_id, amount)
            valid_to = None if year == self.today.year else datetime.date(year, 12, 31)
            basis = f"{SYNTHETIC} (seed_scale): vienības izmaksu standarta likme, {year}. gads"
            rows.append(
                (
                    *(rate_id, datetime.date(year, 1, 1), valid_to, amount, basis, salary, holiday),
                    *(social, at(datetime.date(year, 1, 1), 8) - 30 * DAY, None),
                )
            )
        self.writer.write(Rate, rows)
        self._write_runs()

    def _write_runs(self):
        """PAY-3, PAY-6: each employer's month closed by its approver a few days after its
        approval day, paying the approved months not paid yet: the month's own and, as
        corrections, earlier ones approved since. A month's hours are paid at the rate of
        its first day."""
        r = self.rng("payroll")
        approved = defaultdict(list)  # employer id -> its approved months
        active = defaultdict(set)  # employer id -> the months its contracts had plans in
        for p, spec in self.paid_months:
            approved[p.contract.employer.id].append((p, spec))
        for p in self.plans:
            if p.contract is not None:
                active[p.contract.employer.id].update(spec.month for spec in p.months)
        institutions = {i.id: i for i in self.country.institutions}
        runs, lines = [], []
        for employer_id in sorted(active):
            employer = institutions[employer_id]
            closer = employer.approvers[0]  # the employer's approver closes its months
            queue = sorted(approved[employer_id], key=lambda ps: (ps[1].approved_at, ps[1].id))
            queue.reverse()  # popped from the end: the earliest approval first
            pending = []  # approved, not paid yet
            month = min(active[employer_id])
            while month < month_start(self.today):  # PAY-1: a month that is over
                closes = after(r, at(employer.deadline(month), 9), 1, 10)
                if closes > self.now:
                    break
                while queue and queue[-1][1].approved_at <= closes:
                    pending.append(queue.pop())
                due = [ps for ps in pending if ps[1].month <= month and ps[1].hours]
                pending = [ps for ps in pending if ps[1].month > month]
                if due or month in active[employer_id]:
                    run_id = self.next_id(PayrollRun)
                    paid = [self._line(run_id, p, spec, closes, closer) for p, spec in due]
                    lines.extend(paid)
                    total = sum((line[13] for line in paid), Decimal("0.00"))
                    hours = sum(line[10] for line in paid)
                    runs.append((run_id, employer_id, month, closes, closer, hours, total))
                    runs[-1] += (closes, closer)
                month = next_month_start(month)
        self.writer.write(PayrollRun, runs)
        self.writer.write(PayrollLine, lines)

    def _line(self, run_id, p, spec, closes, closer):
        rate_id, rate = self.rates[spec.month.year]
        label = str(contract_label(p.contract.number, p.contract.signed_on))[:120]
        return (
            *(self.next_id(PayrollLine), run_id, spec.id, spec.month, p.id, p.mentor.id),
            *(p.mentor.full_name, p.mentor.certificate, p.contract.id, label, spec.hours),
            *(rate_id, rate, to_cents(spec.hours * rate), closes, closer),
        )

    # Supervision
    def _write_supervision(self):
        """SUP-1: per region, semester and target group enough sessions on weekday mornings
        (when no meeting is held) for each of its mentors of that semester to be offered
        about one, and at least three, with sign-ups, a few cancelled, attendance marked by
        staff after the session."""
        r = self.rng("supervision")
        sessions, signups = [], []
        for term, plans in reversed(self.semesters):
            groups = defaultdict(set)
            for p in plans:
                if p.approved_at and p.approved_at <= self.now:
                    group = "vocational" if p.learner.education == "vocational" else "general"
                    groups[(p.mentor.region_id, group)].add(p.mentor)
            weeks = max((term.end - term.start).days // 7, 4)
            for (region_id, group), mentors in sorted(groups.items(), key=lambda kv: kv[0]):
                mentors = sorted(mentors, key=lambda m: m.id)
                staff = self.country.staff_by_region[region_id][0].id
                count = max(3, -(-len(mentors) // MENTORS_PER_SESSION))
                for n in range(count):
                    week = (n + 1) * weeks // (count + 1)
                    day = first_weekday_on_or_after(term.start + 7 * DAY * week, 1 + n % 3)
                    session = self._session(r, day, region_id, group, mentors, staff, n)
                    if session is not None:
                        sessions.append(session[0])
                        signups.extend(session[1])
        self.writer.write(Session, sessions)
        self.writer.write(Signup, signups)

    def _session(self, r, day, region_id, group, mentors, staff, n):
        now = self.now
        created = during_day(r, day - DAY * r.randint(20, 40))
        if created > now:
            return None
        starts_at = at(day, SESSION_START.hour, SESSION_START.minute)
        ends_at = starts_at + datetime.timedelta(minutes=SESSION_MINUTES)
        capacity = r.choice([12, 15, 20, 25, 30])
        session_id = self.next_id(Session)
        chosen = r.sample(mentors, min(len(mentors), r.randint(capacity // 2, capacity)))
        signups, signed_up = [], 0
        closes = min(now, starts_at - DAY)  # sign-ups until the day before
        for mentor in chosen:
            signed = _between(r, created, closes)
            if signed <= created:
                continue
            cancelled = _between(r, signed, closes) if r.random() < 0.1 else None
            attended = marked = marked_by = None
            if cancelled is None:
                signed_up += 1  # the sessions' count of places taken
                if ends_at + DAY <= now:
                    attended, marked_by = r.random() < 0.85, staff
                    marked = min(after(r, ends_at, 0, 2), now)
            signups.append(
                (
                    *(self.next_id(Signup), session_id, mentor.id, signed, cancelled, attended),
                    *(marked_by, marked, signed, mentor.user_id),
                )
            )
        place = f"Reģiona mācību centrs, {r.randint(1, 40)}. telpa"
        session = (
            *(session_id, day, SESSION_START, SESSION_MINUTES, starts_at, ends_at, place),
            *(region_id, group, capacity, SUPERVISORS[n % 3], signed_up, staff, created),
            *(created, staff),
        )
        return session, signups


@contextmanager
def timed(report, label, rows=None):
    """Report how long the block took (and the rows it wrote: `rows()` after it), one line of
    the command's progress."""
    start = time.perf_counter()
    yield
    line = f"  {label:<60} {time.perf_counter() - start:6.1f} s"
    report(f"{line} {rows():>11,} rows" if rows else line)


def _place(window, start_index, preferred, taken, days_used):
    """The first day from `start_index` on with a free slot of the mentor's (the preferred
    one first), never two meetings with the learner on one day; marks it taken."""
    for step in range(len(window)):
        day = window[(start_index + step) % len(window)]
        if day in days_used:
            continue
        slots = SATURDAY_SLOTS if day.weekday() == 5 else WEEKDAY_SLOTS
        for k in range(len(slots)):
            slot = (preferred + k) % len(slots)
            if (day, slot) not in taken:
                taken.add((day, slot))
                days_used.add(day)
                return day, slots[slot]
    return None


def _local_times(*moments):
    return tuple(moment.astimezone(ZONE).time() for moment in moments)


def _between(r, start, end):
    """A moment between `start` and `end` (`start` if the span is empty)."""
    if end <= start:
        return start
    return start + datetime.timedelta(seconds=r.uniform(0, (end - start).total_seconds()))


# --- Before seeding: is this a database to fill? ---------------------------------------------

SEED_EMAIL_SUFFIX = f"@{accounts.DOMAIN}"
DOMAIN_MODELS = [Institution, Mentor, Contract, Learner, Plan, DiaryEntry, DiaryMonth]


def refusal():
    """Why this database must not be seeded (None: it may). A user outside the seed's domain
    means real data; so do domain rows without any seed account."""
    outsiders = User.objects.exclude(email__iendswith=SEED_EMAIL_SUFFIX)
    if outsiders.exists():
        example = outsiders.order_by("pk").values_list("email", flat=True).first()
        return (
            f"This database holds real data: {outsiders.count():,} user(s) outside "
            f"{SEED_EMAIL_SUFFIX} (e.g. {example}). seed_scale empties the tables it fills, so "
            "it runs only on a database that is empty or that it seeded before: point "
            "DATABASE_URL at a scratch database."
        )
    if not was_seeded():
        for model in DOMAIN_MODELS:
            if model.objects.exists():
                return (
                    f"This database holds real data: {model._meta.label} rows but no "
                    "seed account. seed_scale runs only on a database that is empty or that it "
                    "seeded before: point DATABASE_URL at a scratch database."
                )
    return None


def was_seeded():
    return User.objects.filter(email__iendswith=SEED_EMAIL_SUFFIX).exists()


# The apps whose every table the seed empties (and fills); of the schools app only the
# institutions: the regions, municipalities and reference calendars come with the migrations.
EMPTIED_APPS = {
    "accounts", "mentors", "iap", "diary", "timesheets", "payroll", "evaluation", "supervision",
    "notifications", "account", "mfa", "guardian", "sessions", "admin",
}  # fmt: skip
EMPTIED_SCHOOL_MODELS = {
    "Institution", "HistoricalInstitution", "InstitutionSemester", "HistoricalInstitutionSemester",
}  # fmt: skip


def emptied_tables():
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_label in EMPTIED_APPS or (
            meta.app_label == "schools" and meta.object_name in EMPTIED_SCHOOL_MODELS
        ):
            tables.add(meta.db_table)
    return sorted(tables)


def empty(cursor):
    """TRUNCATE the tables an earlier seed filled (history, access log and sessions
    included), and delete its synthetic school years."""
    tables = sql.SQL(", ").join(map(sql.Identifier, emptied_tables()))
    cursor.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(tables))
    synthetic = [f"{SYNTHETIC}%"]
    cursor.execute(
        "DELETE FROM schools_schoolbreak WHERE school_year_id IN "
        "(SELECT id FROM schools_schoolyear WHERE source LIKE %s)",
        synthetic,
    )
    cursor.execute(
        "DELETE FROM schools_semester WHERE school_year_id IN "
        "(SELECT id FROM schools_schoolyear WHERE source LIKE %s)",
        synthetic,
    )
    cursor.execute("DELETE FROM schools_schoolyear WHERE source LIKE %s", synthetic)

"""The overview's figures, for the regions and the period it shows.

Each figure is one query that the database groups per region (and month, status...); what
Python adds up afterwards are those few grouped rows, never the plans or the meetings.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from diary.models import DiaryMonth, months_from
from evaluation.models import CLOSED_QUESTIONS, Answer, Evaluation
from iap.models import RAN_STATUSES, Plan, PlanRisk, last_mentoring_day, running_in
from mentors.models import MAX_LEARNERS_PER_SEMESTER, Mentor
from mentors.selectors import learner_count, mentors_with_load
from payroll.models import PayrollLine
from skola_kopiena.collation import latvian
from skola_kopiena.schools.models import Municipality, Semester, hours_approval_deadline

# The region of a plan is its school's: read from the plan's own copy of it, not through the
# learners (Plan.institution says why).
PLAN_REGION = "institution__municipality__region_id"
# That of a row of the plan (its risks, months, evaluations, payroll lines).
ROW_REGION = f"plan__{PLAN_REGION}"


# --- The period shown -----------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A school year or one of its semesters, as `?periods=` names it."""

    value: str  # "gads-<id>" or "semestris-<id>"
    label: str
    semesters: tuple  # oldest first
    start: datetime.date
    end: datetime.date  # the last day of mentoring (CAL-2: the latest grade's; CAL-4: summer)

    @property
    def semester_ids(self):
        return [semester.pk for semester in self.semesters]

    def semester_on(self, today):
        """The semester whose mentors, load and free places are shown: the period's one under
        way or next to start, or its last once it is over."""
        return under_way_or_next(self.semesters, today) or self.semesters[-1]

    @property
    def months(self):
        return list(months_from(self.start, self.end))


@dataclass(frozen=True)
class PeriodChoice:
    options: list  # newest school year first, each followed by its semesters
    chosen: Period
    current: object  # the semester under way or next to start (the registry's load), or None


def under_way_or_next(semesters, today):
    """Of `semesters` (oldest first), the one under way on `today` for some grade, or else the
    next to start: `schools.calendar.current_semester`'s choice, among rows already read."""
    return next((s for s in semesters if s.latest_end_date >= today), None)


def period_choice(value, today):
    """The periods to choose from (one query) and the one `value` names; by default the
    semester under way, else the next to start, else the last one."""
    semesters = list(Semester.objects.select_related("school_year").order_by("start_date"))
    by_year = defaultdict(list)
    for semester in semesters:
        by_year[semester.school_year].append(semester)
    options = []
    for year, its in sorted(by_year.items(), key=lambda item: item[0].start_date, reverse=True):
        options.append(
            Period(
                f"gads-{year.pk}",
                _("School year %(year)s") % {"year": year},
                tuple(its),
                year.start_date,
                year.end_date,
            )
        )
        options.extend(
            Period(f"semestris-{s.pk}", str(s), (s,), s.start_date, s.latest_end_date) for s in its
        )
    chosen = next((period for period in options if period.value == value), None)
    if chosen is None:
        semester_periods = [period for period in options if period.value.startswith("semestris")]
        chosen = (
            next((p for p in semester_periods if p.start <= today <= p.end), None)
            or min(
                (p for p in semester_periods if p.start > today),
                key=lambda p: p.start,
                default=None,
            )
            or max(semester_periods, key=lambda p: p.start, default=None)
        )
    return PeriodChoice(options, chosen, under_way_or_next(semesters, today))


# --- Figures ----------------------------------------------------------------------------------


def of_regions(region_ids, path=PLAN_REGION):
    """The rows whose region (at `path`: a plan's by default) is one of `region_ids`; None:
    of every region."""
    return Q() if region_ids is None else Q(**{f"{path}__in": region_ids})


def plan_counts(region_ids, period):
    """Plans by region, status, module and module I category: {(region, status, module,
    category): n}."""
    rows = (
        Plan.objects.filter(of_regions(region_ids), semester_id__in=period.semester_ids)
        .values("status", "module", "category", region=F(PLAN_REGION))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["region"], r["status"], r["module"], r["category"]): r["n"] for r in rows}


def risk_counts(region_ids, period):
    """ELIG-4: the module II risks of the plans, by region: {(region, risk): n}."""
    rows = (
        PlanRisk.objects.filter(
            of_regions(region_ids, ROW_REGION), plan__semester_id__in=period.semester_ids
        )
        .values("risk", region=F(ROW_REGION))
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["region"], r["risk"]): r["n"] for r in rows}


def mentoring_in_period(region_ids, period):
    """Per region, of the plans under which mentoring ran: the learners supported, the
    mentors who supported them, and per month the hours the plans planned (their monthly
    hours, in each month of their period up to a termination, IAP-7)."""
    plans = Plan.objects.filter(
        of_regions(region_ids), semester_id__in=period.semester_ids, status__in=RAN_STATUSES
    )
    planned = {
        f"planned_{month:%Y_%m}": Coalesce(Sum("monthly_hours", filter=running_in(month)), 0)
        for month in period.months
    }
    rows = (
        plans.alias(last_day=last_mentoring_day())
        .values(region=F(PLAN_REGION))
        .annotate(
            learners=Count("learner", distinct=True),
            mentors=Count("mentor", distinct=True),
            **planned,
        )
        .order_by()
    )
    return {
        row["region"]: {
            "learners": row["learners"],
            "mentors": row["mentors"],
            "planned": {month: row[f"planned_{month:%Y_%m}"] for month in period.months},
        }
        for row in rows
    }


def mentor_load(region_ids, semester):
    """CAP-1: how many of the regions' mentors (by their registry region) support 1, 2, …
    6 learners in `semester`: {(region, learners): mentors}."""
    rows = (
        mentors_with_load(
            Mentor.objects.filter(of_regions(region_ids, "region_id")),
            semester,
        )
        .filter(learner_count__gt=0)
        .values("region_id", "learner_count")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["region_id"], r["learner_count"]): r["n"] for r in rows}


def month_hours(region_ids, period):
    """Per region and month, the diary months' hours the mentors confirmed (approved ones
    included) and those the employers approved: {(region, month): (confirmed, approved)}."""
    counted = [DiaryMonth.Status.CONFIRMED, DiaryMonth.Status.APPROVED]
    rows = (
        # The plans of the period, then their months. No filter on the month: a month beyond
        # the period (a summer extension, CAL-4) is not shown, and without one the database
        # starts from the period's plans instead of every diary month of those dates.
        DiaryMonth.objects.filter(
            of_regions(region_ids, ROW_REGION), plan__semester_id__in=period.semester_ids
        )
        .values("month", region=F(ROW_REGION))
        .annotate(
            confirmed=Coalesce(Sum("hours", filter=Q(status__in=counted)), 0),
            approved=Coalesce(Sum("hours", filter=Q(status=DiaryMonth.Status.APPROVED)), 0),
        )
        .order_by()
    )
    return {(r["region"], r["month"]): (r["confirmed"], r["approved"]) for r in rows}


def paid_hours(region_ids, period):
    """PAY-6: per region and month of the hours, the hours in closed payroll runs (correction
    lines under the month they belong to): {(region, month): hours}."""
    rows = (
        # As `month_hours`: the period's plans, their lines of any month.
        PayrollLine.objects.filter(
            of_regions(region_ids, ROW_REGION), plan__semester_id__in=period.semester_ids
        )
        .values("month", region=F(ROW_REGION))
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    return {(r["region"], r["month"]): r["hours"] for r in rows}


@dataclass(frozen=True)
class EmployerWaiting:
    employer_id: int
    name: str
    waiting: int
    oldest: datetime.date
    deadline: datetime.date
    days_late: int


def months_waiting_by_employer(region_ids, today):
    """APR-1, APR-2: the employers with months waiting for approval, each with its oldest
    month's deadline and how many days it is late; the latest first."""
    rows = (
        DiaryMonth.objects.filter(
            of_regions(region_ids, ROW_REGION), status=DiaryMonth.Status.CONFIRMED
        )
        .values(
            employer_id=F("plan__contract__employer_id"),
            name=F("plan__contract__employer__name"),
            day=F("plan__contract__employer__hours_approval_day"),
        )
        .annotate(waiting=Count("pk"), oldest=Min("month"))
        .order_by()
    )
    employers = []
    for row in rows:
        deadline = hours_approval_deadline(row["oldest"], row["day"])
        employers.append(
            EmployerWaiting(
                row["employer_id"],
                row["name"],
                row["waiting"],
                row["oldest"],
                deadline,
                max((today - deadline).days, 0),
            )
        )
    employers.sort(key=lambda e: (-e.days_late, -e.waiting, e.name))
    return employers


def submitted_in(period):
    """The submitted evaluations that may be of the period's plans. EVA-6: an evaluation is
    submitted after its plan's last day or its termination, so none of the period's before
    the period began; the bound lets the database read only the evaluations since then, not
    every year's."""
    began = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time()))
    return Q(submitted_at__gte=began)


def evaluation_answers(region_ids, period):
    """EVA-3: the submitted evaluations' answers to the three closed questions, by region:
    {(region, question, answer): n}."""
    counts = {
        f"{question}__{answer}": Count("pk", filter=Q(**{question: answer}))
        for question, _comment in CLOSED_QUESTIONS
        for answer in Answer.values
    }
    rows = (
        Evaluation.objects.filter(
            of_regions(region_ids, ROW_REGION),
            submitted_in(period),
            plan__semester_id__in=period.semester_ids,
        )
        .values(region=F(ROW_REGION))
        .annotate(**counts)
        .order_by()
    )
    return {
        (row["region"], *key.split("__")): n
        for row in rows
        for key, n in row.items()
        if key != "region"
    }


def plans_with_answer(region_ids, period, question, answer):
    """EVA-3: the plans behind an answer of the overview's evaluations: those of the period
    whose submitted evaluation answered `question` with `answer`, in name order."""
    answered = Evaluation.objects.filter(
        submitted_in(period), plan=OuterRef("pk"), **{question: answer}
    )
    return (
        Plan.objects.filter(
            of_regions(region_ids), Exists(answered), semester_id__in=period.semester_ids
        )
        .select_related("learner__institution", "mentor", "semester__school_year")
        .order_by(latvian("learner__last_name"), latvian("learner__first_name"), "pk")
    )


def supply_and_demand(region_ids, semester):
    """REG-1, CAP-1: per municipality of the regions, the mentors ready to work there (in the
    search, REG-2), their free places in `semester` (six learners each, less those they
    have, wherever), and the plans there still without a mentor."""
    # One pass over the municipalities' mentors, grouped, rather than a count per
    # municipality that reads the registry again each time.
    ready = Q(mentors__is_available=True, mentors__hidden_from_search=False)
    load = learner_count(semester, mentor_column="mentors")
    free = Greatest(Value(MAX_LEARNERS_PER_SEMESTER) - load, 0)
    without_mentor = (
        Plan.objects.filter(
            semester=semester,
            mentor__isnull=True,
            status=Plan.Status.DRAFT,
            institution__municipality=OuterRef("pk"),
        )
        .order_by()
        .values("institution__municipality")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Municipality.objects.filter(of_regions(region_ids, "region_id"))
        .select_related("region")
        .annotate(
            ready_mentors=Count("mentors", filter=ready),
            free_places=Coalesce(Sum(free, filter=ready), 0),
            without_mentor=Coalesce(Subquery(without_mentor), 0),
        )
        .order_by(latvian("region__name"), latvian("name"))
    )

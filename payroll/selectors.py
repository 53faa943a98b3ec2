"""Reads of pay (PAY): whether a month is payable and why not, what a payroll run holds, and
a mentor's own pay. Sums are made by the database; names are sorted the Latvian way."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from diary.models import DiaryEntry, DiaryMonth, month_start, months_from, next_month_start
from iap.models import RAN_STATUSES, Plan
from skola_kopiena.collation import latvian, sort_key

from .models import PayrollLine, PayrollRun, Rate, to_cents


class RateTable:
    """PAY-2, PAY-6: every rate, read once; a month is paid at the rate of its first day."""

    def __init__(self):
        self.rates = list(Rate.objects.order_by("valid_from"))

    def for_month(self, month):
        return next((rate for rate in self.rates if rate.is_in_force_on(month)), None)


def previous_month(today=None):
    """PAY-1: pay is computed monthly for the previous month."""
    today = today or timezone.localdate()
    return month_start(month_start(today) - datetime.timedelta(days=1))


def is_over(month, today=None):
    return month < month_start(today or timezone.localdate())


@dataclass
class MonthPay:
    """One month of one plan's diary as pay sees it (PAY-1, PAY-5)."""

    plan: Plan
    month: datetime.date
    record: DiaryMonth | None
    hours: int
    rate: Rate | None = None
    payable: bool = False
    reason: str = ""
    paid_in: list = field(default_factory=list)  # the months of the runs that paid it

    @property
    def amount(self):
        return to_cents(self.hours * self.rate.amount) if self.payable else None

    @property
    def employer(self):
        return self.plan.contract.employer if self.plan.contract_id else None


def _reason(month_pay, own, today):
    """PAY-1: why a month is not payable, in words (empty: it is)."""
    record = month_pay.record
    status = record.status if record else DiaryMonth.Status.OPEN
    if status == DiaryMonth.Status.APPROVED:
        if month_pay.rate is None:
            return _("no rate is in force on %(day)s") % {"day": date_format(month_pay.month)}
        return ""
    if status == DiaryMonth.Status.CONFIRMED:
        employer = month_pay.employer
        deadline = employer.hours_approval_deadline(month_pay.month) if employer else None
        return _("waiting for the approver since %(since)s (deadline %(deadline)s)") % {
            "since": date_format(timezone.localdate(record.confirmed_at)),
            "deadline": date_format(deadline, "d.m.") if deadline else "—",
        }
    if status == DiaryMonth.Status.RETURNED:
        return _("returned: %(reason)s") % {"reason": record.return_reason}
    if not is_over(month_pay.month, today):
        return _("the month is not over yet")
    reasons = []
    if month_pay.hours and not (record and record.timesheet_scan):
        reasons.append(_("the scan is missing"))  # TS-3
    reasons.append(
        _("waiting for your confirmation") if own else _("waiting for the mentor's confirmation")
    )
    return "; ".join(reasons)


def plan_month_pay(plans, first_month, last_month, *, own=False, today=None, rates=None):
    """PAY-1, PAY-5: every month of `plans` from `first_month` to `last_month` within each
    plan's period (after a termination only its months up to it, PAY-4), payable or with
    its reason, the rate and the runs that paid it. Four queries whatever the number of plans:
    the stored months, the open months' hours, the payroll lines and the rates."""
    today = today or timezone.localdate()
    plans = list(plans)
    ids = [plan.pk for plan in plans]
    window = Q(plan_id__in=ids, month__gte=first_month, month__lte=last_month)
    records = {(m.plan_id, m.month): m for m in DiaryMonth.objects.filter(window)}
    # Summed per plan and month by the database: one row per plan-month, not per meeting.
    entries = DiaryEntry.objects.filter(
        plan_id__in=ids, date__gte=first_month, date__lt=next_month_start(last_month)
    )
    open_hours = defaultdict(int)
    for plan_id, month, hours in (
        entries.annotate(month=TruncMonth("date"))
        .order_by()
        .values("plan_id", "month")
        .annotate(hours=Sum("hours"))
        .values_list("plan_id", "month", "hours")
    ):
        open_hours[(plan_id, month)] = hours
    paid_in = defaultdict(list)
    # The same window joined, not a list of every month's id sent as parameters.
    paid = PayrollLine.objects.filter(
        diary_month__plan_id__in=ids,
        diary_month__month__gte=first_month,
        diary_month__month__lte=last_month,
    )
    for diary_month_id, run_month in paid.order_by("run__month").values_list(
        "diary_month_id", "run__month"
    ):
        paid_in[diary_month_id].append(run_month)
    rates = rates or RateTable()
    result = []
    for plan in plans:
        for month in _plan_months(plan, first_month, last_month):
            record = records.get((plan.pk, month))
            # A confirmed or approved month's hours are the ones confirmed; an open or
            # returned month's are the diary's as it stands.
            counted = record and record.is_locked_for_mentor
            pay = MonthPay(
                plan=plan,
                month=month,
                record=record,
                hours=record.hours if counted else open_hours[(plan.pk, month)],
                rate=rates.for_month(month),
                paid_in=paid_in[record.pk] if record else [],
            )
            pay.reason = _reason(pay, own, today)
            pay.payable = not pay.reason
            result.append(pay)
    return result


def _plan_months(plan, first_month, last_month):
    """The months of the plan's period (up to a termination, PAY-4) between the two."""
    return months_from(
        max(month_start(plan.start_date), first_month),
        min(month_start(plan.last_mentoring_day), last_month),
    )


# --- The mentor's own pay (PAY-5) --------------------------------------------------------


def own_pay(mentor, semester, today=None):
    """PAY-5: the mentor's months of `semester` per month and employer, and its totals."""
    plans = (
        Plan.objects.filter(
            mentor=mentor,
            semester=semester,
            status__in=RAN_STATUSES,
        )
        .select_related("learner", "contract__employer")
        .order_by("start_date", "pk")
    )
    last = month_start(max((p.last_mentoring_day for p in plans), default=semester.start_date))
    months = plan_month_pay(plans, month_start(semester.start_date), last, own=True, today=today)
    groups = defaultdict(list)
    for pay in months:
        groups[(pay.month, pay.employer)].append(pay)
    rows = [
        {"month": month, "employer": employer, "months": sorted(items, key=_by_learner)}
        for (month, employer), items in sorted(
            groups.items(), key=lambda item: (item[0][0], sort_key(str(item[0][1])))
        )
    ]
    payable = [pay for pay in months if pay.payable]
    return {
        "rows": rows,
        "hours": sum(pay.hours for pay in payable),
        "amount": sum((pay.amount for pay in payable), Decimal("0.00")),
        # Months held up, not those still going on.
        "waiting": sum(1 for pay in months if not pay.payable and is_over(pay.month, today)),
    }


def _by_learner(pay):
    return sort_key(pay.plan.learner.full_name)


# --- An employer's payroll (PAY-3, PAY-6) ------------------------------------------------


@dataclass
class Line:
    """A payroll line before (or as) it is frozen in a run."""

    employer_id: int
    diary_month_id: int
    month: datetime.date
    plan_id: int
    mentor_id: int
    mentor_name: str
    certificate_number: str
    contract_id: int
    contract_label: str
    hours: int
    rate: Rate | None
    run_month: datetime.date

    @property
    def amount(self):
        return to_cents(self.hours * self.rate.amount) if self.rate else None

    @property
    def is_correction(self):
        return self.month != self.run_month


def contract_label(number, signed_on):
    return number or _("of %(date)s") % {"date": date_format(signed_on)}


def owed_lines(employer_ids, month, rates=None):
    """PAY-1, PAY-3, PAY-6: what closing `month` would pay each employer now: every approved
    month of its contracts up to `month` with hours not yet paid in a closed run. Months
    before `month` are corrections; a month approved again with other hours after it was
    paid is corrected by the difference. One query for the months, one for the rates."""
    # The paid hours are summed by a join and GROUP BY, and the months' default order is
    # dropped: a subquery per month made PostgreSQL's plan (and its JIT) grow with every
    # month ever paid (`manage.py bench_payroll --paid-months 9`).
    rows = (
        DiaryMonth.objects.filter(
            status=DiaryMonth.Status.APPROVED,
            month__lte=month,
            plan__contract__employer_id__in=employer_ids,
        )
        .order_by()
        .values(
            "pk",
            "month",
            "plan_id",
            "plan__mentor_id",
            "plan__mentor__first_name",
            "plan__mentor__last_name",
            "plan__mentor__certificate_number",
            "plan__contract_id",
            "plan__contract__employer_id",
            "plan__contract__contract_number",
            "plan__contract__signed_on",
        )
        .annotate(owed=F("hours") - Coalesce(Sum("payroll_lines__hours"), Value(0)))
        .exclude(owed=0)
    )
    rates = rates or RateTable()
    lines = [
        Line(
            employer_id=row["plan__contract__employer_id"],
            diary_month_id=row["pk"],
            month=row["month"],
            plan_id=row["plan_id"],
            mentor_id=row["plan__mentor_id"],
            mentor_name=f"{row['plan__mentor__first_name']} {row['plan__mentor__last_name']}",
            certificate_number=row["plan__mentor__certificate_number"],
            contract_id=row["plan__contract_id"],
            contract_label=contract_label(
                row["plan__contract__contract_number"], row["plan__contract__signed_on"]
            ),
            hours=row["owed"],
            rate=rates.for_month(row["month"]),
            run_month=month,
        )
        for row in rows
    ]
    lines.sort(
        key=lambda line: (sort_key(line.mentor_name), line.mentor_id, line.month, line.plan_id)
    )
    return lines


def by_mentor(lines):
    """The lines grouped per mentor, with each mentor's hours and amount."""
    groups = {}
    for line in lines:
        group = groups.setdefault(
            line.mentor_id,
            {
                "name": line.mentor_name,
                "certificate_number": line.certificate_number,
                "lines": [],
                "hours": 0,
                "amount": Decimal("0.00"),
            },
        )
        group["lines"].append(line)
        group["hours"] += line.hours
        group["amount"] += line.amount or Decimal("0.00")
    return list(groups.values())


def not_payable(employer, month, today=None, rates=None):
    """PAY-1: the employer's months up to `month` that are not payable yet, and why: the
    months of its plans within a school year back, so that the page stays the same size as
    the years go by."""
    since = month_start(month - datetime.timedelta(days=365))
    plans = Plan.objects.filter(
        contract__employer=employer,
        status__in=RAN_STATUSES,
        start_date__lt=next_month_start(month),
    ).filter(Q(end_date__gte=since) | Q(extended_until__gte=since))
    rates = rates or RateTable()
    if all(rates.for_month(m) for m in months_from(since, month)):
        # IAP-9: a closed plan's months are all approved; with a rate in force for each month
        # (PAY-2) all of them are payable, so only the plans still open are read.
        plans = plans.exclude(status=Plan.Status.CLOSED)
    # A month approved with a rate in force is payable: the plans' periods are read first,
    # each with its approved months counted, and only the plans with another month are read
    # whole, so that a big employer's page reads its few held-up plans, not a year of them.
    approved = (
        DiaryMonth.objects.filter(
            plan=OuterRef("pk"),
            status=DiaryMonth.Status.APPROVED,
            month__gte=since,
            month__lte=month,
        )
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    periods = plans.only("start_date", "end_date", "extended_until", "terminated_on").annotate(
        approved=Coalesce(Subquery(approved), 0)
    )
    held_up = []
    for plan in periods:
        its_months = list(_plan_months(plan, since, month))
        if plan.approved < len(its_months) or not all(rates.for_month(m) for m in its_months):
            held_up.append(plan.pk)
    months = plan_month_pay(
        plans.filter(pk__in=held_up).select_related("mentor", "contract__employer"),
        since,
        month,
        today=today,
        rates=rates,
    )
    waiting = [pay for pay in months if not pay.payable]
    waiting.sort(key=lambda pay: (sort_key(str(pay.plan.mentor)), pay.month, pay.plan.pk))
    return waiting


def run_lines(run):
    """The frozen lines of a closed run, in the order they were closed in."""
    return list(
        run.lines.select_related("rate").order_by(
            latvian("mentor_name"), "mentor_id", "month", "plan_id"
        )
    )


def closed_runs(employer_ids, month):
    return (
        PayrollRun.objects.filter(employer_id__in=employer_ids, month=month)
        .select_related("employer__municipality__region", "closed_by")
        .order_by("employer__name")
    )

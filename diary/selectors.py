import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from iap.models import MAX_MONTHLY_HOURS, Plan
from iap.services import plan_allows_mentoring

from . import policies
from .models import DiaryEntry, DiaryMonth, month_start, months_from, next_month_start
from .services import hours_in_month, month_limit, plan_hours_in_month


def month_bounds(first_day):
    return first_day, next_month_start(first_day)


def visible_entries(access, entries):
    """DIA-6: diary entries as rows holding only the fields the access level sees
    (`policies.DIARY_FIELDS`), in date order; none for the preparer."""
    fields = policies.diary_fields(access)
    if not fields:
        return []
    return list(
        entries.order_by("date", "start_time").values("id", "plan_id", "starts_at", *fields)
    )


def month_entries(access, plan, first_day):
    """The month's entries as the access level allows."""
    start, following = month_bounds(first_day)
    return visible_entries(
        access, DiaryEntry.objects.filter(plan=plan, date__gte=start, date__lt=following)
    )


def overdue(today):
    """APR-2 in the database: months whose approval deadline has passed by `today`. A month
    is due on its employer's day (1–28) of the following month, so last month's are overdue
    after that day, and every earlier month is."""
    this_month = month_start(today)
    last_month = month_start(this_month - datetime.timedelta(days=1))
    return Q(month__lt=last_month) | Q(
        month=last_month, plan__contract__employer__hours_approval_day__lt=today.day
    )


def months_waiting_for_approval(acting, today):
    """APR-2, APR-4: confirmed months the acting staff member may see, and how many are
    overdue, for project staff to follow (one query over the months waiting, not the years
    of approved ones)."""
    return (
        policies.diary_months_for(acting)
        .filter(status=DiaryMonth.Status.CONFIRMED)
        .aggregate(waiting=Count("pk"), overdue=Count("pk", filter=overdue(today)))
    )


def employer_months(employer_id):
    """APR-1: the confirmed months waiting for the employer's decision.

    CON-3: a plan's contract covers its semester, and CAL-4 its summer, so a month waits
    only under a contract whose school year ends on or after the oldest month waiting
    anywhere: the database reads those of the employer's contracts, not every year's."""
    waiting = DiaryMonth.objects.filter(status=DiaryMonth.Status.CONFIRMED)
    oldest_waiting = waiting.order_by("month").values("month")[:1]
    return waiting.filter(
        plan__contract__employer_id=employer_id,
        plan__contract__school_year__end_date__gte=Subquery(oldest_waiting),
    )


def employer_months_waiting(employer, today):
    """APR-1, APR-2: for the employer's approver, how many confirmed months wait for a
    decision, how many of them are overdue, and the nearest deadline (the oldest month's)."""
    summary = employer_months(employer.pk).aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=overdue(today)), oldest=Min("month")
    )
    oldest = summary.pop("oldest")
    summary["deadline"] = employer.hours_approval_deadline(oldest) if oldest else None
    return summary


def mentor_month_refusal(plan, first_day, record):
    """Why the mentor can plan, change or close nothing in this month of the diary, in the
    services' own words (None: they can), so that a page offers only what can be done: not
    before the plan is approved (IAP-5), not after it is closed (IAP-9: its months are all
    approved), not outside the plan's period (DIA-8), not in a confirmed or approved month
    (DIA-7). The services refuse the same on their own."""
    if plan.status == Plan.Status.CLOSED:
        return _("The plan is closed: its diary can no longer be changed.")
    if plan.status not in (Plan.Status.APPROVED, Plan.Status.TERMINATED):
        return plan_allows_mentoring(plan, first_day).reason  # IAP-5
    if not month_start(plan.start_date) <= first_day <= month_start(plan.last_mentoring_day):
        return _("%(month)s is outside the plan's period.") % {
            "month": date_format(first_day, "F Y")
        }
    if record is not None and record.is_locked_for_mentor:
        return _("%(month)s is %(status)s: its entries can no longer be changed.") % {
            "month": date_format(first_day, "F Y"),
            "status": record.get_status_display(),
        }
    return None


# DIA-11: a meeting of 2–3 hours is typical; "Record a meeting" offers the shorter one.
TYPICAL_MEETING_HOURS = 2


def just_held_meeting(plan, now):
    """The times "Record a meeting" offers: a meeting that has just ended (at the last
    five minutes), of the typical two academic hours (DIA-4, DIA-11), or of one if only one
    is left in the month (CAP-2). None when it would start before midnight."""
    today = now.date()
    left = min(
        month_limit(plan) - plan_hours_in_month(plan, today),
        MAX_MONTHLY_HOURS - hours_in_month(plan.learner, today),
    )
    hours = max(1, min(TYPICAL_MEETING_HOURS, left))
    end = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    start = end - datetime.timedelta(minutes=40 * hours)
    if start.date() != today or end.time() == datetime.time(0):
        return None
    return start.time(), end.time()


def plan_months(plan):
    """Every month of the plan's period with its stored status (or "open" if untouched)."""
    stored = {m.month: m for m in DiaryMonth.objects.filter(plan=plan)}
    hours = {}
    for date, entry_hours in DiaryEntry.objects.filter(plan=plan).values_list("date", "hours"):
        key = month_start(date)
        hours[key] = hours.get(key, 0) + entry_hours
    return [
        {
            "month": current,
            "record": stored.get(current),
            "hours": stored[current].hours
            if current in stored and stored[current].status != (DiaryMonth.Status.OPEN)
            else hours.get(current, 0),
        }
        for current in months_from(plan.start_date, plan.last_mentoring_day)
    ]


# DIA-11 (**Choice**): more than seven days without a meeting is a gentle nudge, never a block.
NUDGE_AFTER_DAYS = 7


@dataclass(frozen=True)
class LaterSteps:
    """CHK 6, 9 and 10 of a plan, ticked from the data of later apps (supervision, the
    evaluation), which the dashboard gathers for the diary's checklist."""

    supervised: bool = False
    evaluated: bool = False
    agreed: bool = False


def mentor_overview(plans, today, now, later_steps=None):
    """Per active plan of a mentor: this month's hours, entries waiting for a result, the
    month's status, the days since the last meeting (DIA-11) and the ten steps (CHK), steps
    6, 9 and 10 from `later_steps` ({plan id: LaterSteps}).

    Three queries whatever the number of plans: plans are given, entries and months fetched
    once for all of them.
    """
    later_steps = later_steps or {}
    plans = list(plans)
    ids = [p.pk for p in plans]
    first_day = month_start(today)
    entries = defaultdict(list)
    for row in DiaryEntry.objects.filter(plan_id__in=ids).values(
        "plan_id", "date", "hours", "starts_at", "result"
    ):
        entries[row["plan_id"]].append(row)
    months = defaultdict(dict)
    for month in DiaryMonth.objects.filter(plan_id__in=ids):
        months[month.plan_id][month.month] = month
    cards = []
    for plan in plans:
        plan_entries = entries[plan.pk]
        held = [e for e in plan_entries if e["starts_at"] <= now]
        this_month = [e for e in plan_entries if month_start(e["date"]) == first_day]
        used = sum(e["hours"] for e in this_month)
        last_meeting = max((e["date"] for e in held), default=None)
        days_since = (today - last_meeting).days if last_meeting else None
        until = min(today, plan.last_mentoring_day)
        past_months = [m for m in months_from(plan.start_date, until) if m < first_day]
        stored = months[plan.pk]
        cards.append(
            {
                "plan": plan,
                "used": used,
                "planned": month_limit(plan),  # CAP-2: the plan's monthly hours
                "waiting_for_result": sum(1 for e in held if not e["result"].strip()),
                "month": stored.get(first_day),
                # Each month once: a returned month is listed with its reason, not again here.
                "unconfirmed_months": [
                    m
                    for m in past_months
                    if m not in stored or stored[m].status == DiaryMonth.Status.OPEN
                ],
                "returned_months": sorted(
                    (m for m in stored.values() if m.status == DiaryMonth.Status.RETURNED),
                    key=lambda m: m.month,
                ),
                "not_started": today < plan.start_date,
                "days_since_meeting": days_since,
                "nudge": plan.is_active
                and not plan.has_ended
                and (
                    (days_since is None and (today - plan.start_date).days > NUDGE_AFTER_DAYS)
                    or (days_since is not None and days_since > NUDGE_AFTER_DAYS)
                ),
                "steps": checklist(
                    plan, held, stored, past_months, later_steps.get(plan.pk, LaterSteps())
                ),
            }
        )
    return cards


def checklist(plan, held, stored_months, past_months, later):
    """CHK: the handbook's ten steps of a mentor–plan pair, each ticked from data; supervision
    (6), the evaluation (9) and the continue-or-close agreement (10) from `later`."""
    confirmed = {
        m
        for m, r in stored_months.items()
        if r.status in (DiaryMonth.Status.CONFIRMED, DiaryMonth.Status.APPROVED)
    }
    with_hours = [m for m, r in stored_months.items() if r.hours]
    return [
        (_("Talk with the plan's preparer"), plan.mentor_id is not None),
        (_("Employment contract signed"), plan.contract_id is not None),
        (_("Agreement with the learner signed"), bool(plan.agreement_scan)),
        (_("Plan approved"), plan.ran),
        (_("Meetings held and signed in the timesheet"), bool(held)),
        (_("Supervision (optional)"), later.supervised),
        (
            _("Diary filled in and confirmed every month"),
            bool(past_months) and all(m in confirmed for m in past_months),
        ),
        (
            _("Timesheet scan uploaded every month"),
            bool(with_hours) and all(stored_months[m].timesheet_scan for m in with_hours),
        ),
        (_("Evaluation at the end of the semester"), later.evaluated),
        (_("Agreed whether to continue next semester"), later.agreed),
    ]

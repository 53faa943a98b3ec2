"""The month-end reminders that keep pay moving (DIA-3, DIA-7, TS-3, APR-2).

`send_reminders` runs every day (one beat entry, skola_kopiena/celery.py) and decides here
whether today is a reminder's day, on Latvian working days. Each reminder goes once per
recipient and period: its key in `SentEmail` is claimed before it is sent, so a second run
of the task, or a restarted worker, sends nothing again. The emails name learners by first
name and initial and never carry diary place, result or comment (DIA-6).
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse

from diary.models import DiaryEntry, DiaryMonth, month_start, next_month_start
from iap.models import Plan
from skola_kopiena.accounts.models import Role, RoleMembership
from skola_kopiena.notifications.services import absolute_url, email_send_once
from skola_kopiena.schools.calendar import first_working_day_of_month, nth_working_day
from skola_kopiena.schools.models import Institution

from .selectors import previous_month

# APR-2: the approvers are reminded this many working days before their deadline.
APPROVAL_REMINDER_WORKING_DAYS = 3
APPROVAL_DAYS = range(1, 29)


def send_reminders(today):
    """Every reminder due today; returns how many emails this run sent."""
    sent = 0
    if today == first_working_day_of_month(today):
        sent += remind_to_plan_meetings(today)
        sent += remind_to_confirm_last_month(today)
    sent += remind_approvers(today)
    sent += remind_staff_of_late_employers(today)
    return sent


def _plans_in_month(month):
    """Plans whose mentoring period reaches into `month`: active ones, and terminated ones
    up to their termination (PAY-4)."""
    following = next_month_start(month)
    return (
        Plan.objects.filter(
            status__in=[Plan.Status.APPROVED, Plan.Status.TERMINATED],
            start_date__lt=following,
        )
        .filter(Q(end_date__gte=month) | Q(extended_until__gte=month))
        .exclude(terminated_on__lt=month)
        .select_related("learner", "mentor")
        .order_by("mentor_id", "learner__first_name", "pk")
    )


def remind_to_plan_meetings(today):
    """DIA-3: on the month's first working day, mentors with an active plan and no meeting
    planned in the month yet."""
    month = month_start(today)
    meetings = DiaryEntry.objects.filter(
        plan=OuterRef("pk"), date__gte=month, date__lt=next_month_start(month)
    )
    plans = (
        _plans_in_month(month)
        .filter(status=Plan.Status.APPROVED)
        .exclude(Exists(meetings))
        .exclude(extended_until__isnull=True, end_date__lt=today)
        .exclude(extended_until__lt=today)
    )
    sent = 0
    for mentor, items in _per_mentor(plans).items():
        sent += email_send_once(
            key=f"reminder:plan-meetings:{month:%Y-%m}:{mentor.pk}",
            recipient=mentor.email,
            region_id=mentor.region_id,
            template="reminder_plan_meetings",
            context={
                "month": month,
                "learners": [
                    {
                        "name": plan.learner.initialled_name,
                        "url": absolute_url(reverse("diary:entry_new", args=[plan.pk])),
                    }
                    for plan in items
                ],
            },
        )
    return sent


def remind_to_confirm_last_month(today):
    """DIA-7, TS-3: on the month's first working day, mentors whose last month of a plan is
    not confirmed, with what each learner's month still lacks."""
    month = previous_month(today)
    waiting = DiaryMonth.objects.filter(plan=OuterRef("pk"), month=month).exclude(
        status__in=[DiaryMonth.Status.OPEN, DiaryMonth.Status.RETURNED]
    )
    plans = list(_plans_in_month(month).exclude(Exists(waiting)))
    held = (
        DiaryEntry.objects.filter(
            plan__in=[p.pk for p in plans], date__gte=month, date__lt=next_month_start(month)
        )
        .order_by()
        .values("plan_id")
        .annotate(hours=Sum("hours"), without_result=Count("pk", filter=Q(result="")))
    )
    held = {row["plan_id"]: row for row in held}
    scans = set(
        DiaryMonth.objects.filter(plan__in=[p.pk for p in plans], month=month)
        .exclude(timesheet_scan="")
        .values_list("plan_id", flat=True)
    )
    sent = 0
    for mentor, items in _per_mentor(plans).items():
        learners = []
        for plan in items:
            row = held.get(plan.pk, {"hours": 0, "without_result": 0})
            learners.append(
                {
                    "name": plan.learner.initialled_name,
                    "without_result": row["without_result"],
                    "scan_missing": bool(row["hours"]) and plan.pk not in scans,
                    "url": absolute_url(
                        reverse("diary:month", args=[plan.pk, month.year, month.month])
                    ),
                }
            )
        sent += email_send_once(
            key=f"reminder:confirm-month:{month:%Y-%m}:{mentor.pk}",
            recipient=mentor.email,
            region_id=mentor.region_id,
            template="reminder_confirm_month",
            context={"month": month, "learners": learners},
        )
    return sent


def _per_mentor(plans):
    grouped = defaultdict(list)
    for plan in plans:
        grouped[plan.mentor].append(plan)
    return grouped


def _deadlines(today, reminder_day):
    """APR-2: {approval day of month: its deadline} for the employers whose deadline (this
    month's or next month's) has its reminder today; `reminder_day(deadline)` says when."""
    found = {}
    for first in (month_start(today) - datetime.timedelta(days=1), today, next_month_start(today)):
        for day in APPROVAL_DAYS:
            deadline = month_start(first).replace(day=day)
            if reminder_day(deadline) == today:
                found[day] = deadline
    return found


def _approvers(employer_ids):
    memberships = RoleMembership.objects.filter(
        role=Role.APPROVER, is_active=True, institution_id__in=employer_ids, user__is_active=True
    ).select_related("user")
    grouped = defaultdict(list)
    for membership in memberships:
        grouped[membership.institution_id].append(membership.user)
    return grouped


def remind_approvers(today):
    """APR-2: three working days before an employer's deadline, its approvers, with the months
    waiting for them."""
    deadlines = _deadlines(
        today, lambda deadline: nth_working_day(deadline, -APPROVAL_REMINDER_WORKING_DAYS)
    )
    if not deadlines:
        return 0
    months = (
        DiaryMonth.objects.filter(
            status=DiaryMonth.Status.CONFIRMED,
            plan__contract__employer__hours_approval_day__in=deadlines,
        )
        .select_related("plan__learner", "plan__mentor", "plan__contract__employer__municipality")
        .order_by("month", "plan__mentor__last_name", "pk")
    )
    per_employer = defaultdict(list)
    for month in months:
        if month.month < month_start(deadlines[month.plan.contract.employer.hours_approval_day]):
            per_employer[month.plan.contract.employer].append(month)
    approvers = _approvers([employer.pk for employer in per_employer])
    sent = 0
    for employer, waiting in per_employer.items():
        deadline = deadlines[employer.hours_approval_day]
        for user in approvers[employer.pk]:
            sent += email_send_once(
                key=f"reminder:approve:{deadline:%Y-%m-%d}:{employer.pk}:{user.pk}",
                recipient=user.email,
                region_id=employer.municipality.region_id,
                template="reminder_approve_hours",
                context={
                    "employer": employer,
                    "deadline": deadline,
                    "months": [
                        {
                            "month": month.month,
                            "mentor": month.plan.mentor,
                            "learner": month.plan.learner.initialled_name,
                            "hours": month.hours,
                        }
                        for month in waiting
                    ],
                    "url": absolute_url(reverse("timesheets:queue")),
                },
            )
    return sent


def remind_staff_of_late_employers(today):
    """APR-2: on the first working day after an employer's deadline, the project staff of its
    region, with the employers whose hours are still waiting."""
    deadlines = _deadlines(today, lambda deadline: nth_working_day(deadline, 1))
    if not deadlines:
        return 0
    late = defaultdict(lambda: defaultdict(int))
    rows = (
        DiaryMonth.objects.filter(
            status=DiaryMonth.Status.CONFIRMED,
            plan__contract__employer__hours_approval_day__in=deadlines,
        )
        .values(
            "plan__contract__employer_id", "plan__contract__employer__hours_approval_day", "month"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        deadline = deadlines[row["plan__contract__employer__hours_approval_day"]]
        if row["month"] < month_start(deadline):
            late[row["plan__contract__employer_id"]]["months"] += row["n"]
    employers = Institution.objects.filter(pk__in=late).select_related("municipality")
    per_region = defaultdict(list)
    for employer in employers.order_by("name"):
        per_region[employer.municipality.region_id].append(
            {"employer": employer, "months": late[employer.pk]["months"]}
        )
    staff = RoleMembership.objects.filter(
        role=Role.STAFF, is_active=True, region_id__in=per_region, user__is_active=True
    ).select_related("user")
    sent = 0
    for membership in staff:
        sent += email_send_once(
            key=f"reminder:late:{today:%Y-%m-%d}:{membership.region_id}:{membership.user_id}",
            recipient=membership.user.email,
            region_id=membership.region_id,
            template="reminder_late_employers",
            context={
                "employers": per_region[membership.region_id],
                "url": absolute_url(reverse("payroll:index")),
            },
        )
    return sent

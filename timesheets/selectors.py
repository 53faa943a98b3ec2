from collections import defaultdict

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from diary import policies as diary_policies
from diary.models import DiaryEntry, DiaryMonth, month_start, next_month_start
from diary.selectors import overdue, visible_entries


def approval_queue(acting):
    """APR-1: confirmed months of the mentors the approver's institution employs, oldest
    first; the page shows them a few at a time with `with_approval_entries`."""
    if not diary_policies.can_use_approval_queue(acting):
        return DiaryMonth.objects.none()
    return (
        # Served by the partial index of confirmed months (diary_month_waiting): the queue
        # reads the months waiting now, not the years of approved ones.
        DiaryMonth.objects.filter(
            status=DiaryMonth.Status.CONFIRMED,
            plan__contract__employer_id=acting.institution_id,
        )
        .select_related(
            "plan__learner__institution__municipality",
            "plan__semester__school_year",
            "plan__mentor",
            "plan__contract__employer",
        )
        # APR-2: overdue decided by the database, as for the staff's count.
        .annotate(is_overdue=ExpressionWrapper(overdue(timezone.localdate()), BooleanField()))
        .order_by("month", "confirmed_at", "pk")
    )


def with_approval_entries(months):
    """Each of `months` (a page of the queue) with its entries as the approver sees them
    (DIA-6: `diary.policies.DIARY_FIELDS`), read in one query of just those months."""
    months = list(months)
    in_months = Q(pk__in=[])
    for month in months:
        in_months |= Q(
            plan_id=month.plan_id, date__gte=month.month, date__lt=next_month_start(month.month)
        )
    entries = defaultdict(list)
    for row in visible_entries(diary_policies.DIARY_APPROVAL, DiaryEntry.objects.filter(in_months)):
        entries[(row["plan_id"], month_start(row["date"]))].append(row)
    for month in months:
        month.approval_entries = entries[(month.plan_id, month.month)]
    return months


def timesheet_rows(access, plan, now):
    """TS-1, TS-2: the meetings held so far as the timesheet shows them; the preparer's
    timesheet is the blank form (DIA-6)."""
    held = plan.diary_entries.filter(starts_at__lte=now)
    return visible_entries(access, held)

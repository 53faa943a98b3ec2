from collections import defaultdict

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from diary import policies as diary_policies
from diary.models import DiaryEntry, DiaryMonth
from diary.selectors import overdue, visible_entries


def approval_queue(acting):
    """APR-1: confirmed months of the mentors the approver's institution employs, each with
    its entries as the approver sees them (DIA-6: `diary.policies.DIARY_FIELDS`)."""
    if not diary_policies.can_use_approval_queue(acting):
        return []
    months = list(
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
        .order_by("month", "confirmed_at")
    )
    entries = defaultdict(list)
    rows = visible_entries(
        diary_policies.DIARY_APPROVAL,
        DiaryEntry.objects.filter(plan__in=[m.plan_id for m in months]),
    )
    for row in rows:
        entries[(row["plan_id"], row["date"].replace(day=1))].append(row)
    for month in months:
        month.approval_entries = entries[(month.plan_id, month.month)]
    return months


def timesheet_rows(access, plan, now):
    """TS-1, TS-2: the meetings held so far as the timesheet shows them; the preparer's
    timesheet is the blank form (DIA-6)."""
    held = plan.diary_entries.filter(starts_at__lte=now)
    return visible_entries(access, held)

from collections import defaultdict

from diary.models import DiaryEntry, DiaryMonth
from diary.selectors import APPROVAL_FIELDS
from skola_kopiena.accounts import permissions


def approval_queue(acting):
    """APR-1: confirmed months of the mentors the approver's institution employs, each with
    its entries' date, time, hours and topic (never place, result or comment: DIA-6)."""
    if not permissions.can_use_approval_queue(acting):
        return []
    months = list(
        DiaryMonth.objects.filter(
            status=DiaryMonth.Status.CONFIRMED,
            plan__contract__employer_id=acting.institution_id,
        )
        .select_related("plan__learner__institution", "plan__mentor", "plan__contract__employer")
        .order_by("month", "confirmed_at")
    )
    entries = defaultdict(list)
    for row in (
        DiaryEntry.objects.filter(plan__in=[m.plan_id for m in months])
        .order_by("date", "start_time")
        .values("plan_id", *APPROVAL_FIELDS)
    ):
        entries[(row["plan_id"], row["date"].replace(day=1))].append(row)
    for month in months:
        month.approval_entries = entries[(month.plan_id, month.month)]
    return months

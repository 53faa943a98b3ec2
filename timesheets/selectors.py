from django.db.models import BooleanField, CharField, ExpressionWrapper, Q, Value
from django.db.models.functions import MD5, Cast, Concat
from django.utils import timezone

from diary import policies as diary_policies
from diary.models import DiaryEntry, DiaryMonth, month_start, next_month_start
from diary.selectors import employer_months, overdue, visible_entries

from .models import MonthVerification
from .policies import verifiable_months_for
from .services import VERIFIABLE


def approval_queue(acting):
    """APR-1: confirmed months of the mentors the approver's institution employs, oldest
    first; the page shows them a few at a time with `with_approval_entries`."""
    if not diary_policies.can_use_approval_queue(acting):
        return DiaryMonth.objects.none()
    return (
        # Served by the partial index of confirmed months (diary_month_waiting): the queue
        # reads the months waiting now, not the years of approved ones.
        employer_months(acting.institution_id)
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
    (DIA-6: `diary.policies.DIARY_FIELDS`), read in one query."""
    months = list(months)
    if not months:
        return months
    # The page's plans between its first and last month (a plain range on the plan and date
    # index); a meeting of a month that is not on the page is then left out here.
    shown = {(month.plan_id, month.month): month for month in months}
    for month in months:
        month.approval_entries = []
    in_range = DiaryEntry.objects.filter(
        plan_id__in={month.plan_id for month in months},
        date__gte=min(month.month for month in months),
        date__lt=next_month_start(max(month.month for month in months)),
    )
    for row in visible_entries(diary_policies.DIARY_APPROVAL, in_range):
        month = shown.get((row["plan_id"], month_start(row["date"])))
        if month is not None:
            month.approval_entries.append(row)
    return months


def timesheet_rows(access, plan, now):
    """TS-1, TS-2: the meetings held so far as the timesheet shows them; the preparer's
    timesheet is the blank form (DIA-6)."""
    held = plan.diary_entries.filter(starts_at__lte=now)
    return visible_entries(access, held)


# --- Verification of the hours against the diary (APR-4) ---------------------------------


def verification_months(
    acting, *, since, month=None, employer=None, mentor="", status=None, checked=None
):
    """APR-4: the confirmed and approved months of the staff member's regions, in `month` or
    else from `since` (None: however old; `forms.VerificationFilterForm.since` decides),
    newest first, each with its check if any."""
    months = verifiable_months_for(acting).filter(status__in=VERIFIABLE)
    if month:
        months = months.filter(month=month)
    elif since:
        months = months.filter(month__gte=since)
    if employer:
        months = months.filter(plan__contract__employer_id=employer)
    if mentor:
        months = months.filter(
            Q(plan__mentor__last_name__icontains=mentor)
            | Q(plan__mentor__first_name__icontains=mentor)
        )
    if status:
        months = months.filter(status=status)
    if checked == "none":
        months = months.filter(verification__isnull=True)
    elif checked in MonthVerification.Outcome.values:
        months = months.filter(verification__outcome=checked)
    return months.select_related(
        "plan__learner__institution",
        "plan__mentor",
        "plan__contract__employer",
        "verification__checked_by",
    ).order_by("-month", "-pk")


def verification_sample(months, size, seed):
    """APR-4: a spot check: `size` approved months of `months` chosen at random, the same ones
    for the same `seed` (a link to the sample shows it again)."""
    shuffled = MD5(Concat(Cast("pk", CharField()), Value(f":{seed}")))
    return months.filter(status=DiaryMonth.Status.APPROVED).order_by(shuffled)[:size]


def findings_by_employer(acting):
    """APR-4: the findings in the staff member's regions, per employer, newest first."""
    findings = (
        MonthVerification.objects.filter(
            outcome=MonthVerification.Outcome.FINDING,
            diary_month__in=verifiable_months_for(acting).values("pk"),
        )
        .select_related(
            "diary_month__plan__mentor",
            "diary_month__plan__contract__employer",
            "diary_month__plan__learner__institution",
            "checked_by",
        )
        .order_by("-checked_at")
    )
    employers = {}
    for verification in findings:
        contract = verification.diary_month.plan.contract
        employer = contract.employer if contract else None
        employers.setdefault(employer, []).append(verification)
    return sorted(employers.items(), key=lambda item: str(item[0] or ""))

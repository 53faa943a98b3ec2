"""Who sees how much of a diary (DIA-6), whose reads are logged (ACC-1) and who decides a
month (APR), on the plan scopes of `iap.policies`. `DIARY_FIELDS` is the one table of which
fields of a diary entry each access level sees."""

from django.core.exceptions import PermissionDenied

from iap.policies import get_plan_for, of_readable_plans, plans_for, sees_whole_plan
from skola_kopiena.accounts.models import Role
from skola_kopiena.accounts.permissions import (
    REGIONAL,
    AdminRule,
    register_admin_rules,
    register_download,
)

from .models import DiaryMonth

DIARY_FULL = "full"  # the mentor, project staff, auditors and administrators: every field


DIARY_APPROVAL = "approval"  # the employer's approver: date, time, hours, topic, scan


DIARY_TOTALS = "totals"  # the preparer: each month's status and hour total only


# DIA-6: the one table of which fields of a diary entry each access level sees. Every page,
# PDF, export and email that shows diary entries loads only these fields.
DIARY_FIELDS = {
    DIARY_FULL: ("date", "start_time", "end_time", "hours", "place", "topic", "result", "comment"),
    DIARY_APPROVAL: ("date", "start_time", "end_time", "hours", "topic"),
    DIARY_TOTALS: (),
}


def diary_access(acting, plan):
    """How much of the plan's diary the acting role sees (None: nothing)."""
    if acting.has_role(Role.MENTOR):
        return DIARY_FULL if sees_whole_plan(acting, plan) else None
    if acting.has_role(Role.STAFF, Role.AUDITOR, Role.ADMIN):
        return DIARY_FULL
    if acting.has_role(Role.APPROVER) and employs_plan_mentor(acting, plan):
        return DIARY_APPROVAL
    if acting.has_role(Role.PREPARER, Role.APPROVER):
        return DIARY_TOTALS
    return None


def employs_plan_mentor(acting, plan):
    """APR-1: the acting approver's institution holds the contract of the plan's mentor."""
    return bool(plan.contract_id) and plan.contract.employer_id == acting.institution_id


def diary_fields(access):
    return DIARY_FIELDS.get(access, ())


def reads_diary_content(acting, plan):
    """ACC-1: whether showing this plan's diary to the acting role must be logged: someone
    other than its mentor sees some of its content."""
    return bool(diary_fields(diary_access(acting, plan))) and not is_own_diary(acting, plan)


def get_diary_plan_for(acting, pk):
    plan = get_plan_for(acting, pk)
    if diary_access(acting, plan) is None:
        raise PermissionDenied
    return plan


def is_own_diary(acting, plan):
    return acting.has_role(Role.MENTOR) and sees_whole_plan(acting, plan)


def can_decide_month(acting, plan):
    """APR-1: the responsible person of the employer that holds the mentor's contract."""
    return diary_access(acting, plan) == DIARY_APPROVAL


def can_use_approval_queue(acting):
    return acting.has_role(Role.APPROVER)


def can_reopen_month(acting, plan):
    """APR-3: only project staff reopen an approved month."""
    return (acting.is_staff or acting.is_admin) and plans_for(acting).filter(pk=plan.pk).exists()


def diary_months_for(acting):
    return of_readable_plans(acting, DiaryMonth.objects.all())


def _may_download_month_scan(acting, diary_month):
    """TS-3: the signed timesheet of a month, for those who see the diary's content."""
    plan = diary_month.plan
    if not plans_for(acting).filter(pk=plan.pk).exists():
        return False
    return diary_access(acting, plan) in (DIARY_FULL, DIARY_APPROVAL)


register_admin_rules({"diary.diarymonth": AdminRule(view=REGIONAL, scope=diary_months_for)})
register_download(DiaryMonth, "timesheet_scan", _may_download_month_scan)

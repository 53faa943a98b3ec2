"""Who sees and does what at a plan's end (EVA, IAP-8, IAP-9), on the plan scopes of
`iap.policies`: the mentor evaluates their own plan; the plan's preparer starts the
evaluation, reads it, records the decision and closes the plan; project staff of the region
read it; the approver does not see it. Every read by someone other than the mentor is logged
(ACC-1), as for the diary."""

from django.core.exceptions import PermissionDenied

from iap.policies import can_edit_plan, get_plan_for, sees_whole_plan
from skola_kopiena.accounts.models import Role

from .models import Evaluation

WRITES = "writes"  # the plan's mentor
MANAGES = "manages"  # the plan's preparer: starts, reads, decides, closes
READS = "reads"  # project staff, auditors and administrators


def evaluation_access(acting, plan):
    """How the acting role takes part in the plan's evaluation (None: not at all)."""
    if acting.has_role(Role.MENTOR):
        return WRITES if sees_whole_plan(acting, plan) else None
    if can_edit_plan(acting, plan):
        return MANAGES
    if acting.has_role(Role.STAFF, Role.AUDITOR, Role.ADMIN):
        return READS
    return None


def get_evaluation_plan_for(acting, pk):
    """404 outside the plan scopes; 403 for a role that has no part in the evaluation."""
    plan = get_plan_for(acting, pk)
    if evaluation_access(acting, plan) is None:
        raise PermissionDenied
    return plan


def reads_evaluation(acting, plan):
    """ACC-1: showing the evaluation to anyone but its mentor is logged."""
    return evaluation_access(acting, plan) in (MANAGES, READS)


def own_evaluations(acting):
    """The mentor's evaluations, to fill in or already submitted."""
    if not acting.has_role(Role.MENTOR):
        return Evaluation.objects.none()
    return Evaluation.objects.filter(mentor__user=acting.user, plan__mentor__user=acting.user)

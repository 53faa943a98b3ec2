"""Who may see or do what with learners, support plans, their documents and invitations (IAP,
AGR, ACC), on the shared scopes of `skola_kopiena.accounts.permissions`."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from mentors.models import Contract
from skola_kopiena.accounts.models import Role
from skola_kopiena.accounts.permissions import (
    REGIONAL,
    AdminRule,
    can_export_records,
    in_regions,
    register_admin_rules,
    register_download,
    require_role,
)

from .models import AuditGrant, Invitation, Learner, Plan


def audited_plan_ids(acting):
    """The plans granted to the acting auditor one by one whose grant has not lapsed (its
    end date is today or later), as a subquery."""
    return AuditGrant.objects.filter(user=acting.user, until__gte=timezone.localdate()).values(
        "content_object_id"
    )


def reads_granted_plans(acting):
    """An auditor short of the whole country reads, beside their regions if any, the plans
    granted to them one by one."""
    return acting.is_auditor and not acting.is_national


def learners_for(acting):
    learners = Learner.objects.select_related("institution")
    if acting.has_role(Role.PREPARER, Role.APPROVER):
        return learners.filter(institution_id=acting.institution_id)
    if reads_granted_plans(acting):
        granted = Plan.objects.filter(pk__in=audited_plan_ids(acting)).values("learner_id")
        return in_regions(learners, acting, "institution") | learners.filter(pk__in=granted)
    return in_regions(learners, acting, "institution")


def get_learner_for(acting, pk, write=False):
    learner = learners_for(acting).filter(pk=pk).first()
    if learner is None:
        raise Http404
    if write and not acting.has_role(Role.PREPARER):
        raise PermissionDenied
    return learner


def record_learners_for(acting):
    """The learners whose complete record the acting role produces: of their regions only,
    since a plan granted to an auditor one by one opens that plan, not the learner's whole
    record."""
    if not can_export_records(acting):
        return Learner.objects.none()
    return in_regions(Learner.objects.select_related("institution"), acting, "institution")


def exports_record_of(acting, learner):
    return record_learners_for(acting).filter(pk=learner.pk).exists()


def get_record_learner_for(acting, pk):
    """403 to roles that produce no record; 404 for a learner beyond the role's regions."""
    if not can_export_records(acting):
        raise PermissionDenied
    learner = record_learners_for(acting).filter(pk=pk).first()
    if learner is None:
        raise Http404
    return learner


def can_read_learners(acting):
    return acting.has_role(Role.PREPARER, Role.APPROVER, Role.STAFF, Role.AUDITOR, Role.ADMIN)


def can_register_learners(acting):
    # IAP-2: plans and their learners are the school staff's work, never the mentor's.
    return acting.has_role(Role.PREPARER)


def plans_for(acting):
    """Plans the acting role may read: the school's own, the region's, or the mentor's."""
    plans = Plan.objects.all()
    if acting.has_role(Role.PREPARER):
        return plans.filter(institution_id=acting.institution_id)
    if acting.has_role(Role.APPROVER):
        # The approver sees a plan from its submission on, never a draft; APR-1: also the
        # plans whose mentor the institution (or youth centre) employs.
        # Each side on the plan's own columns, not an OR across two joins.
        return plans.filter(
            Q(institution_id=acting.institution_id)
            | Q(contract_id__in=Contract.objects.filter(employer_id=acting.institution_id))
        ).exclude(status=Plan.Status.DRAFT)
    if acting.has_role(Role.MENTOR):
        # Plans they are in, or invited to and not yet answered (EXISTS: no duplicates to
        # remove with DISTINCT).
        invited = Invitation.objects.filter(
            plan=OuterRef("pk"), mentor__user=acting.user, status=Invitation.Status.PENDING
        )
        return plans.filter(Q(mentor__user=acting.user) | Exists(invited))
    if reads_granted_plans(acting):
        # The auditor's regions, and the plans staff granted them for an on-the-spot check.
        return in_regions(plans, acting, "institution") | plans.filter(
            pk__in=audited_plan_ids(acting)
        )
    return in_regions(plans, acting, "institution")


def get_plan_for(acting, pk, write=False):
    """404 for a plan outside the role's scope; 403 for a write the role may not make."""
    plan = (
        plans_for(acting)
        .select_related(
            "learner__institution__municipality",
            "semester__school_year",
            "mentor",
            "contract__employer",
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404
    if write and not can_edit_plan(acting, plan):
        raise PermissionDenied
    return plan


def can_edit_plan(acting, plan):
    """IAP-2: the preparers of the learner's institution prepare and change the plan."""
    return acting.has_role(Role.PREPARER) and plan.learner.institution_id == acting.institution_id


def can_decide_plan(acting, plan):
    """IAP-5: the approver of the learner's institution approves or returns the plan."""
    return acting.has_role(Role.APPROVER) and plan.learner.institution_id == acting.institution_id


def sees_whole_plan(acting, plan):
    """A mentor only invited sees the learner's profile without sensitive details (IAP-3)."""
    if acting.has_role(Role.MENTOR):
        return plan.mentor_id is not None and plan.mentor.user_id == acting.user.pk
    return True


PLAN_FILES = {"application_file", "agreement_scan", "extension_order"}


# The plan's documents: its files and the agreement printed from the portal (AGR).
PLAN_DOCUMENTS = PLAN_FILES | {"agreement_pdf"}


def plan_documents_for(acting, plan):
    """Which of the plan's documents the acting role may open. The school and the project
    keep them all; the mentor signs the agreement and may keep it; an employer that is not
    the learner's school (a youth centre) approves months, not documents. Call only with a
    plan from `plans_for(acting)`."""
    if acting.has_role(Role.MENTOR):
        return {"agreement_pdf", "agreement_scan"} if sees_whole_plan(acting, plan) else set()
    if acting.has_role(Role.APPROVER) and plan.learner.institution_id != acting.institution_id:
        return set()
    return PLAN_DOCUMENTS


def can_grant_audit(acting, plan):
    """Project staff of the plan's region (national staff, administrators) grant an auditor
    the plan for an on-the-spot check. Call only with a plan from `plans_for(acting)`."""
    return acting.is_staff or acting.is_admin


def audit_grants_for(acting, plan):
    """The plan's grants to auditors, shown to those who give them."""
    if not can_grant_audit(acting, plan):
        return AuditGrant.objects.none()
    return plan.audit_grants.select_related("user", "granted_by")


def get_audit_grant_for(acting, plan, pk):
    """A grant of a plan the acting staff member keeps: 403 to others, 404 for another plan's."""
    if not can_grant_audit(acting, plan):
        raise PermissionDenied
    grant = audit_grants_for(acting, plan).filter(pk=pk).first()
    if grant is None:
        raise Http404
    return grant


def invitations_for(acting):
    if not acting.has_role(Role.MENTOR):
        return Invitation.objects.none()
    return Invitation.objects.filter(mentor__user=acting.user)


def get_invitation_for(acting, pk):
    require_role(acting, Role.MENTOR)
    invitation = invitations_for(acting).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def of_readable_plans(acting, rows):
    """`rows` (a queryset of a model with a `plan`) of the plans the acting role may read.
    Staff's scope is put straight on the rows' own joins, so that the whole country's list is
    the whole table, unfiltered."""
    if (acting.oversees or acting.is_admin) and not reads_granted_plans(acting):
        return in_regions(rows, acting, "plan__institution")
    return rows.filter(plan__in=plans_for(acting).values("pk"))


def invitations_in_scope(acting):
    return of_readable_plans(acting, Invitation.objects.all())


def audit_grants_in_scope(acting):
    """The grants of the plans of the staff member's regions (national: all)."""
    return in_regions(AuditGrant.objects.all(), acting, "content_object__institution")


def _may_download_plan_file(field_name):
    def rule(acting, obj):
        plan = plans_for(acting).select_related("learner", "mentor").filter(pk=obj.pk).first()
        return plan is not None and field_name in plan_documents_for(acting, plan)

    return rule


register_admin_rules(
    {
        "iap.learner": AdminRule(view=REGIONAL, scope=learners_for),
        "iap.plan": AdminRule(view=REGIONAL, scope=plans_for),
        "iap.invitation": AdminRule(view=REGIONAL, scope=invitations_in_scope),
        "iap.auditgrant": AdminRule(view=REGIONAL, scope=audit_grants_in_scope),
    }
)
for _field in PLAN_FILES:
    register_download(Plan, _field, _may_download_plan_file(_field))

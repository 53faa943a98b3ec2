"""The one place that decides who may see or do what.

Every view gets its objects through a helper here: objects outside the acting role's scope
answer 404 (their existence does not leak), a write the role may not make answers 403.
Decisions follow the role the user acts as now (`request.acting`), scoped to an institution
or a region. Deny by default: a user without an active role sees nothing.

This module is the one deliberate exception to the rule that apps import only to their
left: it must know every kind of object, so it imports later apps' models lazily.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Role, RoleMembership

ROLE_ORDER = [Role.MENTOR, Role.PREPARER, Role.APPROVER, Role.STAFF, Role.ADMIN]
# Apps that project staff manage in the admin; administrators manage everything.
STAFF_ADMIN_APPS = {"accounts", "schools", "mentors", "iap", "diary"}
REGISTRY_MANAGERS = (Role.STAFF, Role.ADMIN)


@dataclass(frozen=True)
class Acting:
    """The user and the role they act as for this request."""

    user: object
    membership: RoleMembership | None
    memberships: tuple = ()

    @property
    def role(self):
        if self.membership is not None:
            return self.membership.role
        return None

    @property
    def institution_id(self):
        return self.membership.institution_id if self.membership else None

    @property
    def region_id(self):
        return self.membership.region_id if self.membership else None

    @property
    def may_use_admin(self):
        return bool(self.user and self.user.is_superuser) or any(
            m.role in (Role.STAFF, Role.ADMIN) for m in self.memberships
        )

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def is_staff(self):
        return self.role == Role.STAFF

    @property
    def is_national(self):
        """National staff and administrators see every region."""
        return self.is_admin or (self.is_staff and self.region_id is None)

    def has_role(self, *roles):
        return self.role in roles


NOBODY = Acting(user=None, membership=None)


def memberships_of(user):
    if not user.is_authenticated or not user.is_active:
        return RoleMembership.objects.none()
    return (
        RoleMembership.objects.filter(user=user, is_active=True)
        .select_related("institution__municipality__region", "region")
        .order_by("role", "id")
    )


def sorted_memberships(user):
    return sorted(memberships_of(user), key=lambda m: (ROLE_ORDER.index(m.role), m.id))


def acting_for(user, chosen_membership_id=None):
    """The role the user acts as: the one they chose, else their first active role.

    A revoked role takes effect on the next request, because this runs on every request.
    """
    memberships = tuple(sorted_memberships(user))
    if not memberships:
        return Acting(user=user, membership=None)
    chosen = next((m for m in memberships if m.id == chosen_membership_id), memberships[0])
    return Acting(user=user, membership=chosen, memberships=memberships)


def requires_mfa(acting):
    """Project staff and administrators must use a second factor."""
    return acting.may_use_admin


def require_role(acting, *roles):
    """403 unless the acting role is one of `roles`."""
    if not acting.has_role(*roles):
        raise PermissionDenied


# --- Admin -------------------------------------------------------------------------------


def can_use_admin(user):
    return bool(user.is_active and user.is_authenticated) and (
        user.is_superuser
        or RoleMembership.objects.filter(
            user=user, is_active=True, role__in=[Role.STAFF, Role.ADMIN]
        ).exists()
    )


def admin_permission(user, perm):
    """Model permissions in the admin come from roles, not from per-user permission rows."""
    if not user.is_active:
        return False
    roles = set(memberships_of(user).values_list("role", flat=True))
    if Role.ADMIN in roles:
        return True
    app_label = perm.split(".", 1)[0]
    return Role.STAFF in roles and app_label in STAFF_ADMIN_APPS


def can_grant_role(user, role):
    """Only administrators make administrators; project staff give every other role."""
    return (
        role != Role.ADMIN
        or user.is_superuser
        or Role.ADMIN in set(memberships_of(user).values_list("role", flat=True))
    )


def may_edit_account(user, account):
    """Staff edit accounts, but not those of administrators (that would be a way up)."""
    is_admin_account = account.is_superuser or account.memberships.filter(role=Role.ADMIN).exists()
    return not is_admin_account or can_grant_role(user, Role.ADMIN)


def admin_region_id(user):
    """The region a regional staff member's admin lists are limited to (None: no limit)."""
    regions = {m.region_id for m in memberships_of(user) if m.role in (Role.STAFF, Role.ADMIN)}
    if user.is_superuser or None in regions or not regions:
        return None
    # A coordinator of several regions sees the first; later issues may widen this.
    return sorted(regions)[0]


# --- Mentor registry (REG) --------------------------------------------------------------


def can_search_registry(acting):
    # REG-2: preparers search the registry; mentors never see other mentors.
    return acting.has_role(Role.PREPARER, Role.APPROVER, Role.STAFF, Role.ADMIN)


def mentors_for(acting):
    """Mentor entries the acting role may see."""
    from mentors.models import Mentor

    mentors = Mentor.objects.all()
    if acting.is_national:
        return mentors
    if acting.is_staff:
        return mentors.filter(region_id=acting.region_id)
    if acting.has_role(Role.PREPARER, Role.APPROVER):
        return mentors.searchable()
    if acting.has_role(Role.MENTOR):
        return mentors.filter(user=acting.user)
    return mentors.none()


def get_mentor_for(acting, pk):
    mentor = mentors_for(acting).filter(pk=pk).first()
    if mentor is None:
        raise Http404
    return mentor


def can_manage_registry(acting):
    """Project staff keep the registry (in their region); administrators everywhere."""
    return acting.has_role(*REGISTRY_MANAGERS)


def own_mentor_entry(acting):
    """REG-3: the mentor's own entry; nobody else has one to see here."""
    from mentors.models import Mentor

    require_role(acting, Role.MENTOR)
    mentor = Mentor.objects.filter(user=acting.user).select_related("region").first()
    if mentor is None:
        raise Http404
    return mentor


def change_requests_for(acting):
    from mentors.models import ChangeRequest

    requests = ChangeRequest.objects.all()
    if acting.is_national:
        return requests
    if acting.is_staff:
        return requests.filter(mentor__region_id=acting.region_id)
    return requests.none()


def get_change_request_for(acting, pk):
    require_role(acting, Role.STAFF, Role.ADMIN)
    change_request = change_requests_for(acting).filter(pk=pk).first()
    if change_request is None:
        raise Http404
    return change_request


def registry_imports_for(acting):
    from mentors.models import RegistryImport

    if not can_manage_registry(acting):
        return RegistryImport.objects.none()
    if acting.is_national:
        return RegistryImport.objects.all()
    return RegistryImport.objects.filter(uploaded_by=acting.user)


def get_registry_import_for(acting, pk):
    require_role(acting, Role.STAFF, Role.ADMIN)
    registry_import = registry_imports_for(acting).filter(pk=pk).first()
    if registry_import is None:
        raise Http404
    return registry_import


# --- Learners and support plans (IAP, ACC) ---------------------------------------------


def _by_region(queryset, acting, path):
    """National staff see all; regional staff their region; anyone else nothing here."""
    if acting.is_national:
        return queryset
    if acting.is_staff:
        return queryset.filter(**{f"{path}__municipality__region_id": acting.region_id})
    return queryset.none()


def learners_for(acting):
    from iap.models import Learner

    learners = Learner.objects.select_related("institution")
    if acting.has_role(Role.PREPARER, Role.APPROVER):
        return learners.filter(institution_id=acting.institution_id)
    return _by_region(learners, acting, "institution")


def get_learner_for(acting, pk, write=False):
    learner = learners_for(acting).filter(pk=pk).first()
    if learner is None:
        raise Http404
    if write and not acting.has_role(Role.PREPARER):
        raise PermissionDenied
    return learner


def can_read_learners(acting):
    return acting.has_role(Role.PREPARER, Role.APPROVER, Role.STAFF, Role.ADMIN)


def can_register_learners(acting):
    # IAP-2: plans and their learners are the school staff's work, never the mentor's.
    return acting.has_role(Role.PREPARER)


def plans_for(acting):
    """Plans the acting role may read: the school's own, the region's, or the mentor's."""
    from django.db.models import Q

    from iap.models import Invitation, Plan

    plans = Plan.objects.all()
    if acting.has_role(Role.PREPARER):
        return plans.filter(learner__institution_id=acting.institution_id)
    if acting.has_role(Role.APPROVER):
        # APR-1: also the plans whose mentor the institution (or youth centre) employs.
        return plans.filter(
            Q(learner__institution_id=acting.institution_id)
            | Q(contract__employer_id=acting.institution_id)
        ).distinct()
    if acting.has_role(Role.MENTOR):
        # Plans they are in, or invited to and not yet answered.
        return plans.filter(
            Q(mentor__user=acting.user)
            | Q(
                invitations__mentor__user=acting.user,
                invitations__status=Invitation.Status.PENDING,
            )
        ).distinct()
    return _by_region(plans, acting, "learner__institution")


def get_plan_for(acting, pk, write=False):
    """404 for a plan outside the role's scope; 403 for a write the role may not make."""
    plan = (
        plans_for(acting)
        .select_related(
            "learner__institution__municipality",
            "semester__school_year",
            "mentor",
            "contract__employer",
            "created_by",
            "decided_by",
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


# --- The diary (DIA-6, ACC-1, APR) ------------------------------------------------------

DIARY_FULL = "full"  # the mentor, project staff and administrators: every field
DIARY_APPROVAL = "approval"  # the employer's approver: date, time, hours, topic, scan
DIARY_TOTALS = "totals"  # the preparer: each month's status and hour total only


def diary_access(acting, plan):
    """How much of the plan's diary the acting role sees (None: nothing)."""
    if acting.has_role(Role.MENTOR):
        return DIARY_FULL if sees_whole_plan(acting, plan) else None
    if acting.is_staff or acting.is_admin:
        return DIARY_FULL
    if (
        acting.has_role(Role.APPROVER)
        and plan.contract_id
        and (plan.contract.employer_id == acting.institution_id)
    ):
        return DIARY_APPROVAL
    if acting.has_role(Role.PREPARER, Role.APPROVER):
        return DIARY_TOTALS
    return None


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


def invitations_for(acting):
    from iap.models import Invitation

    if not acting.has_role(Role.MENTOR):
        return Invitation.objects.none()
    return Invitation.objects.filter(mentor__user=acting.user)


def get_invitation_for(acting, pk):
    require_role(acting, Role.MENTOR)
    invitation = invitations_for(acting).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


# --- Private files (ACC-2) ---------------------------------------------------------------


def can_download(acting, obj, field_name):
    """Whether the acting role may download the file in `obj.<field_name>`.

    Each kind of object that holds a file says here who may read it; anything not listed
    is refused.
    """
    from diary.models import DiaryMonth
    from iap.models import Plan
    from mentors.models import Contract, RegistryImport

    if isinstance(obj, RegistryImport) and field_name == "source_file":
        return registry_imports_for(acting).filter(pk=obj.pk).exists()
    if isinstance(obj, Plan) and field_name in PLAN_FILES:
        # The school and the project keep the plan's documents; the mentor signs the
        # agreement and may keep its scan.
        if acting.has_role(Role.MENTOR):
            return field_name == "agreement_scan" and sees_whole_plan(acting, obj)
        return plans_for(acting).filter(pk=obj.pk).exists()
    if isinstance(obj, Contract) and field_name == "signed_file":
        return contracts_for(acting).filter(pk=obj.pk).exists()
    if isinstance(obj, DiaryMonth) and field_name == "timesheet_scan":
        return _can_download_month_scan(acting, obj)
    return False


PLAN_FILES = {"application_file", "agreement_scan", "extension_order"}


def _can_download_month_scan(acting, diary_month):
    plan = diary_month.plan
    if not plans_for(acting).filter(pk=plan.pk).exists():
        return False
    return diary_access(acting, plan) in (DIARY_FULL, DIARY_APPROVAL)


def contracts_for(acting):
    """CON-6: the mentor's own contracts; the employer's; those of plans the role may read."""
    from django.db.models import Q

    from mentors.models import Contract

    contracts = Contract.objects.all()
    if acting.has_role(Role.MENTOR):
        return contracts.filter(mentor__user=acting.user)
    if acting.has_role(Role.PREPARER, Role.APPROVER):
        return contracts.filter(
            Q(employer_id=acting.institution_id)
            | Q(plans__learner__institution_id=acting.institution_id)
        ).distinct()
    return _by_region(contracts, acting, "employer")

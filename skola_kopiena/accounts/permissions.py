"""The one place that decides who may see or do what.

Every view gets its objects through a helper here: objects outside the acting role's scope
answer 404 (their existence does not leak), a write the role may not make answers 403.
Decisions follow the role the user acts as now (`request.acting`), scoped to an institution
or to regions. Deny by default: a user without an active role sees nothing.

The Django admin asks the same module (`ADMIN_RULES`, `admin_acting`), with the same scopes.

This module is the one deliberate exception to the rule that apps import only to their
left: it must know every kind of object, so it imports later apps' models lazily.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Role, RoleMembership

ROLE_ORDER = [Role.MENTOR, Role.PREPARER, Role.APPROVER, Role.STAFF, Role.ADMIN]
REGISTRY_MANAGERS = (Role.STAFF, Role.ADMIN)
ADMIN_ROLES = (Role.STAFF, Role.ADMIN)


@dataclass(frozen=True)
class Acting:
    """The user and the role they act as for this request, computed once per request."""

    user: object
    membership: RoleMembership | None
    memberships: tuple = ()
    # Administrators without a role row (a superuser made on the command line) act as one.
    superuser: bool = field(default=False)

    @property
    def role(self):
        if self.superuser:
            return Role.ADMIN
        if self.membership is not None:
            return self.membership.role
        return None

    @property
    def institution_id(self):
        return self.membership.institution_id if self.membership else None

    @property
    def region_ids(self):
        """The regions of a staff member: every region of their active staff roles, so that a
        coordinator of several regions sees all of them (None among them: the whole country).
        """
        if not self.is_staff:
            return frozenset()
        return frozenset(m.region_id for m in self.memberships if m.role == Role.STAFF)

    @property
    def may_use_admin(self):
        return getattr(self.user, "is_superuser", False) or any(
            m.role in ADMIN_ROLES for m in self.memberships
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
        return self.is_admin or (self.is_staff and None in self.region_ids)

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
        return mentors.filter(region_id__in=acting.region_ids)
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
        return requests.filter(mentor__region_id__in=acting.region_ids)
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
        return queryset.filter(**{f"{path}__municipality__region_id__in": acting.region_ids})
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
        # The approver sees a plan from its submission on, never a draft; APR-1: also the
        # plans whose mentor the institution (or youth centre) employs.
        return plans.filter(
            Q(learner__institution_id=acting.institution_id)
            | Q(contract__employer_id=acting.institution_id)
        ).exclude(status=Plan.Status.DRAFT)
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


# --- The diary (DIA-6, ACC-1, APR) ------------------------------------------------------

DIARY_FULL = "full"  # the mentor, project staff and administrators: every field
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
    if acting.is_staff or acting.is_admin:
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
        plan = plans_for(acting).select_related("learner", "mentor").filter(pk=obj.pk).first()
        return plan is not None and field_name in plan_documents_for(acting, plan)
    if isinstance(obj, Contract) and field_name == "signed_file":
        return contracts_for(acting).filter(pk=obj.pk).exists()
    if isinstance(obj, DiaryMonth) and field_name == "timesheet_scan":
        return _can_download_month_scan(acting, obj)
    return False


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


# --- The Django admin --------------------------------------------------------------------
# The admin is a view like any other: every list, change, add, delete and history page asks
# `admin_may` with the same scopes as the portal. Levels of admin users, from narrow to wide:
REGIONAL, NATIONAL, ADMINISTRATOR = 1, 2, 3


def admin_acting(request):
    """The role a user acts as in the admin: administrator if they are one, else project staff
    of all their regions. Computed once per request."""
    cached = getattr(request, "_admin_acting", None)
    if cached is not None:
        return cached
    acting = getattr(request, "acting", None) or acting_for(request.user)
    user = request.user
    if acting.role not in ADMIN_ROLES:
        chosen = next((m for m in reversed(acting.memberships) if m.role in ADMIN_ROLES), None)
        acting = Acting(user=user, membership=chosen, memberships=acting.memberships)
    if getattr(user, "is_superuser", False) and user.is_active and not acting.is_admin:
        acting = Acting(user=user, membership=None, memberships=acting.memberships, superuser=True)
    request._admin_acting = acting
    return acting


def admin_level(acting):
    if acting.is_admin:
        return ADMINISTRATOR
    if acting.is_national:
        return NATIONAL
    if acting.is_staff:
        return REGIONAL
    return None


def can_use_admin(request):
    return request.user.is_active and admin_level(admin_acting(request)) is not None


@dataclass(frozen=True)
class AdminRule:
    """The narrowest level that may view, add, change or delete a model's rows in the admin
    (None: nobody), and the rows each acting user may see at all (`scope`; None: all rows)."""

    view: int | None = ADMINISTRATOR
    add: int | None = None
    change: int | None = None
    delete: int | None = None
    scope: object = None


def users_for(acting):
    """Accounts whose roles, or whose registry entry, lie in the staff member's regions."""
    from django.db.models import Exists, OuterRef, Q

    from .models import User

    users = User.objects.all()
    if acting.is_national:
        return users
    if not acting.is_staff:
        return users.none()
    regions = acting.region_ids
    in_region = RoleMembership.objects.filter(user=OuterRef("pk")).filter(
        Q(region_id__in=regions) | Q(institution__municipality__region_id__in=regions)
    )
    from mentors.models import Mentor

    mentor_here = Mentor.objects.filter(user=OuterRef("pk"), region_id__in=regions)
    return users.filter(Q(Exists(in_region)) | Q(Exists(mentor_here)))


def access_log_for(acting):
    """ACC-1: staff read the log of their regions' children and mentors; national staff all."""
    from .models import AccessLog

    if acting.is_national:
        return AccessLog.objects.all()
    if acting.is_staff:
        return AccessLog.objects.filter(region_id__in=acting.region_ids)
    return AccessLog.objects.none()


def institutions_for(acting):
    from skola_kopiena.schools.models import Institution

    institutions = Institution.objects.all()
    if acting.is_national:
        return institutions
    return institutions.filter(municipality__region_id__in=acting.region_ids)


def invitations_in_scope(acting):
    from iap.models import Invitation

    return Invitation.objects.filter(plan__in=plans_for(acting).values("pk"))


def diary_months_for(acting):
    from diary.models import DiaryMonth

    return DiaryMonth.objects.filter(plan__in=plans_for(acting).values("pk"))


# Each model's rules in the admin. Rows that carry a rule change only through the portal's
# services, so their models are read-only here; nothing the project must keep is deleted.
ADMIN_RULES = {
    # Only administrators make accounts and give or take roles (staff read their region's).
    "accounts.user": AdminRule(
        view=REGIONAL, add=ADMINISTRATOR, change=ADMINISTRATOR, scope=users_for
    ),
    "accounts.accesslog": AdminRule(view=REGIONAL, scope=access_log_for),
    "account.emailaddress": AdminRule(view=ADMINISTRATOR),
    "mfa.authenticator": AdminRule(view=ADMINISTRATOR, delete=ADMINISTRATOR),
    "notifications.sentemail": AdminRule(view=ADMINISTRATOR),
    # The national calendar and reference data: the national team keeps them (CAL-2).
    "schools.region": AdminRule(view=REGIONAL, change=NATIONAL),
    "schools.municipality": AdminRule(view=REGIONAL, change=NATIONAL),
    "schools.schoolyear": AdminRule(view=REGIONAL, add=NATIONAL, change=NATIONAL),
    # A coordinator keeps their region's institutions (APR-2: the approval day).
    "schools.institution": AdminRule(
        view=REGIONAL, add=NATIONAL, change=REGIONAL, scope=institutions_for
    ),
    "mentors.mentor": AdminRule(view=REGIONAL, change=REGIONAL, scope=mentors_for),
    "mentors.changerequest": AdminRule(view=REGIONAL, scope=change_requests_for),
    "mentors.registryimport": AdminRule(view=REGIONAL, scope=registry_imports_for),
    "mentors.contract": AdminRule(view=REGIONAL, scope=contracts_for),
    "iap.learner": AdminRule(view=REGIONAL, scope=learners_for),
    "iap.plan": AdminRule(view=REGIONAL, scope=plans_for),
    "iap.invitation": AdminRule(view=REGIONAL, scope=invitations_in_scope),
    "diary.diarymonth": AdminRule(view=REGIONAL, scope=diary_months_for),
}


def admin_rule(model):
    return ADMIN_RULES.get(model._meta.label_lower, AdminRule(view=None))


def admin_may(acting, action, model):
    """Whether the acting user may `action` ("view", "add", "change", "delete") rows of
    `model` in the admin at all; which rows is `admin_scope`'s answer."""
    level = admin_level(acting)
    needed = getattr(admin_rule(model), action)
    return level is not None and needed is not None and level >= needed


def admin_scope(acting, model, queryset):
    """The rows of `model` the acting user may see in the admin: the portal's scope."""
    if not admin_may(acting, "view", model):
        return queryset.none()
    scope = admin_rule(model).scope
    if scope is None:
        return queryset
    return queryset.filter(pk__in=scope(acting).order_by().values("pk"))


def can_grant_role(acting, role):
    """Nobody gives a role wider than their own; only administrators give roles at all."""
    return acting.is_admin and ROLE_ORDER.index(role) <= ROLE_ORDER.index(acting.role)


def may_edit_account(acting, account):
    """Administrators keep accounts; a superuser's account only another superuser, so that
    setting its password is no way up."""
    return acting.is_admin and (acting.user.is_superuser or not account.is_superuser)

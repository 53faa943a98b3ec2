"""Who may see or do what in the mentor registry and with contracts (REG, CON), on the shared
scopes of `skola_kopiena.accounts.permissions`."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from skola_kopiena.accounts.models import Role, RoleMembership, User
from skola_kopiena.accounts.permissions import (
    ADMINISTRATOR,
    REGIONAL,
    AdminRule,
    in_regions,
    register_admin_rules,
    register_download,
    require_role,
)

from .models import ChangeRequest, Contract, Mentor, RegistryImport

REGISTRY_MANAGERS = (Role.STAFF, Role.ADMIN)


def can_search_registry(acting):
    # REG-2: preparers search the registry; mentors never see other mentors; auditors read
    # their regions' entries (an auditor of granted plans only has none).
    return acting.has_role(Role.PREPARER, Role.APPROVER, Role.STAFF, Role.ADMIN) or acting.oversees


def mentors_for(acting):
    """Mentor entries the acting role may see."""
    mentors = Mentor.objects.all()
    if acting.is_national:
        return mentors
    if acting.oversees:
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


def sees_registry_status(acting):
    """Whether a mentor is available and hidden from the search: for those who keep the
    registry, and auditors, who read what they see."""
    return can_manage_registry(acting) or acting.oversees


def own_mentor_entry(acting):
    """REG-3: the mentor's own entry; nobody else has one to see here."""
    require_role(acting, Role.MENTOR)
    mentor = Mentor.objects.filter(user=acting.user).select_related("region").first()
    if mentor is None:
        raise Http404
    return mentor


def change_requests_for(acting):
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


def users_for(acting):
    """Accounts whose roles, or whose registry entry, lie in the staff member's regions."""
    users = User.objects.all()
    if acting.is_national:
        return users
    if not acting.is_staff:
        return users.none()
    regions = acting.region_ids
    in_region = RoleMembership.objects.filter(user=OuterRef("pk")).filter(
        Q(region_id__in=regions) | Q(institution__municipality__region_id__in=regions)
    )
    # A mentor's login has no scoped role: their registry entry's region places them.
    mentor_here = Mentor.objects.filter(user=OuterRef("pk"), region_id__in=regions)
    return users.filter(Q(Exists(in_region)) | Q(Exists(mentor_here)))


def contracts_for(acting):
    """CON-6: the mentor's own contracts; the employer's; those of plans the role may read."""
    contracts = Contract.objects.all()
    if acting.has_role(Role.MENTOR):
        return contracts.filter(mentor__user=acting.user)
    if acting.has_role(Role.PREPARER, Role.APPROVER):
        school_plans = Contract.plans.rel.related_model.objects.filter(
            contract=OuterRef("pk"), institution_id=acting.institution_id
        )
        return contracts.filter(Q(employer_id=acting.institution_id) | Exists(school_plans))
    return in_regions(contracts, acting, "employer")


register_admin_rules(
    {
        # Only administrators make accounts and give or take roles (staff read their
        # region's: roles scoped there, or mentors' entries there).
        "accounts.user": AdminRule(
            view=REGIONAL, add=ADMINISTRATOR, change=ADMINISTRATOR, scope=users_for
        ),
        "mentors.mentor": AdminRule(view=REGIONAL, change=REGIONAL, scope=mentors_for),
        "mentors.changerequest": AdminRule(view=REGIONAL, scope=change_requests_for),
        "mentors.registryimport": AdminRule(view=REGIONAL, scope=registry_imports_for),
        "mentors.contract": AdminRule(view=REGIONAL, scope=contracts_for),
    }
)
register_download(
    RegistryImport,
    "source_file",
    lambda acting, obj: registry_imports_for(acting).filter(pk=obj.pk).exists(),
)
# CON-6: the signed contract.
register_download(
    Contract, "signed_file", lambda acting, obj: contracts_for(acting).filter(pk=obj.pk).exists()
)

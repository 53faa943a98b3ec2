"""The shared permission API: who acts, in which role and scope, and the Django admin's rules.

Every view gets its objects through a policy helper: objects outside the acting role's scope
answer 404 (their existence does not leak), a write the role may not make answers 403.
Decisions follow the role the user acts as now (`request.acting`), scoped to an institution
or to regions. Deny by default: a user without an active role sees nothing.

Each app keeps its own decisions in a small `policies.py` built on the scopes here
(`mentors.policies`, `iap.policies`, `diary.policies`), and registers there the admin rules
and private-file rules of its models, so that this module imports no later app.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from skola_kopiena.notifications.models import SentEmail
from skola_kopiena.schools.models import Institution

from .models import AccessLog, Role, RoleMembership

ROLE_ORDER = [Role.MENTOR, Role.PREPARER, Role.APPROVER, Role.AUDITOR, Role.STAFF, Role.ADMIN]
ADMIN_ROLES = (Role.STAFF, Role.ADMIN)
# Roles that read a region's or the country's data: project staff, and auditors, who read
# what staff read and change nothing.
REGION_ROLES = (Role.STAFF, Role.AUDITOR)


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
        """The regions of a staff member or auditor: every region of their active roles of the
        acting kind, so that a coordinator of several regions sees all of them (None among
        them: the whole country). An auditor who reads granted plans only has none.
        """
        if self.role not in REGION_ROLES:
            return frozenset()
        return frozenset(
            m.region_id for m in self.memberships if m.role == self.role and not m.sample_only
        )

    @property
    def may_use_admin(self):
        return getattr(self.user, "is_superuser", False) or any(
            m.role in ADMIN_ROLES for m in self.memberships
        )

    @property
    def needs_second_factor(self):
        """Project staff, auditors and administrators, who read many children's data."""
        return self.may_use_admin or any(m.role == Role.AUDITOR for m in self.memberships)

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def is_staff(self):
        return self.role == Role.STAFF

    @property
    def is_auditor(self):
        return self.role == Role.AUDITOR

    @property
    def oversees(self):
        """Project staff, and auditors of a region or the whole country: they read the data
        of their regions. Only staff write it."""
        return self.role in REGION_ROLES and bool(self.region_ids)

    @property
    def is_national(self):
        """National staff and auditors, and administrators, see every region."""
        return self.is_admin or (self.role in REGION_ROLES and None in self.region_ids)

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


def can_export_records(acting):
    """A person's complete record (a data-protection request, an audit): project staff and
    auditors of the person's region, national ones and administrators. An auditor of granted
    plans only reads those plans, not a person's whole record."""
    return acting.oversees or acting.is_admin


def require_role(acting, *roles):
    """403 unless the acting role is one of `roles`."""
    if not acting.has_role(*roles):
        raise PermissionDenied


def sees_region(acting, region_id):
    """Whether the region is one the acting staff member or auditor sees (None, the whole
    country: national ones and administrators only)."""
    return acting.is_national or (acting.oversees and region_id in acting.region_ids)


def in_regions(queryset, acting, path):
    """National staff and auditors see all; regional ones their regions; anyone else nothing
    here."""
    if acting.is_national:
        return queryset
    if acting.oversees:
        return queryset.filter(**{f"{path}__municipality__region_id__in": acting.region_ids})
    return queryset.none()


# --- Private files (ACC-2) ---------------------------------------------------------------

# (model label, field name) -> rule(acting, obj): registered by each app's policies.
DOWNLOAD_RULES = {}


def register_download(model, field_name, rule):
    DOWNLOAD_RULES[(model._meta.label_lower, field_name)] = rule


def can_download(acting, obj, field_name):
    """Whether the acting role may download the file in `obj.<field_name>`: the rule its app
    registered for it; a file without one is refused."""
    rule = DOWNLOAD_RULES.get((obj._meta.label_lower, field_name))
    return rule is not None and rule(acting, obj)


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


def access_log_for(acting):
    """ACC-1: staff and auditors read the log of their regions' children and mentors;
    national ones all."""
    if acting.is_national:
        return AccessLog.objects.all()
    if acting.oversees:
        return AccessLog.objects.filter(region_id__in=acting.region_ids)
    return AccessLog.objects.none()


def sent_emails_for(acting):
    if acting.is_national:
        return SentEmail.objects.all()
    return SentEmail.objects.filter(region_id__in=acting.region_ids)


def institutions_for(acting):
    institutions = Institution.objects.all()
    if acting.is_national:
        return institutions
    return institutions.filter(municipality__region_id__in=acting.region_ids)


# Each model's rules in the admin; each app registers its own models' rules in its policies.
# Rows that carry a rule change only through the portal's services, so their models are
# read-only there; nothing the project must keep is deleted.
ADMIN_RULES = {}


def register_admin_rules(rules):
    ADMIN_RULES.update(rules)


register_admin_rules(
    {
        "accounts.accesslog": AdminRule(view=REGIONAL, scope=access_log_for),
        "account.emailaddress": AdminRule(view=ADMINISTRATOR),
        "mfa.authenticator": AdminRule(view=ADMINISTRATOR, delete=ADMINISTRATOR),
        # Reminders and notices: coordinators see those of their region (national: all).
        "notifications.sentemail": AdminRule(view=REGIONAL, scope=sent_emails_for),
        # The national calendar and reference data: the national team keeps them (CAL-2).
        "schools.region": AdminRule(view=REGIONAL, change=NATIONAL),
        "schools.municipality": AdminRule(view=REGIONAL, change=NATIONAL),
        "schools.schoolyear": AdminRule(view=REGIONAL, add=NATIONAL, change=NATIONAL),
        # A coordinator keeps their region's institutions (APR-2: the approval day).
        "schools.institution": AdminRule(
            view=REGIONAL, add=NATIONAL, change=REGIONAL, scope=institutions_for
        ),
    }
)


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
    # The scope's conditions joined to the list's own query (not `pk IN (the whole scope)`),
    # so that the database reads a page of rows in the list's order, not the region first.
    # Staff scopes follow foreign keys only, so no row is listed twice.
    return queryset & scope(acting).order_by()


def can_grant_role(acting, role):
    """Nobody gives a role wider than their own; only administrators give roles at all."""
    return acting.is_admin and ROLE_ORDER.index(role) <= ROLE_ORDER.index(acting.role)


def may_edit_account(acting, account):
    """Administrators keep accounts; a superuser's account only another superuser, so that
    setting its password is no way up."""
    return acting.is_admin and (acting.user.is_superuser or not account.is_superuser)

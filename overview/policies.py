"""Who sees the overview, and which regions it shows them."""

from skola_kopiena.accounts.models import Role


def can_see_overview(acting):
    """Project staff follow their regions (several, for a coordinator of several), national
    staff and administrators the whole country."""
    return acting.has_role(Role.STAFF, Role.ADMIN)


def overview_region_ids(acting):
    """The regions the overview shows side by side: None for every region."""
    return None if acting.is_national else sorted(acting.region_ids)

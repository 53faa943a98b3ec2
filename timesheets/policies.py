"""Who checks the hours against the diary (APR-4)."""

from diary.policies import diary_months_for
from skola_kopiena.accounts.models import Role


def can_see_verification(acting):
    """APR-4: project staff of the month's region, national staff and administrators."""
    return acting.has_role(Role.STAFF, Role.ADMIN)


def can_verify_hours(acting):
    """APR-4: project staff verify; administrators read what they found."""
    return acting.is_staff


def verifiable_months_for(acting):
    """The diary months of the acting staff member's regions (404 beyond them)."""
    if not can_see_verification(acting):
        return diary_months_for(acting).none()
    return diary_months_for(acting)

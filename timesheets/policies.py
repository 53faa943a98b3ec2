"""Who checks the hours against the diary (APR-4)."""

from diary.policies import diary_months_for


def can_see_verification(acting):
    """APR-4: project staff and auditors of the month's region, national ones and
    administrators."""
    return acting.oversees or acting.is_admin


def can_verify_hours(acting):
    """APR-4: project staff verify; auditors and administrators read what they found."""
    return acting.is_staff


def verifiable_months_for(acting):
    """The diary months of the acting staff member's regions (404 beyond them)."""
    if not can_see_verification(acting):
        return diary_months_for(acting).none()
    return diary_months_for(acting)

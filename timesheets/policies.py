"""Who checks the hours against the diary (APR-4)."""

from diary.policies import diary_months_for
from iap.models import Plan
from iap.policies import audited_plan_ids, reads_granted_plans
from skola_kopiena.accounts.permissions import institutions_for
from skola_kopiena.schools.models import Institution


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


def verification_employers(acting):
    """The employers to filter the months by: those of the role's regions, and for an auditor
    also those of the plans granted to them elsewhere, whose months the list shows too."""
    employers = institutions_for(acting)
    if reads_granted_plans(acting):
        granted = Plan.objects.filter(pk__in=audited_plan_ids(acting)).values("contract__employer")
        employers |= Institution.objects.filter(pk__in=granted)
    return employers

"""Hours approval by the employer's responsible person (APR-1..4)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diary.models import DiaryMonth
from skola_kopiena.services import field_error, service

from . import tasks
from .models import MonthVerification


def _lock(diary_month, expected):
    locked = DiaryMonth.objects.select_for_update().get(pk=diary_month.pk)
    if locked.status != expected:
        raise ValidationError(
            _("This month is already %(status)s.") % {"status": locked.get_status_display()},
            code="APR-3",
        )
    return locked


@service
def month_approve(*, actor, diary_month):
    """APR-1: the employer approves the confirmed hours; the month is then locked (APR-3)."""
    diary_month = _lock(diary_month, DiaryMonth.Status.CONFIRMED)
    diary_month.status = DiaryMonth.Status.APPROVED
    diary_month.decided_by = actor
    diary_month.decided_at = timezone.now()
    diary_month.return_reason = ""
    diary_month.save()
    return diary_month


@service
def month_return(*, actor, diary_month, reason):
    """APR-3: back to the mentor with a reason they see; they correct and confirm again."""
    if not reason.strip():
        raise field_error(
            "reason",
            _("Say what the mentor must correct."),
            "APR-3",
        )
    diary_month = _lock(diary_month, DiaryMonth.Status.CONFIRMED)
    diary_month.status = DiaryMonth.Status.RETURNED
    diary_month.decided_by = actor
    diary_month.decided_at = timezone.now()
    diary_month.return_reason = reason.strip()
    diary_month.save()
    decided_at = diary_month.decided_at.isoformat()
    transaction.on_commit(lambda: tasks.notify_month_returned.delay(diary_month.pk, decided_at))
    return diary_month


@service
def month_reopen(*, actor, diary_month, reason):
    """APR-3: only project staff reopen an approved month, with a reason."""
    if not reason.strip():
        raise field_error(
            "reason",
            _("Say why the month is reopened."),
            "APR-3",
        )
    diary_month = _lock(diary_month, DiaryMonth.Status.APPROVED)
    diary_month.status = DiaryMonth.Status.RETURNED
    diary_month.return_reason = reason.strip()
    diary_month.reopen_reason = reason.strip()
    diary_month.decided_by = actor
    diary_month.decided_at = timezone.now()
    diary_month.save()
    return diary_month


# APR-4: the months whose hours can be checked: confirmed by the mentor, or approved.
VERIFIABLE = (DiaryMonth.Status.CONFIRMED, DiaryMonth.Status.APPROVED)


@service
def month_verify(*, actor, diary_month, outcome, finding=""):
    """APR-4: project staff record their check of a month's hours against the full diary:
    verified, or a finding in words. Checking again replaces the outcome; the history keeps
    the earlier one."""
    diary_month = DiaryMonth.objects.select_for_update().get(pk=diary_month.pk)
    if diary_month.status not in VERIFIABLE:
        raise ValidationError(
            _("Only a month the mentor has confirmed can be checked; this one is %(status)s.")
            % {"status": diary_month.get_status_display()},
            code="APR-4",
        )
    finding = finding.strip()
    if outcome == MonthVerification.Outcome.FINDING and not finding:
        raise field_error("finding", _("Describe the finding."), "APR-4")
    verification = MonthVerification.objects.filter(diary_month=diary_month).first()
    verification = verification or MonthVerification(diary_month=diary_month)
    verification.outcome = outcome
    verification.finding = finding if outcome == MonthVerification.Outcome.FINDING else ""
    verification.checked_by = actor
    verification.checked_at = timezone.now()
    verification.full_clean()
    verification.save()
    return verification

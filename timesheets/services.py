"""Hours approval by the employer's responsible person (APR-1..4)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diary.models import DiaryMonth
from skola_kopiena.services import field_error, service

from . import tasks


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

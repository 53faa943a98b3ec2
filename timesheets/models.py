from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MonthVerification(models.Model):
    """APR-4: project staff's check of a month's hours against the full diary and the signed
    timesheet: verified, or a finding in words. One per month; a later check changes it, and
    the history keeps what it said before."""

    class Outcome(models.TextChoices):
        VERIFIED = "verified", _("verified: the hours match the diary and the timesheet")
        FINDING = "finding", _("a finding")

    diary_month = models.OneToOneField(
        "diary.DiaryMonth",
        on_delete=models.PROTECT,
        related_name="verification",
        verbose_name=_("diary month"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    finding = models.TextField(_("finding"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hours verification")
        verbose_name_plural = _("hours verifications")
        constraints = [
            # APR-4: a finding says what is wrong; a verified month needs no words.
            models.CheckConstraint(
                name="verification_finding_described",
                condition=Q(outcome="verified") | ~Q(finding=""),
            ),
        ]
        indexes = [
            # The findings page lists the findings, newest first.
            models.Index(
                fields=["-checked_at"], condition=Q(outcome="finding"), name="verification_finding"
            ),
        ]

    def __str__(self):
        return f"{self.diary_month}: {self.get_outcome_display()}"

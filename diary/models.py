import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from skola_kopiena.files.fields import PrivateFileField

# Month arithmetic lives with the calendar's models; the diary's callers import it from here.
from skola_kopiena.schools.models import month_start, months_from, next_month_start  # noqa: F401

# DIA-4: one academic hour is 40 minutes.
ACADEMIC_HOUR_MINUTES = 40


def academic_hours(minutes):
    """DIA-4: whole academic hours, rounded down (120 minutes = 3 hours)."""
    return max(minutes, 0) // ACADEMIC_HOUR_MINUTES


class DiaryEntry(models.Model):
    """One meeting of the mentor with the learner, planned and then reported (DIA-2).

    The diary of a plan is its entries (DIA-1). `starts_at`/`ends_at` and `mentor` are kept
    so that the database can refuse two overlapping meetings of one mentor (CAP-3).
    """

    plan = models.ForeignKey(
        "iap.Plan",
        on_delete=models.PROTECT,
        related_name="diary_entries",
        verbose_name=_("support plan"),
        db_index=False,  # the (plan, date) index below serves its lookups
    )
    mentor = models.ForeignKey(
        "mentors.Mentor",
        on_delete=models.PROTECT,
        related_name="diary_entries",
        verbose_name=_("mentor"),
        db_index=False,  # the (mentor, date) index below serves its lookups
    )
    date = models.DateField(_("Date"))
    start_time = models.TimeField(_("Start"))
    end_time = models.TimeField(
        _("End"), help_text=_("00:00 means midnight at the end of the day.")
    )
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    hours = models.PositiveSmallIntegerField(_("Number of hours"), editable=False)
    place = models.CharField(_("Place"), max_length=200)
    topic = models.CharField(_("Topic or intended results"), max_length=500)
    result = models.TextField(_("Result"), blank=True)
    comment = models.TextField(_("Comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["plan", "date"]), models.Index(fields=["mentor", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="diary_entry_ends_after_start"
            ),
            # DIA-4, CAP-2: at least one academic hour, at most twenty in any meeting.
            models.CheckConstraint(
                condition=Q(hours__gte=1, hours__lte=20), name="diary_entry_hours_1_20"
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def has_result(self):
        return bool(self.result.strip())


class DiaryMonth(models.Model):
    """A calendar month of a plan's diary, confirmed by the mentor and approved by the employer
    (DIA-7, DIA-8, TS-3, APR-1..4)."""

    class Status(models.TextChoices):
        OPEN = "open", _("being filled in")
        CONFIRMED = "confirmed", _("confirmed, waiting for approval")
        RETURNED = "returned", _("returned for corrections")
        APPROVED = "approved", _("approved")

    plan = models.ForeignKey(
        "iap.Plan",
        on_delete=models.PROTECT,
        related_name="diary_months",
        verbose_name=_("support plan"),
        db_index=False,  # diary_month_unique below serves its lookups
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)
    timesheet_scan = PrivateFileField(_("signed timesheet scan"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or returned by"),
    )
    decided_at = models.DateTimeField(_("approved or returned"), null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("diary month")
        verbose_name_plural = _("diary months")
        # By the plan's id, not its own ordering, which would join the semester and learner.
        ordering = ["plan_id", "month"]
        indexes = [
            # The approver's queue and the staff's counts read only the months waiting for
            # approval: a few thousand, however many years of approved months lie behind.
            models.Index(
                fields=["month", "confirmed_at", "id"],
                condition=Q(status="confirmed"),
                name="diary_month_waiting",
            ),
            # The administration's list, newest month first.
            models.Index(fields=["month", "id"], name="diary_month_by_month"),
        ]
        constraints = [
            # Covering: the overview sums a period's plans' hours per month and status from
            # this index alone, one probe per plan, however many years lie in the table.
            models.UniqueConstraint(
                fields=["plan", "month"], include=["status", "hours"], name="diary_month_unique"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="diary_month_first_day"),
            models.CheckConstraint(condition=Q(hours__lte=20), name="diary_month_hours_max_20"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.month:%m.%Y}"

    def download_name(self, field_name):
        """The scan's name when downloaded: whose month it is, not the random stored name."""
        return f"grafiks-nr{self.plan_id}-{self.month:%Y-%m}"

    def access_log_subject(self):
        return self.plan.access_log_subject() | {"month": self.month}

    @property
    def approval_deadline(self):
        """APR-2: the employer's day of the following month (None before a contract)."""
        contract = self.plan.contract
        return contract.employer.hours_approval_deadline(self.month) if contract else None

    @property
    def is_locked_for_mentor(self):
        return self.status in (self.Status.CONFIRMED, self.Status.APPROVED)

    @property
    def last_day(self):
        return next_month_start(self.month) - datetime.timedelta(days=1)

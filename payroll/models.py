"""Pay (PAY): the unit-cost standard rates per academic hour, and the employers' payroll runs."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from skola_kopiena.exports import RegionalExportJob

CENT = Decimal("0.01")


def to_cents(amount):
    """PAY-6: money is rounded to cents half-up, once, at the end of each line."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


class RateQuerySet(models.QuerySet):
    def overlapping(self, rate):
        """Other rates whose period shares a day with `rate`'s (an open end never ends)."""
        others = self.exclude(pk=rate.pk).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=rate.valid_from)
        )
        if rate.valid_to:
            others = others.filter(valid_from__lte=rate.valid_to)
        return others

    def in_force_on(self, day):
        """PAY-2, PAY-6: the rate in force on `day` (a month is paid at its first day's)."""
        return self.filter(Rate.in_force_q(day)).first()


class Rate(models.Model):
    """PAY-2: the unit-cost standard rate per academic hour, which includes the salary, the
    holiday pay and the employer's social contributions; revised once a year. Periods never
    overlap (on PostgreSQL also an exclusion constraint, payroll/migrations/0002)."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Leave empty while it is in force.")
    )
    amount = models.DecimalField(_("euros per academic hour"), max_digits=7, decimal_places=2)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=255,
        help_text=_("The methodology that sets the rate: its name and date."),
    )
    # The parts of the rate, so that an employer's accountant sees the gross wage.
    salary = models.DecimalField(
        _("of which salary"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    holiday_pay = models.DecimalField(
        _("of which holiday pay"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    social_contributions = models.DecimalField(
        _("of which the employer's social contributions"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    objects = RateQuerySet.as_manager()

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="rate_amount_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="rate_period_ends_after_it_starts",
            ),
            # The parts, when given, are all given and add up to the rate.
            models.CheckConstraint(
                condition=Q(
                    salary__isnull=True, holiday_pay__isnull=True, social_contributions__isnull=True
                )
                | Q(amount=F("salary") + F("holiday_pay") + F("social_contributions")),
                name="rate_parts_add_up",
                violation_error_message=_(
                    "Give all three parts of the rate, adding up to the rate, or none."
                ),
            ),
        ]

    def __str__(self):
        until = date_format(self.valid_to) if self.valid_to else "…"
        return f"{self.amount} € · {date_format(self.valid_from)}–{until}"

    @staticmethod
    def in_force_q(day):
        return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def is_in_force_on(self, day):
        """The same as `in_force_q`, for rates already read."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        # PAY-2: one rate at a time (the database refuses it too, on PostgreSQL).
        if self.valid_from and (error := self.overlap_error()):
            raise error

    def overlap_error(self):
        """The refusal of a period overlapping another rate's (None if it overlaps none)."""
        clash = Rate.objects.overlapping(self).first()
        if clash is None:
            return None
        return ValidationError(
            {
                "valid_from": ValidationError(
                    _("The period overlaps the rate %(rate)s: end that one first.")
                    % {"rate": clash},
                    code="PAY-2",
                )
            }
        )


class PayrollRun(models.Model):
    """PAY-3, PAY-6: an employer's payroll of one month, closed once and never changed: its
    lines are frozen as they were when it was closed."""

    employer = models.ForeignKey(
        "schools.Institution",
        on_delete=models.PROTECT,
        related_name="payroll_runs",
        verbose_name=_("employer"),
        db_index=False,  # payroll_run_once_per_employer_month serves its lookups
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    closed_at = models.DateTimeField(_("closed"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    hours = models.IntegerField(_("hours"))
    amount = models.DecimalField(_("amount, EUR"), max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        ordering = ["-month", "employer__name"]
        indexes = [models.Index(fields=["month", "employer"])]
        constraints = [
            # PAY-6: one run per employer and month.
            models.UniqueConstraint(
                fields=["employer", "month"], name="payroll_run_once_per_employer_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="payroll_run_first_day"),
        ]

    def __str__(self):
        return f"{self.employer} · {self.month:%m.%Y}"

    def access_log_subject(self):
        return {"region_id": self.employer.municipality.region_id, "month": self.month}


class PayrollLine(models.Model):
    """One mentor's approved hours of one plan in one month, as paid in a run (PAY-1, PAY-6).

    A month approved after its own run was closed is paid in a later run as a correction line,
    labelled with the month it belongs to; a month reopened and approved again with other
    hours is corrected by the difference. The names and numbers are copied, so that a closed
    run reads the same for ever.
    """

    run = models.ForeignKey(
        PayrollRun,
        on_delete=models.PROTECT,
        related_name="lines",
        verbose_name=_("payroll run"),
        db_index=False,  # payroll_line_once_per_run below serves its lookups
    )
    diary_month = models.ForeignKey(
        "diary.DiaryMonth",
        on_delete=models.PROTECT,
        related_name="payroll_lines",
        verbose_name=_("diary month"),
    )
    month = models.DateField(_("month of the hours"))
    plan = models.ForeignKey(
        "iap.Plan",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("support plan"),
        db_index=False,  # payroll_line_by_plan below serves its lookups
    )
    mentor = models.ForeignKey(
        "mentors.Mentor",
        on_delete=models.PROTECT,
        related_name="payroll_lines",
        verbose_name=_("mentor"),
    )
    mentor_name = models.CharField(_("mentor's name in the payment"), max_length=201)
    certificate_number = models.CharField(_("certificate number"), max_length=50)
    contract = models.ForeignKey(
        "mentors.Contract", on_delete=models.PROTECT, related_name="+", verbose_name=_("contract")
    )
    contract_label = models.CharField(_("contract in the payment"), max_length=120)
    hours = models.IntegerField(_("hours"))
    rate = models.ForeignKey(
        Rate, on_delete=models.PROTECT, related_name="+", verbose_name=_("rate")
    )
    rate_amount = models.DecimalField(_("rate, EUR"), max_digits=7, decimal_places=2)
    amount = models.DecimalField(_("amount, EUR"), max_digits=10, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payroll line")
        verbose_name_plural = _("payroll lines")
        ordering = ["run", "mentor_name", "month", "plan"]
        indexes = [
            # The overview's paid hours of a period's plans per month, from this index alone.
            models.Index(fields=["plan"], include=["month", "hours"], name="payroll_line_by_plan"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "diary_month"], name="payroll_line_once_per_run"
            ),
            # PAY-6: whole academic hours at a rate in cents make an amount in whole cents
            # (rounded only for SQLite, whose decimals are floating point).
            models.CheckConstraint(
                condition=Q(amount=Round(F("hours") * F("rate_amount"), 2)),
                name="payroll_line_amount_is_hours_times_rate",
            ),
            models.CheckConstraint(condition=~Q(hours=0), name="payroll_line_has_hours"),
        ]

    def __str__(self):
        return f"{self.run} · {self.mentor_name} · {self.month:%m.%Y}"

    @property
    def is_correction(self):
        return self.month != self.run.month


class PayrollExport(RegionalExportJob):
    """A spreadsheet of closed payroll runs (one employer, a region, or the whole country)."""

    month = models.DateField(_("month"))
    # One employer; or one region; or neither: the whole country.
    employer = models.ForeignKey(
        "schools.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer"),
    )

    class Meta:
        verbose_name = _("payroll export")
        verbose_name_plural = _("payroll exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer__isnull=True) | Q(region__isnull=True),
                name="payroll_export_one_scope",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="payroll_export_first_day"),
        ]

    def __str__(self):
        return self.original_name

    @property
    def original_name(self):
        """The name the file is downloaded under."""
        scope = (
            f"iestade-{self.employer_id}"
            if self.employer_id
            else f"regions-{self.region_id}"
            if self.region_id
            else "latvija"
        )
        return f"darba-samaksa-{self.month:%Y-%m}-{scope}.{self.file_format}"

    def access_log_subject(self):
        region_id = self.region_id or (
            self.employer.municipality.region_id if self.employer_id else None
        )
        return {"region_id": region_id, "month": self.month}

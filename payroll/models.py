"""Pay (PAY): the unit-cost standard rates per academic hour."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
        return (
            self.filter(valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .first()
        )


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

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """A planning region (Cabinet Regulation No. 418 of 22 June 2021)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planning region")
        verbose_name_plural = _("planning regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Municipality(models.Model):
    class Kind(models.TextChoices):
        STATE_CITY = "state_city", _("state city")
        MUNICIPALITY = "municipality", _("municipality (novads)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


def month_start(day):
    return day.replace(day=1)


def next_month_start(day):
    """The first day of the month after the one `day` is in."""
    return (month_start(day) + datetime.timedelta(days=32)).replace(day=1)


def months_from(first, last):
    """The first day of every month from `first`'s to `last`'s, both included."""
    current = month_start(first)
    while current <= last:
        yield current
        current = next_month_start(current)


def hours_approval_deadline(month, approval_day):
    """APR-2: the day `approval_day` (1–28) of the month after `month`."""
    return next_month_start(month).replace(day=approval_day)


class Institution(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("general education institution")
        VOCATIONAL = "vocational", _("vocational education institution")
        YOUTH_CENTRE = "youth_centre", _("municipal youth centre")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name=_("municipality"),
    )
    registration_number = models.CharField(_("registration number"), max_length=30, blank=True)
    # APR-2: each employer sets the day of the month by which it approves last month's hours.
    hours_approval_day = models.PositiveSmallIntegerField(
        _("hours approval day of month"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("The day of the month by which last month's hours are approved (1–28)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "municipality"], name="institution_unique_name_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(hours_approval_day__gte=1, hours_approval_day__lte=28),
                name="institution_approval_day_1_28",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def region(self):
        return self.municipality.region

    def hours_approval_deadline(self, month):
        """APR-2: the day by which this employer approves the hours of `month` (its first
        day): its own day of the following month."""
        return hours_approval_deadline(month, self.hours_approval_day)

    @property
    def sets_own_semesters(self):
        # CAL-2: a vocational institution may set its own semester dates.
        return self.kind == self.Kind.VOCATIONAL


class SchoolYear(models.Model):
    name = models.CharField(_("name"), max_length=9, unique=True, help_text="2026/2027")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    source = models.TextField(
        _("source"), blank=True, help_text=_("The regulation or decision the dates come from.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="school_year_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name


class Semester(models.Model):
    """One of a school year's two semesters (CAL-2).

    The second semester ends on a different day by grade: `end_date` holds the day for grades
    1–8 and 10–11; grades 9 and 12 have their own end dates where they differ.
    """

    school_year = models.ForeignKey(
        SchoolYear,
        on_delete=models.CASCADE,
        related_name="semesters",
        verbose_name=_("school year"),
    )
    number = models.PositiveSmallIntegerField(
        _("semester"), choices=[(1, _("1st semester")), (2, _("2nd semester"))]
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date (grades 1–8, 10–11)"))
    end_date_grade_9 = models.DateField(_("end date for grade 9"), null=True, blank=True)
    end_date_grade_12 = models.DateField(_("end date for grade 12"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "number"], name="semester_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="semester_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.school_year} · {self.get_number_display()}"

    def end_for_grade(self, grade):
        """CAL-2: the last day of this semester for a learner in `grade` (None: general)."""
        if grade == 9 and self.end_date_grade_9:
            return self.end_date_grade_9
        if grade == 12 and self.end_date_grade_12:
            return self.end_date_grade_12
        return self.end_date

    @property
    def latest_end_date(self):
        return max(d for d in (self.end_date, self.end_date_grade_9, self.end_date_grade_12) if d)

    def clean(self):
        for field in ("end_date_grade_9", "end_date_grade_12"):
            value = getattr(self, field)
            if value and value <= self.start_date:
                # Data integrity guarding CAL-2: the second semester ends by grade.
                raise ValidationError(
                    {
                        field: ValidationError(
                            _("The end date must be after the start date."), code="CAL-2"
                        )
                    }
                )


class SchoolBreak(models.Model):
    class Kind(models.TextChoices):
        AUTUMN = "autumn", _("autumn break")
        WINTER = "winter", _("winter break")
        SPRING = "spring", _("spring break")
        SUMMER = "summer", _("summer break")

    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.CASCADE, related_name="breaks", verbose_name=_("school year")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school break")
        verbose_name_plural = _("school breaks")
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "kind"], name="break_unique_kind"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="break_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.school_year}"


class InstitutionSemester(models.Model):
    """CAL-2: a vocational institution's own dates for a semester, used for its learners."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="own_semesters",
        verbose_name=_("institution"),
    )
    semester = models.ForeignKey(
        Semester, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("semester")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution's semester dates")
        verbose_name_plural = _("institutions' semester dates")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "semester"], name="institution_semester_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="institution_semester_ends_after"
            ),
        ]

    def __str__(self):
        return f"{self.institution}: {self.semester}"

    def clean(self):
        if self.institution_id and not self.institution.sets_own_semesters:
            raise ValidationError(
                {
                    "institution": ValidationError(
                        _("Only a vocational institution sets its own semester dates."),
                        code="CAL-2",
                    )
                }
            )

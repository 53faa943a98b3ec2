from django.db import models
from django.utils.translation import gettext_lazy as _

from skola_kopiena.exports import ExportJob, RegionalExportJob


class ReportExport(RegionalExportJob):
    """A spreadsheet for reporting (plans, hours per month, or mentors) of a semester or a
    school year, of one region or of every region the role sees. Learners appear in it by
    plan number and year of birth only (ACC-3)."""

    class Kind(models.TextChoices):
        PLANS = "plans", _("support plans")
        HOURS = "hours", _("hours per month")
        MENTORS = "mentors", _("mentors")

    kind = models.CharField(_("contents"), max_length=10, choices=Kind.choices)
    school_year = models.ForeignKey(
        "schools.SchoolYear", on_delete=models.CASCADE, related_name="+"
    )
    # One semester of the school year, or none: the whole year.
    semester = models.ForeignKey(
        "schools.Semester", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def original_name(self):
        """The name the file is downloaded under."""
        kind = {"plans": "iap", "hours": "stundas", "mentors": "mentori"}[self.kind]
        period = f"semestris-{self.semester_id}" if self.semester_id else "gads"
        scope = self.region.code if self.region_id else "visi"
        year = str(self.school_year).replace("/", "-")
        return f"{kind}-{year}-{period}-{scope}.{self.file_format}"

    def access_log_subject(self):
        return {"region_id": self.region_id}


class AccessLogExport(ExportJob):
    """ACC-1: the access log of the staff member's regions (or the country) between two days,
    with an action or all, as a spreadsheet."""

    since = models.DateField(_("from"))
    until = models.DateField(_("to"))
    action = models.CharField(_("action"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("access log export")
        verbose_name_plural = _("access log exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__gte=models.F("since")), name="accesslog_export_period"
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def original_name(self):
        return f"piekluves-zurnals-{self.since:%Y-%m-%d}-{self.until:%Y-%m-%d}.{self.file_format}"

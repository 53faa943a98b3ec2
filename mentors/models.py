from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from skola_kopiena.exports import NOT_STARTED_AFTER
from skola_kopiena.files.fields import PrivateFileField
from skola_kopiena.files.validation import SPREADSHEET_KINDS

# CAP-1: a mentor supports at most six learners in one semester.
MAX_LEARNERS_PER_SEMESTER = 6

phone_validator = RegexValidator(
    r"^\+?[0-9 ]{8,15}$", _("Enter a phone number of 8 digits, optionally with +371.")
)


class MentorQuerySet(models.QuerySet):
    def searchable(self):
        """REG-2, REG-3: what preparers see: available mentors who have not asked to be hidden."""
        return self.filter(is_available=True, hidden_from_search=False)


class Mentor(models.Model):
    """An entry of the mentor registry (REG-1)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor",
        verbose_name=_("user account"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=20, validators=[phone_validator])
    certificate_number = models.CharField(
        _("certificate number"),
        max_length=50,
        unique=True,
        help_text=_("Number of the certificate of the 36-hour mentor training."),
    )
    region = models.ForeignKey(
        "schools.Region", on_delete=models.PROTECT, related_name="mentors", verbose_name=_("region")
    )
    municipalities = models.ManyToManyField(
        "schools.Municipality",
        related_name="mentors",
        verbose_name=_("municipalities where the mentor is ready to work"),
    )
    is_available = models.BooleanField(
        _("available"), default=True, help_text=_("Set by project staff.")
    )
    # REG-3: the mentor's own wish to be left out of the search, reversible at any time.
    hidden_from_search = models.BooleanField(_("hidden from the search"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[municipalities])

    objects = MentorQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="mentor_unique_email"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def access_log_subject(self):
        """ACC-1: a read of the mentor's record is logged under the mentor and their region."""
        return {"mentor_pk": self.pk, "mentor": self, "region_id": self.region_id}

    @property
    def is_searchable(self):
        return self.is_available and not self.hidden_from_search


class ChangeRequest(models.Model):
    """REG-3: a mentor asks the regional coordinator to change contact data or municipalities.

    Empty fields mean "no change"; the municipalities, when given, replace the whole list.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")

    mentor = models.ForeignKey(
        Mentor, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("mentor")
    )
    email = models.EmailField(_("new email"), blank=True)
    phone = models.CharField(
        _("new phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    region = models.ForeignKey(
        "schools.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("new region"),
    )
    change_municipalities = models.BooleanField(_("change the municipalities"), default=False)
    municipalities = models.ManyToManyField(
        "schools.Municipality", blank=True, related_name="+", verbose_name=_("new municipalities")
    )
    note = models.TextField(_("note to the coordinator"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), blank=True)
    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-requested_at"]
        constraints = [
            # One open request at a time keeps the coordinator's decision unambiguous.
            models.UniqueConstraint(
                fields=["mentor"],
                condition=models.Q(status="pending"),
                name="change_request_one_pending_per_mentor",
            ),
        ]

    def __str__(self):
        return f"{self.mentor} · {self.requested_at:%d.%m.%Y}"


class RegistryImport(models.Model):
    """A spreadsheet of trained mentors: previewed first, then imported all or nothing."""

    class Status(models.TextChoices):
        # A large file is checked in the background (mentors.tasks) before its preview.
        CHECKING = "checking", _("being checked")
        PREVIEW = "preview", _("preview")
        # A large file is imported in the background too, all or nothing.
        IMPORTING = "importing", _("being imported")
        IMPORTED = "imported", _("imported")

    source_file = PrivateFileField(_("file"), kinds=SPREADSHEET_KINDS)
    original_name = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(_("rows"), default=list)
    errors = models.JSONField(_("errors"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    imported_count = models.PositiveIntegerField(_("mentors imported"), default=0)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    # Progress is not history: the background check counts its rows without a history row
    # for each step.
    history = HistoricalRecords(excluded_fields=["rows", "checked_rows"])

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name

    @property
    def not_started(self):
        """A large file whose background check has not begun long after the upload: the
        background worker is down."""
        unchecked = self.status == self.Status.CHECKING and not self.checked_rows
        return unchecked and self.uploaded_at < timezone.now() - NOT_STARTED_AFTER


class ContractQuerySet(models.QuerySet):
    def covering(self, semester):
        """CON-3: contracts that run in `semester` (for it alone, or for its school year)."""
        return self.filter(
            models.Q(semester=semester)
            | models.Q(semester__isnull=True, school_year_id=semester.school_year_id)
        )


class Contract(models.Model):
    """An employment contract of a mentor with an employer (CON-1..6).

    The employer is an education institution or a municipal youth centre (CON-2); the contract
    runs for one semester or the whole school year (CON-3) and covers up to six learners of
    that employer (CON-4).
    """

    mentor = models.ForeignKey(
        Mentor, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("mentor")
    )
    employer = models.ForeignKey(
        "schools.Institution",
        on_delete=models.PROTECT,
        related_name="contracts",
        verbose_name=_("employer"),
    )
    school_year = models.ForeignKey(
        "schools.SchoolYear",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school year"),
    )
    # CON-3: empty means the whole school year (both semesters).
    semester = models.ForeignKey(
        "schools.Semester",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("semester"),
        help_text=_("Leave empty for a contract for the whole school year."),
    )
    contract_number = models.CharField(_("contract number"), max_length=50, blank=True)
    signed_on = models.DateField(_("signed on"))
    # CON-5: that the check was done, when and by whom; never its details.
    background_check_date = models.DateField(_("background check date"))
    background_check_by = models.CharField(
        _("background check done by"),
        max_length=150,
        help_text=_("Name and position of the employee who checked the mentor."),
    )
    signed_file = PrivateFileField(_("signed contract"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on"]
        # The administration's list, newest first, read from the index a page at a time.
        indexes = [models.Index(fields=["signed_on", "id"], name="contract_by_signing")]
        constraints = [
            # One contract per mentor, employer and period (a semester, or the whole year).
            models.UniqueConstraint(
                fields=["mentor", "employer", "semester"],
                condition=models.Q(semester__isnull=False),
                name="contract_unique_per_semester",
            ),
            models.UniqueConstraint(
                fields=["mentor", "employer", "school_year"],
                condition=models.Q(semester__isnull=True),
                name="contract_unique_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.mentor} · {self.employer} · {self.period_label}"

    def access_log_subject(self):
        return {
            "mentor_pk": self.mentor_id,
            "mentor": self.mentor,
            "region_id": self.employer.municipality.region_id,
        }

    @property
    def period_label(self):
        return str(self.semester) if self.semester_id else str(self.school_year)

    def covers(self, semester):
        """CON-3: whether the contract runs in `semester`."""
        if self.semester_id:
            return self.semester_id == semester.pk
        return self.school_year_id == semester.school_year_id

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("The email must be set")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in by email. Learners never have accounts (ACC-3)."""

    username = None
    email = models.EmailField(_("email"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email


class Role(models.TextChoices):
    MENTOR = "mentor", _("mentor")
    PREPARER = "preparer", _("plan preparer")
    APPROVER = "approver", _("hours approver")
    STAFF = "staff", _("project staff")
    AUDITOR = "auditor", _("auditor")
    ADMIN = "admin", _("administrator")


class RoleMembership(models.Model):
    """One role a user holds, with its scope.

    Preparers and approvers act for one institution; project staff and auditors for one
    region, or for the whole country when no region is set; an auditor may instead read only
    the plans staff grant them one by one (`sample_only`); mentors and administrators need no
    scope.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    institution = models.ForeignKey(
        "schools.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("institution"),
    )
    region = models.ForeignKey(
        "schools.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("region"),
        help_text=_("Project staff and auditors only: leave empty for the whole country."),
    )
    sample_only = models.BooleanField(
        _("only granted plans"),
        default=False,
        help_text=_(
            "Auditors only: instead of a region or the whole country, the auditor reads only "
            "the plans that project staff grant them one by one, until each grant's end date."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(
                        role__in=["preparer", "approver"],
                        institution__isnull=False,
                        region=None,
                        sample_only=False,
                    )
                    | Q(role__in=["staff", "auditor"], institution=None, sample_only=False)
                    | Q(role="auditor", institution=None, region=None, sample_only=True)
                    | Q(
                        role__in=["mentor", "admin"],
                        institution=None,
                        region=None,
                        sample_only=False,
                    )
                ),
                violation_error_message=_(
                    "Preparers and approvers need an institution; project staff and auditors "
                    "may have a region; only an auditor without a region reads granted plans "
                    "only; mentors and administrators have no scope."
                ),
            ),
        ]

    def __str__(self):
        scope = self.institution or self.region
        label = self.get_role_display()
        if self.sample_only:
            scope = _("granted plans")
        elif self.role in (Role.STAFF, Role.AUDITOR) and scope is None:
            scope = _("whole country")
        return f"{label} ({scope})" if scope else str(label)


class AccessLog(models.Model):
    """Reads of children's data and downloads of private files (ACC-1, ACC-2).

    The application only ever appends to this table; it has no edit path. The plan, mentor
    and region read are kept as plain values (not foreign keys), so that the log outlives
    and never blocks what it names, and this low app needs no later one.
    """

    class Action(models.TextChoices):
        READ_DIARY = "read_diary", _("read the diary")
        APPROVAL_QUEUE = "approval_queue", _("read the diary to approve the hours")
        PRINT_TIMESHEET = "print_timesheet", _("printed the timesheet")
        DOWNLOAD = "download", _("downloaded a file")
        ADMIN_VIEW = "admin_view", _("opened in the administration")
        READ_EVALUATION = "read_evaluation", _("read the evaluation")
        RECORD_EXPORT = "record_export", _("exported the person's complete record")
        AUDIT_READ = "audit_read", _("opened a page as an auditor")

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="access_logs", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    action = models.CharField(_("action"), max_length=50, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    plan_pk = models.BigIntegerField(_("plan"), null=True, blank=True, db_index=True)
    mentor_pk = models.BigIntegerField(_("mentor"), null=True, blank=True, db_index=True)
    mentor_name = models.CharField(_("mentor"), max_length=255, blank=True)
    month = models.DateField(_("month"), null=True, blank=True)
    region = models.ForeignKey(
        "schools.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        db_index=False,  # accesslog_region_at below serves its lookups
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["region", "-at"], name="accesslog_region_at"),
        ]

    def __str__(self):
        return (
            f"{self.at:%d.%m.%Y %H:%M} {self.user} {self.get_action_display()} {self.object_repr}"
        )

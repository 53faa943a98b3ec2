from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Least, Lower
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from skola_kopiena.files.fields import PrivateFileField
from skola_kopiena.schools.models import next_month_start

# ELIG-1: mentoring is for learners aged 13 or more on the plan's start date.
MIN_AGE = 13
# CAP-2, IAP-3: at most 20 academic hours of mentoring per learner per calendar month.
MAX_MONTHLY_HOURS = 20
ADULT_AGE = 18


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class Learner(models.Model):
    """A learner of an institution. No personal code and no login (ACC-3)."""

    class Education(models.TextChoices):
        GENERAL = "general", _("general education")
        VOCATIONAL = "vocational", _("vocational education")

    institution = models.ForeignKey(
        "schools.Institution",
        on_delete=models.PROTECT,
        related_name="learners",
        verbose_name=_("institution"),
        db_index=False,  # learner_by_institution_name below serves its lookups
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"))
    # ELIG-2: general education grades 1–12, vocational courses 1–4.
    education = models.CharField(_("education"), max_length=10, choices=Education.choices)
    grade = models.PositiveSmallIntegerField(
        _("grade"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    course = models.PositiveSmallIntegerField(
        _("course"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        ordering = ["last_name", "first_name"]
        indexes = [
            # The administration's list in name order, read from the index a page at a time.
            models.Index(fields=["last_name", "first_name", "id"], name="learner_by_name"),
            # The learner list shows those registered this semester, with a plan or not yet.
            models.Index(fields=["created_at"], name="learner_registered"),
            # Lists sort plans and learners by name within a school or a region: the names
            # and the school come from these indexes alone, not from the learner's row.
            models.Index(
                fields=["institution"],
                include=["id", "last_name", "first_name"],
                name="learner_by_institution_name",
            ),
            models.Index(
                fields=["id"],
                include=["institution", "last_name", "first_name"],
                name="learner_sort_key",
            ),
        ]
        constraints = [
            # ELIG-2
            models.CheckConstraint(
                name="learner_grade_or_course",
                condition=(
                    Q(education="general", grade__gte=1, grade__lte=12, course__isnull=True)
                    | Q(education="vocational", course__gte=1, course__lte=4, grade__isnull=True)
                ),
                violation_error_message=_(
                    "A learner in general education has a grade (1–12); in vocational "
                    "education, a course (1–4)."
                ),
            ),
            models.UniqueConstraint(
                "institution",
                Lower("first_name"),
                Lower("last_name"),
                "birth_date",
                name="learner_unique_per_institution",
                violation_error_message=_("This learner is already registered at the institution."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def access_log_subject(self):
        """ACC-1: a read of the learner's record is logged under their school's region."""
        return {"region_id": self.institution.municipality.region_id}

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def initialled_name(self):
        """The first name and the surname's initial: how emails name a learner (ACC-3)."""
        return f"{self.first_name} {self.last_name[:1]}."

    @property
    def year_label(self):
        if self.grade:
            return _("grade %(n)s") % {"n": self.grade}
        return _("course %(n)s") % {"n": self.course}

    def age_on(self, day):
        return age_on(self.birth_date, day)


class Plan(models.Model):
    """An individual support plan (IAP) of a learner for one semester (IAP-1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for approval")
        RETURNED = "returned", _("returned for corrections")
        APPROVED = "approved", _("active")
        TERMINATED = "terminated", _("terminated")
        CLOSED = "closed", _("closed")

    class Module(models.TextChoices):
        EARLY_LEAVING = "I", _("Module I: risk of early school leaving")
        SOCIAL_EXCLUSION = "II", _("Module II: risk of social exclusion")

    class Category(models.TextChoices):
        # ELIG-3
        A = "a", _("(a) received only a certificate for basic education and repeats grade 9")
        B = (
            "b",
            _(
                "(b) received only a certificate for basic education and was admitted to a "
                "vocational institution"
            ),
        )
        C = "c", _("(c) is in grades 7–9 and at risk of leaving school early")

    learner = models.ForeignKey(
        Learner,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("learner"),
        db_index=False,  # plan_one_per_learner_per_semester below serves its lookups
    )
    # The learner's school, which made the plan: a learner never changes school (a pupil who
    # moves is registered by the new one), so this copy never goes stale. The region of a
    # plan is read from it, without a join through the learners, which at national scale made
    # the overview's figures walk the learners' index row by row.
    institution = models.ForeignKey(
        "schools.Institution",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("institution"),
        editable=False,
        # Read with a semester (plan_by_semester includes it) or from a plan's rows: an index
        # of its own would tempt the database to read every year's plans of a region.
        db_index=False,
    )
    semester = models.ForeignKey(
        "schools.Semester",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("semester"),
        db_index=False,  # plan_by_semester below serves its lookups
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    module = models.CharField(_("module"), max_length=2, choices=Module.choices)
    category = models.CharField(
        _("module I category"), max_length=1, choices=Category.choices, blank=True
    )
    # IAP-3: what the preparer and the mentor talk about.
    strengths = models.TextField(_("strengths"), blank=True)
    interests = models.TextField(_("interests and hobbies"), blank=True)
    desired_results = models.TextField(_("desired results"), blank=True)
    monthly_hours = models.PositiveSmallIntegerField(
        _("desired mentoring hours per month"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHLY_HOURS)],
    )
    meeting_times = models.TextField(_("convenient meeting times"), blank=True)

    mentor = models.ForeignKey(
        "mentors.Mentor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("mentor"),
        db_index=False,  # plan_by_mentor below serves its lookups
    )
    contract = models.ForeignKey(
        "mentors.Contract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("mentor's contract"),
    )
    # AGR-1: the parent's or guardian's application, or the adult learner's own.
    application_file = PrivateFileField(_("application"), blank=True)
    # AGR-2: the provider–learner agreement, typed here, printed, signed and scanned back.
    situation = models.TextField(_("description of the situation"), blank=True)
    situation_plan = models.TextField(_("plan for the situation"), blank=True)
    provider_commits = models.TextField(_("the support provider commits to"), blank=True)
    learner_commits = models.TextField(_("the learner commits to"), blank=True)
    agreement_scan = PrivateFileField(_("signed agreement"), blank=True)

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
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
    # IAP-6: the justification of the last change of the monthly hours.
    hours_change_reason = models.TextField(_("reason for changing the hours"), blank=True)
    # IAP-7
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    # CAL-4: mentoring into the summer until the end of the extra learning measures.
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_order = PrivateFileField(_("head's order on the extension"), blank=True)
    # IAP-9, TS-5: closed once the mentor has evaluated and every month is approved; the
    # preparer confirms that the paper timesheets were handed over for keeping.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    timesheets_received = models.BooleanField(_("paper timesheets received"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-semester__start_date", "learner__last_name"]
        # Given per plan (django-guardian), to an auditor for an on-the-spot check: AuditGrant.
        permissions = [("audit_plan", _("May read the plan for an on-the-spot check"))]
        indexes = [
            # A semester's plans in name order, or counted by status and region: the lists,
            # the dashboards and the overview read their ids, learners, statuses and schools
            # from this index alone.
            models.Index(
                fields=["semester", "learner", "id"],
                include=["status", "institution"],
                name="plan_by_semester",
            ),
            # The approvers' queues read only the plans waiting for a decision, oldest first.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status="submitted"),
                name="plan_waiting",
            ),
            # A mentor's learners in a semester (CAP-1), for the registry and the overview's
            # load and free places, from this index whatever the mentor did in earlier years.
            models.Index(fields=["mentor", "semester"], name="plan_by_mentor"),
        ]
        constraints = [
            # IAP-1
            models.UniqueConstraint(
                fields=["learner", "semester"],
                name="plan_one_per_learner_per_semester",
                violation_error_message=_("The learner already has a plan for this semester."),
            ),
            # CAP-2
            models.CheckConstraint(
                condition=Q(monthly_hours__gte=1, monthly_hours__lte=MAX_MONTHLY_HOURS),
                name="plan_monthly_hours_1_20",
            ),
            # ELIG-3: module I has exactly one category; module II none.
            models.CheckConstraint(
                condition=(Q(module="I") & ~Q(category="")) | Q(module="II", category=""),
                name="plan_category_only_in_module_i",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="plan_ends_after_start"
            ),
            # IAP-9: a closed plan was closed by someone, with its timesheets (TS-5).
            models.CheckConstraint(
                condition=~Q(status="closed")
                | Q(closed_at__isnull=False, closed_by__isnull=False, timesheets_received=True),
                name="plan_closed_with_its_timesheets",
            ),
            # IAP-5: an active, terminated or submitted plan has a mentor.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "returned"]) | Q(mentor__isnull=False),
                name="plan_beyond_draft_has_mentor",
            ),
        ]

    def __str__(self):
        return f"{self.learner} · {self.semester}"

    def access_log_subject(self):
        """ACC-1: what a read of this plan is logged under."""
        return {
            "plan_pk": self.pk,
            "mentor_pk": self.mentor_id,
            "mentor": self.mentor if self.mentor_id else "",
            "region_id": self.learner.institution.municipality.region_id,
        }

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_active(self):
        return self.status == self.Status.APPROVED

    @property
    def learner_is_adult(self):
        """AGR-1: an adult learner signs their own application."""
        return self.learner.age_on(self.start_date) >= ADULT_AGE

    @property
    def ran(self):
        """Mentoring took place under the plan: approved, then perhaps terminated or closed."""
        return self.status in RAN_STATUSES

    @property
    def has_ended(self):
        """The plan's time is over; it waits for the evaluation that closes it (EVA-1)."""
        from django.utils import timezone

        return self.last_mentoring_day < timezone.localdate()

    @property
    def last_mentoring_day(self):
        """CAL-3, CAL-4, IAP-7: the last day mentoring may take place under this plan."""
        last = self.extended_until or self.end_date
        if self.terminated_on:
            last = min(last, self.terminated_on)
        return last


# The statuses of a plan under which mentoring took place (its diary, hours and pay).
RAN_STATUSES = (Plan.Status.APPROVED, Plan.Status.TERMINATED, Plan.Status.CLOSED)


def last_mentoring_day():
    """`Plan.last_mentoring_day` in the database, for filters and sums over plans."""
    extended_or_end = Coalesce("extended_until", "end_date")
    return Least(extended_or_end, Coalesce("terminated_on", extended_or_end))


def running_in(month):
    """The plans under which mentoring may take place in `month` (its first day), once
    aliased with `last_day=last_mentoring_day()` (CAL-3, CAL-4, IAP-7)."""
    return Q(start_date__lt=next_month_start(month)) & Q(last_day__gte=month)


class PlanRisk(models.Model):
    """ELIG-4: a module II risk of the plan; "other" is described."""

    class Risk(models.TextChoices):
        SPECIAL_NEEDS = "special_needs", _("special needs")
        LEARNING_DIFFICULTIES = "learning_difficulties", _("learning difficulties")
        FAMILY_CONDITIONS = "family_conditions", _("adverse social or economic family conditions")
        IMMIGRANT = "immigrant", _("immigrant")
        RE_EMIGRANT = "re_emigrant", _("re-emigrant")
        VIOLENCE = "violence", _("victim of violence")
        DISABILITY = "disability", _("disability or health problems")
        MINORITY = "minority", _("belongs to a minority or ethnic group")
        OTHER = "other", _("other")

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="risks",
        db_index=False,  # plan_risk_unique below serves its lookups
    )
    risk = models.CharField(_("risk"), max_length=30, choices=Risk.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        constraints = [
            models.UniqueConstraint(fields=["plan", "risk"], name="plan_risk_unique"),
            models.CheckConstraint(
                condition=~Q(risk="other") | ~Q(description=""),
                name="plan_risk_other_is_described",
            ),
        ]

    def __str__(self):
        if self.risk == self.Risk.OTHER:
            return f"{self.get_risk_display()}: {self.description}"
        return str(self.get_risk_display())


class SupportMeasure(models.Model):
    """IAP-4: other support measures of the plan and who provides them."""

    class Kind(models.TextChoices):
        SUBJECT_CONSULTATIONS = "subject_consultations", _("subject consultations")
        CONSULTATIVE_SUPPORT = "consultative_support", _("consultative support")
        READING_LESSONS = "reading_lessons", _("reading lessons")
        OTHER = "other", _("other")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("support measure"), max_length=30, choices=Kind.choices)
    provider = models.CharField(_("provider"), max_length=150)
    description = models.CharField(_("description"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support measure")
        verbose_name_plural = _("support measures")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.provider})"


class Invitation(models.Model):
    """IAP-3: the preparer asks a mentor to join the plan; the mentor accepts or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the mentor's answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="invitations")
    mentor = models.ForeignKey(
        "mentors.Mentor",
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("mentor"),
    )
    message = models.TextField(_("message to the mentor"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answer_reason = models.TextField(_("mentor's reason"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-invited_at"]
        # Lists mark the plans waiting for a mentor's answer: a few, however many were answered.
        indexes = [
            models.Index(fields=["plan"], condition=Q(status="pending"), name="invitation_pending")
        ]
        constraints = [
            # A plan asks one mentor at a time and keeps at most one.
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=["pending", "accepted"]),
                name="invitation_one_open_per_plan",
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.plan}"


class AuditGrant(UserObjectPermissionBase):
    """An auditor's access to one plan for an on-the-spot check: django-guardian's per-object
    permission `iap.audit_plan`, given by project staff of the plan's region until an end
    date, after which it lapses. The portal's plan scope reads the end date
    (`iap.policies.audited_plan_ids`); guardian's own checker, which knows no end date, is
    never asked."""

    # Guardian's fields, named in Latvian for the admin and the history.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="audit_grants",
        verbose_name=_("auditor"),
    )
    permission = models.ForeignKey(
        "auth.Permission", on_delete=models.CASCADE, verbose_name=_("permission")
    )
    content_object = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="audit_grants", verbose_name=_("support plan")
    )
    until = models.DateField(_("until"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("auditor's access to a plan")
        verbose_name_plural = _("auditors' access to plans")
        ordering = ["-until", "id"]
        # The auditor's plans still granted today, read on every request they make.
        indexes = [models.Index(fields=["user", "until"], name="auditgrant_by_user")]

    def __str__(self):
        return f"{self.user} → {self.content_object}"

    def lapsed(self, today):
        return self.until < today

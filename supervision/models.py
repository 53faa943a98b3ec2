"""Supervision (SUP-1): 3-hour in-person group sessions for mentors, one group per target
audience; mentors sign up, and project staff keep the attendance."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# SUP-1: "Vienas supervīzijas ilgums – 3 stundas (180 minūtes)."
SESSION_MINUTES = 180
MAX_CAPACITY = 30


class Session(models.Model):
    """One supervision session of a region for one target group (SUP-1).

    `starts_at`/`ends_at` are kept so that a sign-up can be checked against the mentor's
    diary meetings (CAP-3) and other sessions. `signed_up` counts the sign-ups not cancelled:
    the services change it under `select_for_update()` of this row, so the database's check
    `signed_up <= capacity` is the capacity rule itself.
    """

    class TargetGroup(models.TextChoices):
        # **Choice**: the handbook: "Katrai mērķgrupai ir paredzēts veidot savu supervīzijas
        # grupu, kuras dalībnieki strādā ar vienas mērķauditorijas izglītojamajiem": each
        # target group gets its own supervision group, of mentors working with learners of
        # one target audience. The project's two audiences are the learners of general and
        # of vocational education (ELIG-2), the values of `Learner.education`.
        GENERAL = "general", _("mentors of learners in general education")
        VOCATIONAL = "vocational", _("mentors of learners in vocational education")

    date = models.DateField(_("Date"))
    start_time = models.TimeField(_("Start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration, minutes"), default=SESSION_MINUTES, editable=False
    )
    starts_at = models.DateTimeField(editable=False)
    ends_at = models.DateTimeField(editable=False)
    place = models.CharField(_("Place"), max_length=200)
    region = models.ForeignKey(
        "schools.Region",
        on_delete=models.PROTECT,
        related_name="supervision_sessions",
        verbose_name=_("Region"),
        db_index=False,  # the (region, date) index below serves its lookups
    )
    target_group = models.CharField(_("Target group"), max_length=10, choices=TargetGroup.choices)
    capacity = models.PositiveSmallIntegerField(
        _("Places"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    supervisor = models.CharField(_("Supervisor"), max_length=200)
    signed_up = models.PositiveSmallIntegerField(_("signed up"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["region", "date"])]
        constraints = [
            # SUP-1: a session lasts 3 hours (180 minutes).
            models.CheckConstraint(
                condition=Q(duration_minutes=SESSION_MINUTES), name="supervision_session_3_hours"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="supervision_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="supervision_session_capacity_1_30",
            ),
            # SUP-1: never more sign-ups than places.
            models.CheckConstraint(
                condition=Q(signed_up__gte=0, signed_up__lte=F("capacity")),
                name="supervision_session_not_over_capacity",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at) if self.starts_at else None
        when = f"{local:%d.%m.%Y %H:%M}" if local else ""
        return f"{when} · {self.place}"

    @property
    def end_time(self):
        return timezone.localtime(self.ends_at).time()

    @property
    def free_places(self):
        return max(self.capacity - self.signed_up, 0)

    @property
    def is_full(self):
        return self.signed_up >= self.capacity

    @property
    def signup_open(self):
        """SUP-1 (**Choice**): sign-ups and cancellations until the day before the session."""
        return timezone.localdate() < self.date

    @property
    def has_started(self):
        return timezone.now() >= self.starts_at

    @staticmethod
    def span(date, start_time):
        """(starts_at, ends_at) of a session starting on `date` at `start_time`, Riga time."""
        zone = timezone.get_current_timezone()
        starts_at = datetime.datetime.combine(date, start_time, tzinfo=zone)
        return starts_at, starts_at + datetime.timedelta(minutes=SESSION_MINUTES)


class Signup(models.Model):
    """A mentor's sign-up for a session (SUP-1), and whether they attended.

    A cancelled sign-up stays, with its time; the mentor may sign up again while places
    are free. `attended` is None until project staff mark it after the session's start.
    """

    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="signups",
        verbose_name=_("supervision session"),
    )
    mentor = models.ForeignKey(
        "mentors.Mentor",
        on_delete=models.PROTECT,
        related_name="supervision_signups",
        verbose_name=_("mentor"),
        db_index=False,  # the (mentor, attended) index below serves its lookups
    )
    signed_up_at = models.DateTimeField(_("signed up"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attendance marked by"),
    )
    marked_at = models.DateTimeField(_("attendance marked"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision sign-up")
        verbose_name_plural = _("supervision sign-ups")
        ordering = ["session", "signed_up_at", "pk"]
        indexes = [models.Index(fields=["mentor", "attended"])]
        constraints = [
            # SUP-1: one sign-up of a mentor for a session at a time.
            models.UniqueConstraint(
                fields=["session", "mentor"],
                condition=Q(cancelled_at__isnull=True),
                name="supervision_signup_once",
            ),
            # Attendance is kept for the sign-ups not cancelled, and says who marked it.
            models.CheckConstraint(
                condition=Q(attended__isnull=True, marked_at__isnull=True)
                | Q(attended__isnull=False, marked_at__isnull=False, cancelled_at__isnull=True),
                name="supervision_signup_attendance_marked",
            ),
        ]

    def __str__(self):
        return f"{self.mentor} · {self.session}"

    @property
    def is_active(self):
        return self.cancelled_at is None

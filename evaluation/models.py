"""The end of a plan (EVA, IAP-8, IAP-9): the mentor's evaluation and the decision whether
mentoring continues next semester."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Answer(models.TextChoices):
    """EVA-3: the three closed questions are answered in the handbook's words."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    PARTLY = "partly", _("Partly")


# EVA-3: the closed questions, each with the comment it may carry on "No" or "Partly".
CLOSED_QUESTIONS = (
    ("risks_reduced", "risks_reduced_comment"),
    ("confidence_strengthened", "confidence_strengthened_comment"),
    ("development_promoted", "development_promoted_comment"),
)
OPEN_QUESTIONS = ("result_achieved", "recommendations")


def _answered(field):
    return ~Q(**{field: ""})


class Evaluation(models.Model):
    """EVA-1..4: the mentor's evaluation of a plan, opened by the preparer (EVA-2), saved as a
    draft and submitted once; then it is read-only."""

    plan = models.ForeignKey(
        "iap.Plan",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("support plan"),
        db_index=False,  # evaluation_one_per_mentor_per_plan below serves its lookups
    )
    mentor = models.ForeignKey(
        "mentors.Mentor",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("mentor"),
        db_index=False,  # the (mentor, submitted_at) index below serves its lookups
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"))
    risks_reduced = models.CharField(
        _("Did mentoring reduce the risks identified in the support plan?"),
        max_length=6,
        choices=Answer.choices,
        blank=True,
    )
    risks_reduced_comment = models.TextField(_("Comment"), blank=True)
    confidence_strengthened = models.CharField(
        _(
            "Did mentoring strengthen the learner's self-confidence, motivation and skills of "
            "building respectful relationships?"
        ),
        max_length=6,
        choices=Answer.choices,
        blank=True,
    )
    confidence_strengthened_comment = models.TextField(_("Comment"), blank=True)
    development_promoted = models.CharField(
        _("Did mentoring promote the learner's personal development?"),
        max_length=6,
        choices=Answer.choices,
        blank=True,
    )
    development_promoted_comment = models.TextField(_("Comment"), blank=True)
    result_achieved = models.TextField(_("Evaluate the result achieved"), blank=True)
    recommendations = models.TextField(_("Recommendations for further action"), blank=True)
    # EVA-4: after a termination, its reasons and their justification.
    termination_reasons = models.TextField(
        _("Reasons for the termination and their justification"), blank=True
    )
    saved_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["mentor", "submitted_at"]),
            # The overview's answers of a period: those submitted since it began.
            models.Index(fields=["submitted_at"], name="evaluation_by_submission"),
        ]
        constraints = [
            # EVA-1: one evaluation per mentor per plan.
            models.UniqueConstraint(
                fields=["plan", "mentor"], name="evaluation_one_per_mentor_per_plan"
            ),
            # EVA-3: a submitted evaluation answers all five questions.
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True)
                | (
                    _answered("risks_reduced")
                    & _answered("confidence_strengthened")
                    & _answered("development_promoted")
                    & _answered("result_achieved")
                    & _answered("recommendations")
                ),
                name="evaluation_submitted_answers_all",
            ),
        ]

    def __str__(self):
        return f"{self.plan} · {self.mentor}"

    def access_log_subject(self):
        return self.plan.access_log_subject()

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def closed_answers(self):
        """(question, answer label, comment) of the three closed questions, for reading."""
        return [
            (
                self._meta.get_field(answer).verbose_name,
                getattr(self, f"get_{answer}_display")(),
                getattr(self, comment),
            )
            for answer, comment in CLOSED_QUESTIONS
        ]


class Decision(models.Model):
    """EVA-5, IAP-8: what the preparer, the mentor and the learner agreed after the
    evaluation: continue next semester (a new draft plan, the same mentor invited) or end."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("continue next semester")
        END = "end", _("end the mentoring")

    plan = models.OneToOneField(
        "iap.Plan",
        on_delete=models.PROTECT,
        related_name="decision",
        verbose_name=_("support plan"),
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    next_plan = models.ForeignKey(
        "iap.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("next semester's plan"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    decided_at = models.DateTimeField(_("recorded"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision to continue or end")
        verbose_name_plural = _("decisions to continue or end")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="end", next_plan__isnull=True)
                | Q(outcome="continue", next_plan__isnull=False),
                name="decision_continue_has_next_plan",
            ),
        ]

    def __str__(self):
        return f"{self.plan} · {self.get_outcome_display()}"

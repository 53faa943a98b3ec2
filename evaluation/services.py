"""The end of a plan: starting and writing the evaluation (EVA-1..6), the decision to continue
or end (EVA-5, IAP-8), and closing the plan (IAP-9, TS-5)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from diary.models import DiaryMonth
from diary.selectors import plan_months
from iap import services as iap_services
from iap.models import Plan
from skola_kopiena.services import field_error, service

from . import tasks
from .models import CLOSED_QUESTIONS, OPEN_QUESTIONS, Answer, Decision, Evaluation


def _lock_plan(plan):
    return Plan.objects.select_for_update(of=("self",)).select_related("mentor").get(pk=plan.pk)


def evaluation_opens_on(plan):
    """EVA-6 (**Choice**): the day from which the preparer may start the evaluation: the day
    after the plan's last mentoring day, or at once after a termination (EVA-4)."""
    if plan.status == Plan.Status.TERMINATED:
        return plan.terminated_on
    return plan.last_mentoring_day + datetime.timedelta(days=1)


def start_refusal(plan):
    """EVA-2, EVA-6: why the plan's evaluation cannot be started today (None: it can)."""
    if plan.status not in (Plan.Status.APPROVED, Plan.Status.TERMINATED):
        return ValidationError(_("Only an approved or terminated plan is evaluated."), code="EVA-2")
    opens_on = evaluation_opens_on(plan)
    if timezone.localdate() < opens_on:
        return ValidationError(
            _("The evaluation can be started from %(date)s, after the plan's last day.")
            % {"date": date_format(opens_on)},
            code="EVA-6",
        )
    return None


@service
def evaluation_start(*, actor, plan):
    """EVA-2, EVA-6: the preparer opens the mentor's evaluation once the plan's mentoring is
    over; the mentor is told by email. Starting it again changes nothing."""
    plan = _lock_plan(plan)
    refusal = start_refusal(plan)
    if refusal is not None:
        raise refusal
    existing = Evaluation.objects.filter(plan=plan, mentor=plan.mentor).first()
    if existing is not None:
        return existing, False
    evaluation = Evaluation.objects.create(
        plan=plan, mentor=plan.mentor, started_by=actor, started_at=timezone.now()
    )
    transaction.on_commit(lambda: tasks.notify_evaluation_started.delay(evaluation.pk))
    return evaluation, True


def _lock_own_open_evaluation(actor, evaluation):
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("mentor", "plan")
        .get(pk=evaluation.pk)
    )
    if evaluation.mentor.user_id != actor.pk:
        raise ValidationError(_("Only the plan's mentor evaluates it."), code="EVA-1")
    if evaluation.is_submitted:
        raise ValidationError(
            _("The evaluation was submitted on %(date)s and can no longer be changed.")
            % {"date": date_format(timezone.localtime(evaluation.submitted_at))},
            code="EVA-6",
        )
    return evaluation


def _set_answers(evaluation, answers):
    for answer, comment in CLOSED_QUESTIONS:
        value = answers.get(answer, "")
        setattr(evaluation, answer, value)
        # EVA-3: a comment goes with "No" or "Partly" only.
        keeps_comment = value in (Answer.NO, Answer.PARTLY)
        setattr(evaluation, comment, answers.get(comment, "").strip() if keeps_comment else "")
    for name in (*OPEN_QUESTIONS, "termination_reasons"):
        setattr(evaluation, name, answers.get(name, "").strip())


def submission_problems(evaluation):
    """EVA-3, EVA-4: what a submitted evaluation must answer, each at its field."""
    problems = {}
    for answer, _comment in CLOSED_QUESTIONS:
        if not getattr(evaluation, answer):
            problems[answer] = [ValidationError(_("Choose Yes, No or Partly."), code="EVA-3")]
    if not evaluation.result_achieved:
        problems["result_achieved"] = [
            ValidationError(_("Describe the result achieved."), code="EVA-3")
        ]
    if not evaluation.recommendations:
        problems["recommendations"] = [
            ValidationError(_("Give your recommendations for further action."), code="EVA-3")
        ]
    if evaluation.plan.status == Plan.Status.TERMINATED and not evaluation.termination_reasons:
        problems["termination_reasons"] = [
            ValidationError(
                _("State the reasons for the termination and justify them."), code="EVA-4"
            )
        ]
    return problems


@service
def evaluation_save(*, actor, evaluation, answers, submit=False):
    """EVA-1, EVA-3, EVA-4, EVA-6: the mentor saves a draft and comes back to it, or submits
    it once; the preparer is told. A draft keeps whatever is typed."""
    evaluation = _lock_own_open_evaluation(actor, evaluation)
    _set_answers(evaluation, answers)
    evaluation.saved_at = timezone.now()
    if submit:
        problems = submission_problems(evaluation)
        if problems:
            raise ValidationError(problems)
        evaluation.submitted_at = evaluation.saved_at
    evaluation.full_clean()
    evaluation.save()
    if submit:
        transaction.on_commit(lambda: tasks.notify_evaluation_submitted.delay(evaluation.pk))
    return evaluation


def closing_problems(plan):
    """IAP-9: what keeps the plan from being closed, each with its rule ID (empty: it can)."""
    problems = []
    evaluation = Evaluation.objects.filter(plan=plan, mentor_id=plan.mentor_id).first()
    if evaluation is None or not evaluation.is_submitted:
        problems.append(
            ValidationError(_("The mentor has not submitted the evaluation yet."), code="IAP-9")
        )
    if not Decision.objects.filter(plan=plan).exists():
        problems.append(
            ValidationError(
                _(
                    "After the mentor's evaluation, record whether mentoring continues next "
                    "semester."
                ),
                code="EVA-5",
            )
        )
    for month in plan_months(plan):
        record = month["record"]
        if record is None or record.status != DiaryMonth.Status.APPROVED:
            problems.append(
                ValidationError(
                    _("%(month)s is not approved (%(status)s).")
                    % {
                        "month": date_format(month["month"], "F Y").capitalize(),
                        "status": record.get_status_display()
                        if record
                        else DiaryMonth.Status.OPEN.label,
                    },
                    code="IAP-9",
                )
            )
    return problems


@service
def plan_close(*, actor, plan, timesheets_received):
    """IAP-9, TS-5: the preparer closes the plan once its mentor has evaluated it and every
    month is approved, and confirms that the paper timesheets were handed over."""
    plan = _lock_plan(plan)
    if plan.status == Plan.Status.CLOSED:
        raise ValidationError(_("The plan is already closed."), code="IAP-9")
    if not plan.ran:
        raise ValidationError(_("Only an approved or terminated plan is closed."), code="IAP-9")
    problems = closing_problems(plan)
    if problems:
        raise ValidationError(problems)
    if not timesheets_received:
        raise field_error(
            "timesheets_received",
            _("Confirm that the mentor handed over the signed paper timesheets."),
            "TS-5",
        )
    plan.status = Plan.Status.CLOSED
    plan.closed_at = timezone.now()
    plan.closed_by = actor
    plan.timesheets_received = True
    plan.save()
    return plan


@service
def decision_record(*, actor, plan, outcome):
    """EVA-5, IAP-8: after the evaluation, the preparer records what was agreed. "Continue"
    makes next semester's draft plan and invites the same mentor again; if the mentor cannot
    be invited (six learners next semester, or hidden from the search), the draft stays and
    the refusal is returned for the preparer to see."""
    plan = _lock_plan(plan)
    evaluation = Evaluation.objects.filter(plan=plan, mentor_id=plan.mentor_id).first()
    if evaluation is None or not evaluation.is_submitted:
        raise ValidationError(
            _("The decision is recorded after the mentor's evaluation."), code="EVA-5"
        )
    if Decision.objects.filter(plan=plan).exists():
        raise ValidationError(_("The decision has already been recorded."), code="EVA-5")
    next_plan, invitation_refused = None, None
    if outcome == Decision.Outcome.CONTINUE:
        next_plan = iap_services.plan_continue(actor=actor, plan=plan)
        try:
            with transaction.atomic():
                iap_services.invitation_send(actor=actor, plan=next_plan, mentor=plan.mentor)
        except ValidationError as error:
            invitation_refused = error
    try:
        with transaction.atomic():
            decision = Decision.objects.create(
                plan=plan,
                outcome=outcome,
                next_plan=next_plan,
                decided_by=actor,
                decided_at=timezone.now(),
            )
    except IntegrityError as error:  # recorded at the same moment by another request
        raise ValidationError(_("The decision has already been recorded."), code="EVA-5") from error
    return decision, invitation_refused

"""Emails of a plan's end. Each task takes ids, is queued after commit and is safe to run
twice: `email_send_once` claims the event's key before sending."""

import datetime

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from skola_kopiena.notifications.services import absolute_url, email_send_once

# The mentor is reminded once more this many working days after the evaluation opened.
REMINDER_AFTER_WORKING_DAYS = 3


def _evaluation(evaluation_id):
    from .models import Evaluation

    return Evaluation.objects.select_related(
        "mentor", "plan__learner__institution__municipality", "plan__created_by"
    ).get(pk=evaluation_id)


def _context(evaluation):
    return {
        "evaluation": evaluation,
        "learner": evaluation.plan.learner.initialled_name,
        "url": absolute_url(reverse("evaluation:plan", args=[evaluation.plan_id])),
    }


@shared_task
def notify_evaluation_started(evaluation_id):
    """EVA-2: the mentor hears that the evaluation is open."""
    evaluation = _evaluation(evaluation_id)
    return email_send_once(
        key=f"evaluation:{evaluation.pk}:started",
        recipient=evaluation.mentor.email,
        region_id=evaluation.plan.learner.institution.municipality.region_id,
        template="evaluation_started",
        context=_context(evaluation),
    )


@shared_task
def notify_evaluation_submitted(evaluation_id):
    """EVA-5: the preparer hears that the mentor has evaluated, to agree what comes next."""
    evaluation = _evaluation(evaluation_id)
    return email_send_once(
        key=f"evaluation:{evaluation.pk}:submitted",
        recipient=evaluation.plan.created_by.email,
        region_id=evaluation.plan.learner.institution.municipality.region_id,
        template="evaluation_submitted",
        context=_context(evaluation),
    )


@shared_task
def send_reminders():
    """EVA-1: a mentor whose evaluation is still not submitted three working days after it
    opened is reminded once. Runs daily; decides here whether today is the day."""
    from skola_kopiena.schools.calendar import nth_working_day

    from .models import Evaluation

    today = timezone.localdate()
    sent = 0
    waiting = Evaluation.objects.filter(
        submitted_at__isnull=True,
        # Three working days are at most a fortnight, Christmas included.
        started_at__date__gte=today - datetime.timedelta(days=21),
    ).values_list("pk", "started_at")
    for pk, started_at in waiting:
        started_on = timezone.localdate(started_at)
        if nth_working_day(started_on, REMINDER_AFTER_WORKING_DAYS) != today:
            continue
        evaluation = _evaluation(pk)
        sent += email_send_once(
            key=f"evaluation:{evaluation.pk}:reminder",
            recipient=evaluation.mentor.email,
            region_id=evaluation.plan.learner.institution.municipality.region_id,
            template="evaluation_reminder",
            context=_context(evaluation),
        )
    return sent

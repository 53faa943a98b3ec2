"""Reads of a plan's end: its evaluation, the mentor's list, and the checklist's last steps."""

from django.db.models import F

from .models import Decision, Evaluation


def evaluation_of(plan):
    """EVA-1: the evaluation of the plan's mentor (None until the preparer starts it)."""
    if plan.mentor_id is None:
        return None
    return Evaluation.objects.filter(plan=plan, mentor_id=plan.mentor_id).first()


def decision_of(plan):
    return Decision.objects.filter(plan=plan).select_related("next_plan__semester").first()


def mentor_evaluations(evaluations):
    """The mentor's evaluations, those still to fill in first; one query."""
    return list(
        evaluations.select_related(
            "plan__learner__institution", "plan__semester__school_year"
        ).order_by(F("submitted_at").desc(nulls_first=True), "-started_at")
    )


def waiting_count(evaluations):
    return evaluations.filter(submitted_at__isnull=True).count()


def end_steps(plans):
    """CHK 9 and 10 per plan: {plan id: (evaluated, continue-or-close agreed)}; two queries."""
    ids = [plan.pk for plan in plans]
    evaluated = set(
        Evaluation.objects.filter(plan_id__in=ids, submitted_at__isnull=False).values_list(
            "plan_id", flat=True
        )
    )
    decided = set(Decision.objects.filter(plan_id__in=ids).values_list("plan_id", flat=True))
    return {pk: (pk in evaluated, pk in decided) for pk in ids}

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from mentors import policies as mentors_policies
from mentors.selectors import mentors_with_load
from skola_kopiena.collation import latvian
from skola_kopiena.schools.models import Municipality

from . import policies
from .models import Invitation, Plan


def plan_list(acting, *, status=None):
    plans = (
        policies.plans_for(acting)
        .select_related("learner__institution", "semester__school_year", "mentor")
        .annotate(
            waiting_for_mentor=Exists(
                Invitation.objects.filter(plan=OuterRef("pk"), status=Invitation.Status.PENDING)
            )
        )
        .order_by(
            "-semester__start_date",
            latvian("learner__last_name"),
            latvian("learner__first_name"),
            "pk",
        )
    )
    if status:
        plans = plans.filter(status=status)
    return plans


def approval_queue(acting):
    """IAP-5: submitted plans of the approver's institution, oldest first."""
    return plan_list(acting, status=Plan.Status.SUBMITTED).order_by("submitted_at", "pk")


def invitation_list(acting):
    return (
        policies.invitations_for(acting)
        .select_related(
            "plan__learner__institution__municipality", "plan__semester__school_year", "invited_by"
        )
        .order_by("-invited_at")
    )


def learner_list(acting):
    return (
        policies.learners_for(acting)
        .annotate(plan_count=Count("plans"))
        .order_by(latvian("last_name"), latvian("first_name"), "pk")
    )


def mentors_for_plan(acting, plan, *, municipality=None, name=""):
    """REG-2: the registry from the plan, filtered to the learner's municipality by default."""
    mentors = mentors_policies.mentors_for(acting).filter(
        is_available=True, hidden_from_search=False
    )
    if municipality is not None:
        mentors = mentors.filter(municipalities=municipality)
    for word in name.split():
        mentors = mentors.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return (
        mentors_with_load(mentors, plan.semester)
        .select_related("region")
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by(latvian("name")))
        )
        .order_by(latvian("last_name"), latvian("first_name"), "pk")
    )

"""Pages that bring several apps together; they sit above every app, so may import any."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from diary import selectors as diary_selectors
from evaluation import policies as evaluation_policies
from evaluation import selectors as evaluation_selectors
from iap import selectors as iap_selectors
from iap.models import Invitation, Plan
from mentors import selectors as mentor_selectors
from skola_kopiena.accounts.models import Role
from skola_kopiena.schools.calendar import semester_choice
from supervision import selectors as supervision_selectors


def later_steps(plans):
    """CHK 6, 9, 10 of the mentor's plans, from supervision and the evaluation."""
    supervised = supervision_selectors.attended_plan_ids(plans)
    ended = evaluation_selectors.end_steps(plans)
    return {
        plan.pk: diary_selectors.LaterSteps(
            supervised=plan.pk in supervised,
            evaluated=ended[plan.pk][0],
            agreed=ended[plan.pk][1],
        )
        for plan in plans
    }


@require_GET
def dashboard(request):
    """The landing page of the role the user acts as; later issues fill it per role."""
    acting = request.acting
    context = {"Role": Role}
    if acting.has_role(Role.MENTOR):
        context["mentor"] = getattr(request.user, "mentor", None)
        context["pending_invitations"] = iap_selectors.invitation_list(acting).filter(
            status=Invitation.Status.PENDING
        )
        # Plans of this and later semesters, and an earlier one only while it is still
        # active: the page does not grow with the semesters a mentor has worked.
        in_play = Q(semester_id__in=semester_choice(None).shown_ids) | Q(
            status=Plan.Status.APPROVED
        )
        my_plans = list(iap_selectors.plan_list(acting).filter(in_play, mentor__user=request.user))
        context["my_plans"] = my_plans
        card_plans = [
            plan
            for plan in my_plans
            if plan.status in (Plan.Status.APPROVED, Plan.Status.TERMINATED)
        ]
        context["diary_cards"] = diary_selectors.mentor_overview(
            card_plans, timezone.localdate(), timezone.now(), later_steps(card_plans)
        )
        evaluations = evaluation_policies.own_evaluations(acting)
        context["evaluations_waiting"] = evaluation_selectors.waiting_count(evaluations)
    if acting.has_role(Role.PREPARER, Role.STAFF, Role.ADMIN) or acting.oversees:
        # The plans of this and later semesters, as the plan list shows them by default.
        in_play = semester_choice(None).shown_ids
        context["plan_counts"] = {
            row["status"]: row["n"]
            for row in iap_selectors.plan_list(acting, semester_ids=in_play)
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
        }
    if acting.has_role(Role.APPROVER):
        context["queue"] = iap_selectors.approval_queue(acting)
        # APR-1, APR-2: the months of the mentors the institution employs, and their deadline.
        context["months_to_approve"] = diary_selectors.employer_months_waiting(
            acting.membership.institution, timezone.localdate()
        )
    if acting.is_auditor:
        context["audit_grants"] = iap_selectors.audit_grants_of(acting)
    if acting.oversees or acting.is_admin:
        context["months_waiting"] = diary_selectors.months_waiting_for_approval(
            acting, timezone.localdate()
        )
    if acting.has_role(Role.STAFF, Role.ADMIN):
        context["pending_change_requests"] = mentor_selectors.change_requests_pending(
            acting
        ).count()
    return render(request, "dashboard.html", context)


def not_available(request):
    """An allauth page this portal does not offer."""
    raise Http404

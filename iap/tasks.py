"""Emails about plans. Each task takes ids, is queued after commit and is safe to run twice:
`email_send_once` claims the event's key before sending."""

from celery import shared_task
from django.urls import reverse

from skola_kopiena.notifications.services import absolute_url as _absolute
from skola_kopiena.notifications.services import email_send_once


@shared_task
def notify_invitation(invitation_id):
    """IAP-3: the mentor hears of the invitation by email too."""
    from .models import Invitation

    invitation = Invitation.objects.select_related(
        "mentor", "plan__learner__institution__municipality", "plan__semester"
    ).get(pk=invitation_id)
    return email_send_once(
        key=f"invitation:{invitation.pk}:sent",
        recipient=invitation.mentor.email,
        region_id=invitation.plan.learner.institution.municipality.region_id,
        template="invitation",
        context={
            "invitation": invitation,
            "url": _absolute(reverse("iap:invitation", args=[invitation.pk])),
        },
    )


@shared_task
def notify_invitation_answer(invitation_id):
    """IAP-3: the preparer sees the mentor's answer."""
    from .models import Invitation

    invitation = Invitation.objects.select_related(
        "mentor", "invited_by", "plan__learner__institution__municipality"
    ).get(pk=invitation_id)
    return email_send_once(
        key=f"invitation:{invitation.pk}:{invitation.status}",
        recipient=invitation.invited_by.email,
        region_id=invitation.plan.learner.institution.municipality.region_id,
        template="invitation_answer",
        context={
            "invitation": invitation,
            "url": _absolute(reverse("iap:plan", args=[invitation.plan_id])),
        },
    )


@shared_task
def notify_plan_returned(plan_id, decided_at):
    """IAP-5: the preparer learns why the plan came back (once per return)."""
    from .models import Plan

    plan = Plan.objects.select_related(
        "learner__institution__municipality", "created_by", "decided_by"
    ).get(pk=plan_id)
    return email_send_once(
        key=f"plan:{plan.pk}:returned:{decided_at}",
        recipient=plan.created_by.email,
        region_id=plan.learner.institution.municipality.region_id,
        template="plan_returned",
        context={"plan": plan, "url": _absolute(reverse("iap:plan", args=[plan.pk]))},
    )

from celery import shared_task
from django.urls import reverse

from skola_kopiena.accounts.models import Role, RoleMembership
from skola_kopiena.notifications.services import absolute_url, email_send_once


@shared_task
def notify_month_confirmed(diary_month_id, confirmed_at):
    """APR-1: the employer's approvers hear that confirmed hours wait for them (once each)."""
    from .models import DiaryMonth

    month = DiaryMonth.objects.select_related(
        "plan__mentor", "plan__learner", "plan__contract__employer__municipality"
    ).get(pk=diary_month_id)
    approvers = RoleMembership.objects.filter(
        role=Role.APPROVER,
        is_active=True,
        institution=month.plan.contract.employer,
        user__is_active=True,
    ).select_related("user")
    sent = 0
    for membership in approvers:
        sent += email_send_once(
            key=f"diary-month:{month.pk}:confirmed:{confirmed_at}:{membership.user_id}",
            recipient=membership.user.email,
            region_id=month.plan.contract.employer.municipality.region_id,
            template="month_confirmed",
            context={"month": month, "url": absolute_url(reverse("timesheets:queue"))},
        )
    return sent

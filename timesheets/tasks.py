from celery import shared_task
from django.urls import reverse

from skola_kopiena.notifications.services import absolute_url, email_send_once


@shared_task
def notify_month_returned(diary_month_id, decided_at):
    """APR-3: the mentor learns why the month came back (once per return)."""
    from diary.models import DiaryMonth

    month = DiaryMonth.objects.select_related(
        "plan__mentor", "plan__learner__institution__municipality"
    ).get(pk=diary_month_id)
    return email_send_once(
        key=f"diary-month:{month.pk}:returned:{decided_at}",
        recipient=month.plan.mentor.email,
        region_id=month.plan.learner.institution.municipality.region_id,
        template="month_returned",
        context={
            "month": month,
            "url": absolute_url(
                reverse("diary:month", args=[month.plan_id, month.month.year, month.month.month])
            ),
        },
    )

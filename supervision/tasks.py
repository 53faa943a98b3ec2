"""Background work of supervision. Each task is safe to run twice."""

from celery import shared_task
from django.utils import timezone


@shared_task
def send_reminders():
    """SUP-1: runs daily; reminds the mentors signed up for tomorrow's sessions, once each."""
    from .reminders import send_reminders as send

    return send(timezone.localdate())

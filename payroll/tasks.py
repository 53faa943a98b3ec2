"""Background work on pay. Each task takes ids, is queued after commit and is safe to run
twice."""

from celery import shared_task
from django.utils import timezone


@shared_task
def build_export(export_id):
    """A payroll spreadsheet is made here, not in the request; its page shows progress."""
    from .exports import export_build

    return export_build(export_id=export_id)


@shared_task
def send_reminders():
    """DIA-3, DIA-7, APR-2: runs daily; the reminders decide whether today is their day."""
    from .reminders import send_reminders as send

    return send(timezone.localdate())

"""Background work of the overview: each task takes ids, is queued after commit and is safe
to run twice."""

from celery import shared_task

from skola_kopiena.exports import run_export_job

from . import policies, reports
from .models import ReportExport


@shared_task
def build_report(export_id):
    """A reporting spreadsheet is made here, not in the request; its page shows progress."""
    return run_export_job(
        ReportExport, export_id, allowed=policies.may_export_report, sheets=reports.report_sheets
    )

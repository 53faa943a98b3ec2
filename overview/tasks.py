"""Background work of the overview: each task takes ids, is queued after commit and is safe
to run twice."""

from celery import shared_task

from skola_kopiena.exports import run_export_job

from . import policies, reports
from .models import AccessLogExport, ReportExport


@shared_task
def build_report(export_id):
    """A reporting spreadsheet is made here, not in the request; its page shows progress."""
    return run_export_job(
        ReportExport, export_id, allowed=policies.may_export_report, sheets=reports.report_sheets
    )


@shared_task
def build_access_log(export_id):
    """ACC-1: the access log's spreadsheet, made here, not in the request."""
    return run_export_job(
        AccessLogExport,
        export_id,
        allowed=lambda acting, _export: policies.can_see_overview(acting),
        sheets=reports.access_log_sheets,
    )

from django.db import transaction

from skola_kopiena.services import service

from . import tasks
from .models import AccessLogExport, ReportExport


@service
def report_export_request(
    *, actor, acting, kind, file_format, school_year, semester=None, region=None
):
    """A reporting spreadsheet, made by a task after commit; its page shows the progress."""
    export = ReportExport.objects.create(
        requested_by=actor,
        membership=acting.membership,
        kind=kind,
        file_format=file_format,
        school_year=school_year,
        semester=semester,
        region=region,
    )
    transaction.on_commit(lambda: tasks.build_report.delay(export.pk))
    return export


@service
def access_log_export_request(*, actor, acting, since, until, action, file_format):
    """ACC-1: the access log of the role's regions between two days, made by a task after
    commit."""
    export = AccessLogExport.objects.create(
        requested_by=actor,
        membership=acting.membership,
        since=since,
        until=until,
        action=action,
        file_format=file_format,
    )
    transaction.on_commit(lambda: tasks.build_access_log.delay(export.pk))
    return export

from django.db import transaction

from skola_kopiena.services import service

from . import tasks
from .models import ReportExport


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

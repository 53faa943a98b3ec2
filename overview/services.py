from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skola_kopiena.services import field_error, service

from . import policies, tasks
from .models import AccessLogExport, ReportExport


@service
def report_export_request(
    *, actor, acting, kind, file_format, school_year, semester=None, region=None
):
    """A reporting spreadsheet, made by a task after commit; its page shows the progress.
    Only of the role's regions, whoever calls (the task asks again before it makes it)."""
    export = ReportExport(
        requested_by=actor,
        membership=acting.membership,
        kind=kind,
        file_format=file_format,
        school_year=school_year,
        semester=semester,
        region=region,
    )
    if not policies.may_export_report(acting, export):
        raise PermissionDenied
    export.save()
    transaction.on_commit(lambda: tasks.build_report.delay(export.pk))
    return export


# The log of a year at most in one file: a longer one is asked for in parts.
ACCESS_LOG_MAX_DAYS = 366


@service
def access_log_export_request(*, actor, acting, since, until, action, file_format):
    """ACC-1: the access log of the role's regions between two days (up to today, a year at
    most), made by a task after commit."""
    if until < since:
        raise field_error("until", _("The last day comes after the first."), "period_order")
    if until > timezone.localdate():
        raise field_error(
            "until",
            _("The end date cannot be later than today: the log goes up to today."),
            "period_future",
        )
    if (until - since).days >= ACCESS_LOG_MAX_DAYS:
        raise field_error(
            "until",
            _("At most %(n)s days in one file: ask for the rest in another.")
            % {"n": ACCESS_LOG_MAX_DAYS},
            "period_length",
        )
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

"""Who sees the overview, and which regions it shows them."""

from django.http import Http404

from skola_kopiena.accounts.permissions import register_download, sees_region
from skola_kopiena.schools.models import Region

from .models import AccessLogExport, ReportExport


def can_see_overview(acting):
    """Project staff and auditors follow their regions (several, for a coordinator of
    several), national ones and administrators the whole country."""
    return acting.oversees or acting.is_admin


def overview_region_ids(acting):
    """The regions the overview shows side by side: None for every region."""
    return None if acting.is_national else sorted(acting.region_ids)


def overview_regions(acting):
    """The regions the overview shows, as rows (for the choices of its lists and exports)."""
    region_ids = overview_region_ids(acting)
    regions = Region.objects.all()
    return regions if region_ids is None else regions.filter(pk__in=region_ids)


def may_export_report(acting, export):
    """The export's region is still one the role sees (asked again by the task)."""
    if not can_see_overview(acting):
        return False
    return export.region_id is None or sees_region(acting, export.region_id)


EARLIER_SHOWN = 10


def get_report_export_for(acting, pk):
    """A person's exports are their own: anyone else's answers 404."""
    export = ReportExport.objects.filter(pk=pk, requested_by=acting.user).first()
    if export is None or not may_export_report(acting, export):
        raise Http404
    return export


def earlier_exports(exports, acting, shown=None):
    """The person's own latest of `exports` (a report's or the access log's), to come back
    to, but the one `shown`."""
    exports = exports.filter(requested_by=acting.user).order_by("-created_at", "-pk")
    if shown is not None:
        exports = exports.exclude(pk=shown.pk)
    return exports[:EARLIER_SHOWN]


def _may_download_export(acting, export):
    return export.requested_by_id == acting.user.pk and may_export_report(acting, export)


register_download(ReportExport, "file", _may_download_export)


def get_access_log_export_for(acting, pk):
    """ACC-1: a person's access-log exports are their own, while their role still sees the
    overview: anyone else's answers 404."""
    export = AccessLogExport.objects.filter(pk=pk, requested_by=acting.user).first()
    if export is None or not can_see_overview(acting):
        raise Http404
    return export


def _may_download_access_log(acting, export):
    return export.requested_by_id == acting.user.pk and can_see_overview(acting)


register_download(AccessLogExport, "file", _may_download_access_log)

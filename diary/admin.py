from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from skola_kopiena.accounts import permissions
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.services import access_log_record
from skola_kopiena.admin_site import PortalHistoryAdmin

from .models import DiaryMonth


@admin.register(DiaryMonth)
class DiaryMonthAdmin(PortalHistoryAdmin):
    """Months and their hours at a glance, read-only: statuses change only through the
    diary's services (APR-3). Opening a month or its history is logged (ACC-1)."""

    list_display = ["plan", "month_label", "status", "hours", "confirmed_at", "decided_by"]
    list_filter = ["status", "month", "plan__institution__municipality__region"]
    search_fields = ["plan__learner__last_name", "plan__mentor__last_name"]
    list_select_related = ["plan__learner", "plan__semester__school_year", "decided_by"]
    exclude = ["timesheet_scan"]
    ordering = ["-month", "-pk"]  # newest first, read from the diary_month_by_month index

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, diary_month):
        return f"{diary_month.month:%m.%Y}"

    def get_object(self, request, object_id, from_field=None):
        diary_month = super().get_object(request, object_id, from_field)
        # ACC-1: the month's page and its history show its content; the delete page only
        # names it (and answers 403: the months are never deleted), so it reads nothing.
        shows_content = not request.resolver_match.url_name.endswith("_delete")
        if request.method == "GET" and shows_content:
            access_log_record(
                acting=permissions.admin_acting(request),
                action=AccessLog.Action.ADMIN_VIEW,
                obj=diary_month,
            )
        return diary_month

from django.contrib import admin

from mentors.admin import RegionScopedAdmin

from .models import DiaryMonth


@admin.register(DiaryMonth)
class DiaryMonthAdmin(RegionScopedAdmin):
    """Months and their hours at a glance. The diary's content is read in the portal, where
    every read is logged (ACC-1), and statuses change only through its services (APR-3)."""

    region_lookup = "plan__learner__institution__municipality__region_id"
    list_display = ["plan", "month", "status", "hours", "confirmed_at", "decided_by"]
    list_filter = ["status", "month", "plan__learner__institution__municipality__region"]
    search_fields = ["plan__learner__last_name", "plan__mentor__last_name"]
    list_select_related = ["plan__learner", "plan__semester__school_year", "decided_by"]
    readonly_fields = [f.name for f in DiaryMonth._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

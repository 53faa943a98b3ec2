from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from skola_kopiena.accounts import permissions
from skola_kopiena.collation import latvian

from .models import ChangeRequest, Contract, Mentor, RegistryImport


class RegionScopedAdmin(SimpleHistoryAdmin):
    """Regional staff see only their region's rows; national staff and admins see all."""

    region_lookup = "region_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        region_id = permissions.admin_region_id(request.user)
        if region_id is None:
            return queryset
        return queryset.filter(**{self.region_lookup: region_id})


@admin.register(Mentor)
class MentorAdmin(RegionScopedAdmin):
    list_display = [
        "last_name",
        "first_name",
        "email",
        "phone",
        "certificate_number",
        "region",
        "is_available",
        "hidden_from_search",
    ]
    list_filter = ["region", "is_available", "hidden_from_search", "municipalities"]
    search_fields = ["first_name", "last_name", "email", "certificate_number"]
    list_select_related = ["region"]
    filter_horizontal = ["municipalities"]
    raw_id_fields = ["user"]

    def get_ordering(self, request):
        return [latvian("last_name").asc(), latvian("first_name").asc()]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(RegionScopedAdmin):
    region_lookup = "mentor__region_id"
    list_display = ["mentor", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", "mentor__region"]
    search_fields = ["mentor__first_name", "mentor__last_name", "mentor__email"]
    list_select_related = ["mentor", "decided_by"]
    readonly_fields = ["requested_by", "requested_at", "decided_by", "decided_at", "status"]

    def has_add_permission(self, request):
        return False


@admin.register(RegistryImport)
class RegistryImportAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "status", "uploaded_by", "uploaded_at", "imported_count"]
    list_filter = ["status"]
    readonly_fields = [
        "original_name",
        "status",
        "uploaded_by",
        "uploaded_at",
        "imported_at",
        "imported_count",
        "errors",
    ]
    exclude = ["rows", "source_file"]

    def has_add_permission(self, request):
        return False


@admin.register(Contract)
class ContractAdmin(RegionScopedAdmin):
    region_lookup = "employer__municipality__region_id"
    list_display = ["mentor", "employer", "period_label", "signed_on", "background_check_date"]
    list_filter = ["school_year", "employer__kind", "employer__municipality__region"]
    search_fields = ["mentor__first_name", "mentor__last_name", "employer__name", "contract_number"]
    list_select_related = ["mentor", "employer", "school_year", "semester__school_year"]
    raw_id_fields = ["mentor", "employer"]
    readonly_fields = ["created_by", "created_at"]

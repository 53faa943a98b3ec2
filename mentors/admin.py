from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from skola_kopiena.accounts import permissions
from skola_kopiena.admin_site import PortalHistoryAdmin
from skola_kopiena.collation import latvian
from skola_kopiena.schools.models import Municipality, Region

from .models import ChangeRequest, Contract, Mentor, RegistryImport


@admin.register(Mentor)
class MentorAdmin(PortalHistoryAdmin):
    """The coordinator corrects their region's registry entries (REG-3); new mentors come
    through the registry import, which also makes their login."""

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
    list_filter = ["region", "is_available", "hidden_from_search"]
    search_fields = ["first_name", "last_name", "email", "certificate_number"]
    list_select_related = ["region"]
    filter_horizontal = ["municipalities"]
    # The login tied to an entry decides whose diaries it opens: it never changes here.
    readonly_fields = ["user"]

    def get_ordering(self, request):
        return [latvian("last_name").asc(), latvian("first_name").asc()]

    def _own_regions(self, request):
        acting = permissions.admin_acting(request)
        return None if acting.is_national else acting.region_ids

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        regions = self._own_regions(request)
        if db_field.name == "region" and regions is not None:
            kwargs["queryset"] = Region.objects.filter(pk__in=regions)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        regions = self._own_regions(request)
        if db_field.name == "municipalities" and regions is not None:
            kwargs["queryset"] = Municipality.objects.filter(region_id__in=regions)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ChangeRequest)
class ChangeRequestAdmin(PortalHistoryAdmin):
    """Read-only: requests are decided on the portal's page, through its service (REG-3)."""

    list_display = ["mentor", "status", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", "mentor__region"]
    search_fields = ["mentor__first_name", "mentor__last_name", "mentor__email"]
    list_select_related = ["mentor", "decided_by"]


@admin.register(RegistryImport)
class RegistryImportAdmin(PortalHistoryAdmin):
    list_display = ["original_name", "status", "uploaded_by", "uploaded_at", "imported_count"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    exclude = ["rows", "source_file"]


@admin.register(Contract)
class ContractAdmin(PortalHistoryAdmin):
    """Read-only: contracts are recorded on the plan's page, through the service that checks
    CON-1..6 (the background check before signing among them)."""

    list_display = ["mentor", "employer", "period", "signed_on", "background_check_date"]
    list_filter = ["school_year", "employer__kind", "employer__municipality__region"]
    search_fields = ["mentor__first_name", "mentor__last_name", "employer__name", "contract_number"]
    list_select_related = ["mentor", "employer", "school_year", "semester__school_year"]
    ordering = ["-signed_on", "-pk"]  # the contract_by_signing index

    @admin.display(description=_("Period"))
    def period(self, contract):
        return contract.period_label

from django.contrib import admin

from skola_kopiena.accounts import permissions
from skola_kopiena.admin_site import PortalHistoryAdmin, PortalTabularInline
from skola_kopiena.collation import latvian

from .models import (
    Institution,
    InstitutionSemester,
    Municipality,
    Region,
    SchoolBreak,
    SchoolYear,
    Semester,
)


class LatvianNameOrderAdmin(PortalHistoryAdmin):
    def get_ordering(self, request):
        return [latvian("name").asc()]


@admin.register(Region)
class RegionAdmin(PortalHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(LatvianNameOrderAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["region", "kind"]
    search_fields = ["name"]
    list_select_related = ["region"]


class InstitutionSemesterInline(PortalTabularInline):
    model = InstitutionSemester
    extra = 0
    can_delete = True


@admin.register(Institution)
class InstitutionAdmin(LatvianNameOrderAdmin):
    list_display = ["name", "kind", "municipality", "hours_approval_day", "is_active"]
    list_filter = ["kind", "municipality__region", "is_active"]
    search_fields = ["name", "registration_number", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    inlines = [InstitutionSemesterInline]

    def get_readonly_fields(self, request, obj=None):
        # A regional coordinator keeps their institutions, but cannot move one to another
        # region's municipality.
        if permissions.admin_acting(request).is_national:
            return self.readonly_fields
        return [*self.readonly_fields, "municipality"]


class SemesterInline(PortalTabularInline):
    model = Semester
    extra = 0


class SchoolBreakInline(PortalTabularInline):
    model = SchoolBreak
    extra = 0
    can_delete = True


@admin.register(SchoolYear)
class SchoolYearAdmin(PortalHistoryAdmin):
    list_display = ["name", "start_date", "end_date"]
    inlines = [SemesterInline, SchoolBreakInline]

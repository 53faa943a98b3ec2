from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


class LatvianNameOrderAdmin(SimpleHistoryAdmin):
    def get_ordering(self, request):
        return [latvian("name").asc()]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Municipality)
class MunicipalityAdmin(LatvianNameOrderAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["region", "kind"]
    search_fields = ["name"]
    list_select_related = ["region"]


class InstitutionSemesterInline(admin.TabularInline):
    model = InstitutionSemester
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(LatvianNameOrderAdmin):
    list_display = ["name", "kind", "municipality", "hours_approval_day", "is_active"]
    list_filter = ["kind", "municipality__region", "is_active"]
    search_fields = ["name", "registration_number", "municipality__name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    inlines = [InstitutionSemesterInline]


class SemesterInline(admin.TabularInline):
    model = Semester
    extra = 0


class SchoolBreakInline(admin.TabularInline):
    model = SchoolBreak
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_date", "end_date"]
    inlines = [SemesterInline, SchoolBreakInline]

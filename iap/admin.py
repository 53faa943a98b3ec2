from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mentors.admin import RegionScopedAdmin

from .models import Invitation, Learner, Plan, PlanRisk, SupportMeasure


@admin.register(Learner)
class LearnerAdmin(RegionScopedAdmin):
    region_lookup = "institution__municipality__region_id"
    list_display = ["last_name", "first_name", "institution", "education", "grade", "course"]
    list_filter = ["education", "institution__municipality__region"]
    search_fields = ["first_name", "last_name", "institution__name"]
    list_select_related = ["institution"]
    autocomplete_fields = ["institution"]
    readonly_fields = ["created_by", "created_at"]


class PlanRiskInline(admin.TabularInline):
    model = PlanRisk
    extra = 0


class SupportMeasureInline(admin.TabularInline):
    model = SupportMeasure
    extra = 0


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["mentor", "status", "answer_reason", "invited_at", "answered_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(RegionScopedAdmin):
    """Read and correct plans; the workflow itself runs through the portal's services."""

    region_lookup = "learner__institution__municipality__region_id"
    list_display = ["learner", "semester", "status", "module", "mentor", "monthly_hours"]
    list_filter = ["status", "module", "semester", "learner__institution__municipality__region"]
    search_fields = ["learner__first_name", "learner__last_name", "mentor__last_name"]
    list_select_related = ["learner", "semester__school_year", "mentor"]
    raw_id_fields = ["learner", "mentor", "contract"]
    readonly_fields = [
        "status",
        "created_by",
        "created_at",
        "submitted_at",
        "decided_by",
        "decided_at",
    ]
    inlines = [PlanRiskInline, SupportMeasureInline, InvitationInline]

    def has_add_permission(self, request):
        return False


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "mentor", "status", "invited_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["plan__learner", "plan__semester__school_year", "mentor"]
    raw_id_fields = ["plan", "mentor"]
    readonly_fields = ["invited_by", "invited_at", "answered_at"]

    def has_add_permission(self, request):
        return False

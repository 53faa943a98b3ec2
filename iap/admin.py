from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from skola_kopiena.admin_site import PortalHistoryAdmin, PortalTabularInline, name_fields
from skola_kopiena.schools.models import Semester

from .models import AuditGrant, Invitation, Learner, Plan, PlanRisk, SupportMeasure

# The field has no name of its own (its column would read "PLAN"); it belongs in the model,
# with its next migration.
name_fields(Invitation, plan=_("support plan"))


@admin.register(Learner)
class LearnerAdmin(PortalHistoryAdmin):
    """Read-only: the school registers and corrects its learners (IAP-2, ELIG-1)."""

    list_display = ["last_name", "first_name", "institution", "education", "grade", "course"]
    list_filter = ["education", "institution__municipality__region"]
    search_fields = ["first_name", "last_name", "institution__name"]
    list_select_related = ["institution"]
    ordering = ["last_name", "first_name", "pk"]  # the learner_by_name index


class PlanRiskInline(PortalTabularInline):
    model = PlanRisk
    extra = 0


class SupportMeasureInline(PortalTabularInline):
    model = SupportMeasure
    extra = 0


class InvitationInline(PortalTabularInline):
    model = Invitation
    extra = 0
    fields = ["mentor", "status", "answer_reason", "invited_at", "answered_at"]
    readonly_fields = fields


class SemesterListFilter(admin.RelatedFieldListFilter):
    """The semesters to filter by, each named with its school year read in the same query
    (Django's filter reads the year of each semester separately)."""

    def field_choices(self, field, request, model_admin):
        semesters = Semester.objects.select_related("school_year").order_by("-start_date")
        return [(semester.pk, str(semester)) for semester in semesters]


@admin.register(Plan)
class PlanAdmin(PortalHistoryAdmin):
    """Read-only: a plan's mentor, contract, hours and status change only through the
    portal's services, which keep IAP, CON and CAP."""

    list_display = ["learner", "semester", "status", "module", "mentor", "monthly_hours"]
    list_filter = [
        "status",
        "module",
        ("semester", SemesterListFilter),
        "institution__municipality__region",
    ]
    search_fields = ["learner__first_name", "learner__last_name", "mentor__last_name"]
    list_select_related = ["learner", "semester__school_year", "mentor"]
    # Newest first, from the primary key's index: the model's order (semester, then name)
    # would sort every plan of the scope for each page.
    ordering = ["-pk"]
    inlines = [PlanRiskInline, SupportMeasureInline, InvitationInline]
    # The documents are downloaded from the plan's page, where the permission check and the
    # access log are.
    exclude = ["application_file", "agreement_scan", "extension_order"]


@admin.register(Invitation)
class InvitationAdmin(PortalHistoryAdmin):
    list_display = ["plan", "mentor", "status", "invited_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["plan__learner", "plan__semester__school_year", "mentor"]
    ordering = ["-pk"]  # newest first, from the primary key: invitations come in time order


@admin.register(AuditGrant)
class AuditGrantAdmin(PortalHistoryAdmin):
    """Which auditor reads which plan of the region until when: read-only; staff grant and
    end them on the plan's page ("Revidentu piekļuve")."""

    list_display = ["user", "content_object", "until", "granted_by", "granted_at"]
    list_filter = ["until"]
    search_fields = ["user__email", "user__last_name", "content_object__learner__last_name"]
    list_select_related = [
        "user",
        "granted_by",
        "content_object__learner",
        "content_object__semester__school_year",
    ]
    fields = ["user", "content_object", "until", "granted_by", "granted_at"]
    readonly_fields = fields

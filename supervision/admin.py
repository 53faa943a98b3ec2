from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from skola_kopiena.admin_site import PortalHistoryAdmin, PortalTabularInline, name_fields

from .models import Session, Signup

# The fields have no names of their own ("starts at"); they belong in the model, with its next
# migration.
name_fields(Session, starts_at=_("Start"), ends_at=_("End"))


class SignupInline(PortalTabularInline):
    model = Signup
    fields = ["mentor", "signed_up_at", "cancelled_at", "attended", "marked_by", "marked_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Session)
class SessionAdmin(PortalHistoryAdmin):
    """SUP-1: read-only; sessions, sign-ups and attendance change through the portal."""

    list_display = [
        "date",
        "start_time",
        "place",
        "region",
        "target_group",
        "signed_up",
        "capacity",
    ]
    list_filter = ["region", "target_group", "date"]
    search_fields = ["place", "supervisor"]
    list_select_related = ["region"]
    fields = [
        "date",
        "start_time",  # the date and the start say when it starts
        "ends_at",
        "place",
        "region",
        "target_group",
        "capacity",
        "signed_up",
        "supervisor",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [SignupInline]


@admin.register(Signup)
class SignupAdmin(PortalHistoryAdmin):
    """SUP-1: read-only; the attendance is kept on the session's page of the portal."""

    list_display = ["session", "mentor", "signed_up_at", "cancelled_at", "attended"]
    list_filter = ["attended", "session__region"]
    search_fields = ["mentor__first_name", "mentor__last_name"]
    list_select_related = ["session", "mentor"]
    ordering = ["-pk"]  # newest first, from the primary key, not sorted by the session's time
    fields = [
        "session",
        "mentor",
        "signed_up_at",
        "cancelled_at",
        "attended",
        "marked_by",
        "marked_at",
    ]
    readonly_fields = fields

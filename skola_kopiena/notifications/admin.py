from django.contrib import admin

from skola_kopiena.admin_site import PortalModelAdmin

from .models import SentEmail


@admin.register(SentEmail)
class SentEmailAdmin(PortalModelAdmin):
    """Which emails and reminders went to whom and when; coordinators see their region's."""

    list_display = ["sent_at", "key", "recipient", "subject", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["key", "recipient", "subject"]
    date_hierarchy = "sent_at"

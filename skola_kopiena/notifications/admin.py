from django.contrib import admin

from skola_kopiena.admin_site import PortalModelAdmin

from .models import SentEmail


@admin.register(SentEmail)
class SentEmailAdmin(PortalModelAdmin):
    list_display = ["sent_at", "key", "recipient", "subject"]
    search_fields = ["key", "recipient", "subject"]
    date_hierarchy = "sent_at"

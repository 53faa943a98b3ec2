import re
from datetime import UTC, datetime

from django.contrib import admin
from django.utils import formats, timezone

from skola_kopiena.admin_site import PortalModelAdmin

from .models import SentEmail

# A moment inside an event's key ("diary-month:44:confirmed:2026-11-02T10:00:00.002173+00:00").
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def _riga_time(match):
    moment = datetime.fromisoformat(match.group())
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return formats.localize(timezone.localtime(moment))


@admin.register(SentEmail)
class SentEmailAdmin(PortalModelAdmin):
    """Which emails and reminders went to whom and when; coordinators see their region's."""

    list_display = ["sent_at", "event", "recipient", "subject", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["key", "recipient", "subject"]
    date_hierarchy = "sent_at"
    fields = ["sent_at", "event", "recipient", "subject", "region"]
    readonly_fields = ["sent_at", "event"]

    @admin.display(description=SentEmail._meta.get_field("key").verbose_name, ordering="key")
    def event(self, email):
        """The event's key with its moments in Riga time, not in UTC with microseconds."""
        return ISO_MOMENT.sub(_riga_time, email.key)

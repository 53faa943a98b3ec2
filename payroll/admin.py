from django.contrib import admin

from skola_kopiena.admin_site import PortalHistoryAdmin

from . import services
from .models import Rate


@admin.register(Rate)
class RateAdmin(PortalHistoryAdmin):
    """PAY-2: the national team keeps the table; a month is paid at the rate in force on its
    first day (PAY-6)."""

    list_display = ["valid_from", "valid_to", "amount", "legal_basis"]
    fields = [
        "valid_from",
        "valid_to",
        "amount",
        "legal_basis",
        "salary",
        "holiday_pay",
        "social_contributions",
    ]

    def save_model(self, request, obj, form, change):
        services.rate_save(actor=request.user, rate=obj)

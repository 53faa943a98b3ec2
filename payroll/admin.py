from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from skola_kopiena.admin_site import PortalHistoryAdmin, PortalTabularInline

from . import services
from .models import PayrollLine, PayrollRun, Rate


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


class PayrollLineInline(PortalTabularInline):
    model = PayrollLine
    fields = [
        "mentor_name",
        "certificate_number",
        "contract_label",
        "plan",
        "month",
        "hours",
        "rate_amount",
        "amount",
    ]
    readonly_fields = fields
    extra = 0


@admin.register(PayrollRun)
class PayrollRunAdmin(PortalHistoryAdmin):
    """PAY-6: closed runs, read-only: they never change."""

    list_display = ["employer", "month_label", "hours", "amount", "closed_at", "closed_by"]
    list_filter = ["month", "employer__municipality__region"]
    search_fields = ["employer__name"]
    list_select_related = ["employer", "closed_by"]
    # Newest month first from the (month, employer) index; the model's order by the
    # employer's name would sort every run ever closed.
    ordering = ["-month", "-pk"]
    inlines = [PayrollLineInline]

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, run):
        return f"{run.month:%m.%Y}"

"""Who may see or change pay (PAY), on the shared scopes of `skola_kopiena.accounts.permissions`."""

from skola_kopiena.accounts.permissions import NATIONAL, REGIONAL, AdminRule, register_admin_rules

register_admin_rules(
    {
        # PAY-2: one national table, kept by the national team; read by every coordinator.
        "payroll.rate": AdminRule(view=REGIONAL, add=NATIONAL, change=NATIONAL),
    }
)

"""Who may see or change pay (PAY), on the shared scopes of `skola_kopiena.accounts.permissions`.

A mentor sees only their own pay (PAY-5); the employer's approver the payroll of their own
institution (PAY-3); project staff the payroll of their region, national staff and
administrators the whole country. A preparer never sees pay.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from skola_kopiena.accounts.models import Role
from skola_kopiena.accounts.permissions import (
    NATIONAL,
    REGIONAL,
    AdminRule,
    institutions_for,
    register_admin_rules,
    register_download,
    sees_region,
)
from skola_kopiena.schools.models import Institution

from .models import PayrollExport, PayrollRun


def sees_own_pay(acting):
    return acting.has_role(Role.MENTOR)


def sees_payroll(acting):
    return acting.has_role(Role.APPROVER) or acting.oversees or acting.is_admin


def payroll_employers_for(acting):
    """The employers whose payroll the acting role sees."""
    if acting.has_role(Role.APPROVER):
        return Institution.objects.filter(pk=acting.institution_id)
    if acting.oversees or acting.is_admin:
        return institutions_for(acting)
    return Institution.objects.none()


def get_employer_for(acting, pk):
    """403 to roles that never see pay; 404 for an employer outside the acting scope."""
    if not sees_payroll(acting):
        raise PermissionDenied
    employer = payroll_employers_for(acting).filter(pk=pk).select_related("municipality").first()
    if employer is None:
        raise Http404
    return employer


def closes_own_payroll(acting):
    return acting.has_role(Role.APPROVER)


def can_close_payroll(acting, employer):
    """PAY-3: the employer who holds the contracts pays: its approver closes its months."""
    return acting.has_role(Role.APPROVER) and acting.institution_id == employer.pk


def export_regions(acting):
    """The regions whose payroll the acting staff member exports at once; None stands for
    the whole country (national staff and administrators)."""
    if acting.is_national:
        return [None]
    if acting.oversees:
        return sorted(acting.region_ids)
    return []


def may_export(acting, export):
    """The export's scope is still the acting role's to see (asked again by the task)."""
    if export.employer_id:
        return payroll_employers_for(acting).filter(pk=export.employer_id).exists()
    return sees_region(acting, export.region_id)


def get_export_for(acting, pk):
    """A person's exports are their own: anyone else's answers 404."""
    export = PayrollExport.objects.filter(pk=pk, requested_by=acting.user).first()
    if export is None or not may_export(acting, export):
        raise Http404
    return export


def runs_for(acting):
    return PayrollRun.objects.filter(employer__in=payroll_employers_for(acting).values("pk"))


def _may_download_export(acting, export):
    return export.requested_by_id == acting.user.pk and may_export(acting, export)


register_admin_rules(
    {
        # PAY-2: one national table, kept by the national team; read by every coordinator.
        "payroll.rate": AdminRule(view=REGIONAL, add=NATIONAL, change=NATIONAL),
        # PAY-6: closed runs never change, in the admin neither.
        "payroll.payrollrun": AdminRule(view=REGIONAL, scope=runs_for),
    }
)
register_download(PayrollExport, "file", _may_download_export)

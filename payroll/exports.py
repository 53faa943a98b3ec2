"""The payroll export (PAY-3, PAY-6): the closed runs of one employer, a region or the whole
country, one sheet per employer, made by a Celery task and kept as a private file."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from skola_kopiena.collation import latvian
from skola_kopiena.exports import INTEGER, MONEY, MONTH, Column, Sheet, run_export_job

from . import policies
from .models import PayrollExport, PayrollLine, PayrollRun, to_cents


def _columns():
    return [
        Column(_("Mentor")),
        Column(_("Certificate number")),
        Column(_("Contract")),
        Column(_("Support plan No.")),
        Column(_("Month of the hours"), MONTH),
        Column(_("Correction")),
        Column(_("Academic hours"), INTEGER),
        Column(_("Rate, EUR"), MONEY),
        Column(_("Amount, EUR"), MONEY),
        Column(_("Of which salary, EUR"), MONEY),
        Column(_("Of which holiday pay, EUR"), MONEY),
        Column(_("Of which the employer's social contributions, EUR"), MONEY),
    ]


def _part(line, part):
    """The share of the line's amount that is salary, holiday pay or contributions, when the
    rate names its parts (PAY-2), so that the accountant sees the gross wage."""
    value = getattr(line.rate, part)
    return to_cents(line.hours * value) if value is not None else None


def run_sheet(run, lines):
    rows = [
        (
            line.mentor_name,
            line.certificate_number,
            line.contract_label,
            line.plan_id,
            line.month,
            _("yes") if line.month != run.month else "",
            line.hours,
            line.rate_amount,
            line.amount,
            _part(line, "salary"),
            _part(line, "holiday_pay"),
            _part(line, "social_contributions"),
        )
        for line in lines
    ]
    totals = (_("Total"), "", "", None, None, "", run.hours, None, run.amount, None, None, None)
    return Sheet(title=run.employer.name, columns=_columns(), rows=rows, totals=totals)


def export_runs(export):
    """The closed runs the export holds, in the employers' order."""
    runs = PayrollRun.objects.filter(month=export.month).select_related("employer")
    if export.employer_id:
        runs = runs.filter(employer_id=export.employer_id)
    else:
        # A region's or the country's file leaves out the employers that had nothing to pay.
        runs = runs.filter(Exists(PayrollLine.objects.filter(run=OuterRef("pk"))))
        if export.region_id:
            runs = runs.filter(employer__municipality__region_id=export.region_id)
    return runs.order_by(latvian("employer__name"), "employer_id")


def export_sheets(export):
    """The sheets of the export: one per closed run, their lines read in one query."""
    runs = list(export_runs(export))
    lines = {}
    for line in (
        PayrollLine.objects.filter(run__in=runs)
        .select_related("rate")
        .order_by("run_id", latvian("mentor_name"), "mentor_id", "month", "plan_id")
    ):
        lines.setdefault(line.run_id, []).append(line)
    return [run_sheet(run, lines.get(run.pk, [])) for run in runs]


def export_build(*, export_id):
    """Make the export's file once (`skola_kopiena.exports.run_export_job`), if the role it
    was asked in still allows it."""
    return run_export_job(
        PayrollExport,
        export_id,
        allowed=policies.may_export,
        sheets=lambda export, _acting: export_sheets(export),
    )

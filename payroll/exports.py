"""The payroll export (PAY-3, PAY-6): the closed runs of one employer, a region or the whole
country, one sheet per employer, made by a Celery task and kept as a private file."""

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from skola_kopiena.accounts.permissions import acting_for
from skola_kopiena.collation import latvian
from skola_kopiena.exports import INTEGER, MONEY, MONTH, Column, Sheet, to_csv, to_xlsx

from . import policies
from .models import PayrollExport, PayrollLine, PayrollRun, to_cents

# A task that stopped with its worker is taken up again after this long.
STALE_AFTER = datetime.timedelta(minutes=10)


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


def build_file(runs, file_format, progress=None):
    """The spreadsheet of `runs`: their lines are read in one query."""
    runs = list(runs)
    lines = {}
    for line in (
        PayrollLine.objects.filter(run__in=runs)
        .select_related("rate")
        .order_by("run_id", latvian("mentor_name"), "mentor_id", "month", "plan_id")
    ):
        lines.setdefault(line.run_id, []).append(line)
    sheets = [run_sheet(run, lines.get(run.pk, [])) for run in runs]
    if file_format == PayrollExport.Format.CSV:
        return to_csv(sheets)
    return to_xlsx(sheets, progress=progress)


def export_build(*, export_id):
    """Make the export's file, once: the row is claimed by a conditional update, so a second
    run of the task finds it taken and does nothing; one whose worker died is taken again."""
    now = timezone.now()
    claimed = PayrollExport.objects.filter(
        pk=export_id, status=PayrollExport.Status.WAITING
    ).update(status=PayrollExport.Status.RUNNING, started_at=now) or (
        PayrollExport.objects.filter(
            pk=export_id, status=PayrollExport.Status.RUNNING, started_at__lt=now - STALE_AFTER
        ).update(started_at=now)
    )
    if not claimed:
        return False
    export = PayrollExport.objects.select_related("requested_by").get(pk=export_id)
    # The role may have been taken away since the export was asked for.
    acting = acting_for(export.requested_by, export.membership_id)
    if (
        acting.membership is None
        or acting.membership.pk != export.membership_id
        or not (policies.may_export(acting, export))
    ):
        PayrollExport.objects.filter(pk=export_id).update(status=PayrollExport.Status.FAILED)
        return False

    def progress(done, total):
        PayrollExport.objects.filter(pk=export_id).update(progress=done * 100 // max(total, 1))

    with translation.override(settings.LANGUAGE_CODE):
        data = build_file(export_runs(export), export.file_format, progress)
    content = ContentFile(data, name=export.original_name)
    content.upload_kind = export.file_format  # made here, not uploaded: nothing to detect
    export.file.save(export.original_name, content, save=False)
    export.status = PayrollExport.Status.READY
    export.progress = 100
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "progress", "finished_at"])
    return True

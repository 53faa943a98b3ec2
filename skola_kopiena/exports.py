"""The one base of every export: sheets of rows turned into CSV or XLSX, and the job that
makes such a file in the background (`ExportJob`, `run_export_job`).

CSV is `;`-separated UTF-8 with a BOM, with decimal commas and dd.mm.gggg dates, as Excel
opens it in Latvia. XLSX keeps numbers and dates as numbers and dates, with Latvian formats.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from skola_kopiena.files.fields import PrivateFileField
from skola_kopiena.files.validation import SPREADSHEET_KINDS

TEXT, INTEGER, MONEY, DATE, MONTH = "text", "integer", "money", "date", "month"
DATETIME = "datetime"  # Riga time, aware: written as the local time
XLSX_FORMATS = {
    INTEGER: "0",
    MONEY: "#,##0.00",
    DATE: "DD.MM.YYYY",
    MONTH: "MM.YYYY",
    DATETIME: "DD.MM.YYYY HH:MM:SS",
}
XLSX_WIDTHS = {TEXT: 28, INTEGER: 10, MONEY: 14, DATE: 12, MONTH: 10, DATETIME: 20}
SHEET_TITLE_MAX = 31


@dataclass
class Column:
    header: str
    kind: str = TEXT


@dataclass
class Sheet:
    title: str
    columns: list
    rows: list = field(default_factory=list)
    totals: tuple | None = None


def csv_value(value, kind):
    if value is None:
        return ""
    if kind == MONEY:
        return f"{value:.2f}".replace(".", ",")
    if kind == DATETIME:
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M:%S")
    if kind == DATE:
        return value.strftime("%d.%m.%Y")
    if kind == MONTH:
        return value.strftime("%m.%Y")
    return str(value)


def to_csv(sheets):
    """One table; when there are several sheets, the first column names each row's sheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    several = len(sheets) > 1
    header_written = False
    for sheet in sheets:
        kinds = [column.kind for column in sheet.columns]
        if not header_written:
            headers = [column.header for column in sheet.columns]
            writer.writerow(([""] if several else []) + headers)
            header_written = True
        for row in [*sheet.rows, *([sheet.totals] if sheet.totals else [])]:
            cells = [csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)]
            writer.writerow(([sheet.title] if several else []) + cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_titles(sheets):
    """Excel's rules: at most 31 characters, none of []:*?/\\, each title once."""
    seen = set()
    for sheet in sheets:
        base = re.sub(r"[\[\]:*?/\\]", " ", sheet.title).strip()[:SHEET_TITLE_MAX] or "-"
        title, number = base, 2
        while title.casefold() in seen:
            suffix = f" ({number})"
            title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
            number += 1
        seen.add(title.casefold())
        yield title


def to_xlsx(sheets, progress=None):
    """A workbook with one worksheet per sheet; `progress(done, total)` after each."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for done, (sheet, title) in enumerate(zip(sheets, _sheet_titles(sheets), strict=True), 1):
        worksheet = workbook.create_sheet(title)
        for index, column in enumerate(sheet.columns):
            worksheet.column_dimensions[get_column_letter(index + 1)].width = XLSX_WIDTHS[
                column.kind
            ]
        worksheet.freeze_panes = "A2"
        worksheet.append([_cell(worksheet, c.header, TEXT, bold) for c in sheet.columns])
        for row in sheet.rows:
            worksheet.append(
                [_cell(worksheet, v, c.kind) for v, c in zip(row, sheet.columns, strict=True)]
            )
        if sheet.totals:
            worksheet.append(
                [
                    _cell(worksheet, v, c.kind, bold)
                    for v, c in zip(sheet.totals, sheet.columns, strict=True)
                ]
            )
        if progress:
            progress(done, len(sheets))
    if not sheets:
        workbook.create_sheet("-")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(worksheet, value, kind, font=None):
    if isinstance(value, datetime.datetime):
        # A spreadsheet knows no time zones: the time as read in Riga.
        value = timezone.localtime(value).replace(tzinfo=None) if value.tzinfo else value
    cell = WriteOnlyCell(worksheet, value=value)
    if kind in XLSX_FORMATS and value is not None and not isinstance(value, str):
        cell.number_format = XLSX_FORMATS[kind]
    if font:
        cell.font = font
    return cell


# --- Export jobs: a file made by a Celery task behind a page that shows its progress -------

# A task that stopped with its worker is taken up again after this long.
STALE_AFTER = datetime.timedelta(minutes=10)
# A job still waiting after this long has found no worker: the page says so.
NOT_STARTED_AFTER = datetime.timedelta(minutes=5)


class ExportJob(models.Model):
    """A spreadsheet asked for by a person in a role, made by a Celery task behind a page that
    shows its progress. The file is private: it leaves only through the permission-checked
    download view, to the person who asked. A job, not domain data: it keeps no history; the
    rows it is made from keep theirs."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting in the queue")
        RUNNING = "running", _("being made")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX (Excel)"
        CSV = "csv", "CSV"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The role it was asked in: the task checks again that it still allows the export.
    membership = models.ForeignKey(
        "accounts.RoleMembership", on_delete=models.CASCADE, related_name="+"
    )
    file_format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    file = PrivateFileField(_("file"), kinds=SPREADSHEET_KINDS, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def not_started(self):
        """Still in the queue long after it was asked for: the background worker is down."""
        waiting = self.status == self.Status.WAITING
        return waiting and self.created_at < timezone.now() - NOT_STARTED_AFTER


class RegionalExportJob(ExportJob):
    """An export of one region's rows, or, with no region, of all the role sees."""

    region = models.ForeignKey(
        "schools.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )

    class Meta:
        abstract = True


def run_export_job(model, export_id, *, allowed, sheets):
    """Make the file of an `ExportJob` once: the row is claimed by a conditional update, so a
    second run of the task finds it taken and does nothing; one whose worker died is taken
    again. `allowed(acting, export)` asks again whether the role still allows it (it may have
    been taken away since); `sheets(export, acting)` gives the rows."""
    from skola_kopiena.accounts.permissions import acting_for

    now = timezone.now()
    jobs = model.objects.filter(pk=export_id)
    claimed = jobs.filter(status=ExportJob.Status.WAITING).update(
        status=ExportJob.Status.RUNNING, started_at=now
    ) or jobs.filter(status=ExportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER).update(
        started_at=now
    )
    if not claimed:
        return False
    export = jobs.select_related("requested_by").get()
    acting = acting_for(export.requested_by, export.membership_id)
    if (
        acting.membership is None
        or acting.membership.pk != export.membership_id
        or not allowed(acting, export)
    ):
        jobs.update(status=ExportJob.Status.FAILED)
        return False

    def progress(done, total):
        jobs.update(progress=done * 100 // max(total, 1))

    with translation.override(settings.LANGUAGE_CODE):
        made = sheets(export, acting)
        csv_wanted = export.file_format == ExportJob.Format.CSV
        data = to_csv(made) if csv_wanted else to_xlsx(made, progress)
    content = ContentFile(data, name=export.original_name)
    content.upload_kind = export.file_format  # made here, not uploaded: nothing to detect
    export.file.save(export.original_name, content, save=False)
    export.status = ExportJob.Status.READY
    export.progress = 100
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "progress", "finished_at"])
    return True

"""The one base of every export: sheets of rows turned into CSV or XLSX.

CSV is `;`-separated UTF-8 with a BOM, with decimal commas and dd.mm.gggg dates, as Excel
opens it in Latvia. XLSX keeps numbers and dates as numbers and dates, with Latvian formats.
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

TEXT, INTEGER, MONEY, DATE, MONTH = "text", "integer", "money", "date", "month"
XLSX_FORMATS = {INTEGER: "0", MONEY: "#,##0.00", DATE: "DD.MM.YYYY", MONTH: "MM.YYYY"}
XLSX_WIDTHS = {TEXT: 28, INTEGER: 10, MONEY: 14, DATE: 12, MONTH: 10}
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
        value = value.replace(tzinfo=None)
    cell = WriteOnlyCell(worksheet, value=value)
    if kind in XLSX_FORMATS and value is not None and not isinstance(value, str):
        cell.number_format = XLSX_FORMATS[kind]
    if font:
        cell.font = font
    return cell

"""What an upload must be, decided by its content, never by its name or the browser's word.

Documents (applications, agreements, contracts, signed timesheets) are PDF, JPEG, PNG or the
ASiC-E container of Latvian e-signatures (.edoc); spreadsheets (the registry import) are CSV
or XLSX. At most 10 MB.
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ASICE_MIMETYPE = b"application/vnd.etsi.asic-e+zip"

# kind -> (extension on disk, content type)
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "asice": ("edoc", "application/vnd.etsi.asic-e+zip"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", "text/csv"),
}
DOCUMENT_KINDS = ("pdf", "jpeg", "png", "asice")
SPREADSHEET_KINDS = ("csv", "xlsx")


def _zip_names(upload):
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            first = archive.read(names[0]).strip() if names and names[0] == "mimetype" else b""
            return names, first
    except (zipfile.BadZipFile, KeyError, OSError, IndexError):
        return [], b""
    finally:
        upload.seek(0)


def _looks_like_text(upload):
    # Spreadsheet programs export CSV in UTF-8 or Windows-1257: either way, no NUL bytes.
    upload.seek(0)
    sample = upload.read(64 * 1024)
    upload.seek(0)
    return b"\x00" not in sample


def detect_kind(upload, kinds):
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        # An ASiC-E container is a ZIP whose first entry is the "mimetype" file.
        names, mimetype = _zip_names(upload)
        if mimetype == ASICE_MIMETYPE:
            return "asice"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if "csv" in kinds and _looks_like_text(upload):
        return "csv"
    return None


def validate_upload(upload, kinds=DOCUMENT_KINDS):
    """Return the detected kind, or raise a ValidationError with a message for the person."""
    limit = settings.FILE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    kind = detect_kind(upload, kinds)
    if kind not in kinds:
        if kinds == SPREADSHEET_KINDS:
            message = _("This file is not a CSV or XLSX spreadsheet.")
        else:
            message = _(
                "This file is not a PDF, JPEG, PNG or e-signed (.edoc, .asice) document. "
                "Scan or save it in one of these formats and upload it again."
            )
        raise ValidationError(message, code="file_type")
    return kind

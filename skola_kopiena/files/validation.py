"""What an upload must be: a real PDF, JPEG, PNG or ASiC-E (.edoc) file of at most 10 MB.

The content decides, never the name or the browser's content type.
"""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ASICE_MIMETYPE = b"application/vnd.etsi.asic-e+zip"

# kind -> (extension, content type)
KINDS = {
    "pdf": ("pdf", "application/pdf"),
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "asice": ("edoc", "application/vnd.etsi.asic-e+zip"),
}


def _is_asice(head: bytes, upload) -> bool:
    # An ASiC-E container is a ZIP whose first entry is an uncompressed "mimetype" file.
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            return bool(names) and names[0] == "mimetype" and (
                archive.read("mimetype").strip() == ASICE_MIMETYPE
            )
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    finally:
        upload.seek(0)


def detect_kind(upload) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if _is_asice(head, upload):
        return "asice"
    return None


def validate_upload(upload) -> str:
    """Return the detected kind, or raise a ValidationError in Latvian (through gettext)."""
    limit = settings.FILE_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    kind = detect_kind(upload if hasattr(upload, "seek") else io.BytesIO(upload.read()))
    if kind is None:
        raise ValidationError(
            _(
                "This file is not a PDF, JPEG, PNG or e-signed (.edoc, .asice) document. "
                "Scan or save it in one of these formats and upload it again."
            ),
            code="file_type",
        )
    return kind

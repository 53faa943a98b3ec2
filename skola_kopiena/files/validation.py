"""What an upload must be, decided by its content, never by its name or the browser's word.

Documents (applications, agreements, contracts, signed timesheets) are PDF, JPEG, PNG or the
ASiC-E container of Latvian e-signatures (.edoc); spreadsheets (the registry import) are CSV
or XLSX. At most 10 MB.

Each format is checked as a whole, not by its first bytes alone: a PDF has its end, an image
its end marker, a CSV is text and not a web page. Every check reads a bounded amount: an
archive is refused on what its directory declares before anything in it is inflated.
"""

import codecs
import struct
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader

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

# An e-signed container holds a few documents and its signatures, a workbook a few dozen
# parts: a thousand entries is far beyond either, while 10 MB of empty entries is ~130,000
# of them, which zipfile would turn into ~50 MB of objects.
MAX_ARCHIVE_ENTRIES = 1000
# What an archive may inflate to. Signed documents are mostly PDFs and scans, which do not
# compress: a 10 MB container holds little more than 10 MB.
MAX_INFLATED_BYTES = 100 * 1024 * 1024
# A workbook is read further, by openpyxl, which keeps all its shared strings in memory and
# parses a whole sheet that does not declare its size before giving the first row. The
# registry's 5,000 mentors make ~2 MB of XML.
MAX_XLSX_INFLATED_BYTES = 20 * 1024 * 1024
# Readers look for a PDF's %%EOF within its last 1024 bytes.
PDF_TAIL_BYTES = 1024
# A JPEG has a few dozen marker segments before its image data.
MAX_JPEG_SEGMENTS = 1000
CHUNK_BYTES = 64 * 1024


def _archive_too_large(size, limit):
    return ValidationError(
        _(
            "Unpacked, this file would take %(size)s; the largest allowed is %(limit)s. "
            "Save it again without unneeded content and upload the new file."
        )
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
        code="archive_too_large",
    )


def _damaged(kind):
    return ValidationError(
        _(
            "This %(kind)s file is damaged or incomplete. Save or scan it again and upload "
            "the new file."
        )
        % {"kind": kind.upper()},
        code="file_damaged",
    )


def _chunks(upload, start=0):
    upload.seek(start)
    while chunk := upload.read(CHUNK_BYTES):
        yield chunk


def _count(upload, needle):
    """Occurrences of `needle` in the file, read in chunks."""
    count, carry = 0, b""
    for chunk in _chunks(upload):
        data = carry + chunk
        count += data.count(needle)
        carry = data[1 - len(needle) :]
    return count


def _contains(upload, needle, start):
    """Whether `needle` occurs in the file from `start` on, read in chunks."""
    carry = b""
    for chunk in _chunks(upload, start):
        data = carry + chunk
        if needle in data:
            return True
        carry = data[1 - len(needle) :]
    return False


def _inflates_as_declared(upload, entry):
    """Inflate one deflated entry in bounded steps: False if it holds more than it declares.

    zipfile inflates a part read whole (as openpyxl reads a workbook's parts) in one step and
    only then cuts it to the declared size, so a part declaring 1 KB that inflates to 1 GB
    would take 1 GB of memory on the way.
    """
    upload.seek(entry.header_offset)
    local_header = upload.read(30)
    if len(local_header) < 30 or not local_header.startswith(b"PK\x03\x04"):
        return False
    name_length, extra_length = struct.unpack("<2H", local_header[26:30])
    start = entry.header_offset + 30 + name_length + extra_length
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left, inflated = entry.compress_size, 0
    for chunk in _chunks(upload, start):
        data, left = chunk[:left], left - len(chunk)
        while data and not inflater.eof:
            inflated += len(inflater.decompress(data, CHUNK_BYTES))
            if inflated > entry.file_size:
                return False
            data = inflater.unconsumed_tail
        if left <= 0 or inflater.eof:
            break
    return inflater.eof and inflated == entry.file_size


def _archive_kind(upload):
    """The kind of a ZIP (asice, xlsx or None); refuses one that declares too much content."""
    # Counted in the raw bytes, as zipfile would find them, before it builds one object each.
    if _count(upload, b"PK\x01\x02") > MAX_ARCHIVE_ENTRIES:
        raise ValidationError(
            _(
                "This file holds more than %(limit)s packed files, far more than an e-signed "
                "document or a spreadsheet has. Save it again and upload the new file."
            )
            % {"limit": MAX_ARCHIVE_ENTRIES},
            code="archive_too_many_entries",
        )
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        entries = archive.infolist()
        # Only the two methods e-signed containers and workbooks use; bzip2 and LZMA inflate
        # a few kilobytes to gigabytes in one step. Encrypted entries cannot be checked.
        if not entries or any(
            e.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or e.flag_bits & 1
            for e in entries
        ):
            return None
        inflated = sum(e.file_size for e in entries)
        if inflated > MAX_INFLATED_BYTES:
            raise _archive_too_large(inflated, MAX_INFLATED_BYTES)
        names = [e.filename for e in entries]
        if names[0] == "mimetype":
            # An ASiC-E container is a ZIP whose first entry is the "mimetype" file; a few
            # bytes more than the expected value are enough to tell.
            with archive.open(entries[0]) as first:
                mimetype = first.read(len(ASICE_MIMETYPE) + 16).strip()
            kind = "asice" if mimetype == ASICE_MIMETYPE else None
        else:
            kind = "xlsx" if "xl/workbook.xml" in names else None
        if kind != "xlsx":
            return kind  # a container is stored and served as it came, never unpacked here
        if inflated > MAX_XLSX_INFLATED_BYTES:
            raise _archive_too_large(inflated, MAX_XLSX_INFLATED_BYTES)
        if not all(
            _inflates_as_declared(upload, e)
            for e in entries
            if e.compress_type == zipfile.ZIP_DEFLATED
        ):
            raise _damaged(kind)
        return kind


def _zip_kind(upload):
    try:
        return _archive_kind(upload)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        return None
    finally:
        upload.seek(0)


def _text_kind(upload):
    """csv for text in UTF-8 or Windows-1257 (spreadsheet programs export CSV in either),
    None otherwise; refuses markup (a web page or an SVG is text, but no spreadsheet)."""
    for encoding in ("utf-8-sig", "cp1257"):
        decoder = codecs.getincrementaldecoder(encoding)()
        start = None
        try:
            for chunk in _chunks(upload):
                text = decoder.decode(chunk)
                if "\x00" in text:
                    return None
                if start is None and text.strip():
                    start = text.lstrip()
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if start is not None and start.startswith("<"):
            raise ValidationError(
                _(
                    "This file is a web page or an image (HTML, SVG or XML), not a spreadsheet. "
                    "Save the spreadsheet as CSV or XLSX and upload it again."
                ),
                code="file_markup",
            )
        return "csv"
    return None


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
        return _zip_kind(upload)
    if "csv" in kinds:
        try:
            return _text_kind(upload)
        finally:
            upload.seek(0)
    return None


def _pdf_is_whole(upload):
    # A PDF ends with the pointer to its cross-reference table ("startxref", or the trailer
    # of the oldest files) and %%EOF: a file cut short has neither, nor has a web page that
    # merely starts with %PDF-.
    upload.seek(max(0, upload.size - PDF_TAIL_BYTES))
    tail = upload.read(PDF_TAIL_BYTES)
    if not (b"%%EOF" in tail and (b"startxref" in tail or b"trailer" in tail)):
        return False
    # And it parses: a catalogue with at least one page. pypdf reads the cross-reference
    # table and the page tree only, within the upload's 10 MB.
    upload.seek(0)
    try:
        return len(PdfReader(upload, strict=False).pages) > 0
    except Exception:
        return False


def _jpeg_is_whole(upload):
    # Marker segments up to the start of the scan, then the end-of-image marker after it.
    # The image data never holds FF D9, so a file cut short has none there; what follows the
    # end (phones append a short video) is left alone, and so is an embedded thumbnail's end.
    upload.seek(2)
    for _segment in range(MAX_JPEG_SEGMENTS):
        marker = upload.read(2)
        while marker == b"\xff\xff":  # fill bytes
            marker = b"\xff" + upload.read(1)
        if len(marker) < 2 or marker[0] != 0xFF or marker[1] == 0xD9:
            return False
        if 0xD0 <= marker[1] <= 0xD7 or marker[1] == 0x01:  # markers without a length
            continue
        length = upload.read(2)
        if len(length) < 2 or (length := struct.unpack(">H", length)[0]) < 2:
            return False
        upload.seek(length - 2, 1)  # skip the segment: its length counts these two bytes
        if marker[1] == 0xDA:  # start of scan
            return _contains(upload, b"\xff\xd9", upload.tell())
    return False


def _png_is_whole(upload):
    # The IHDR chunk first and the chunks, each by its declared length, up to IEND.
    upload.seek(8)
    first = True
    while len(header := upload.read(8)) == 8:
        length, chunk_type = struct.unpack(">I4s", header)
        if first and chunk_type != b"IHDR":
            return False
        if chunk_type == b"IEND":
            return True
        first = False
        upload.seek(length + 4, 1)  # the data and its CRC
    return False


WHOLE = {"pdf": _pdf_is_whole, "jpeg": _jpeg_is_whole, "png": _png_is_whole}


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
    if kind in WHOLE:
        try:
            whole = WHOLE[kind](upload)
        finally:
            upload.seek(0)
        if not whole:
            raise _damaged(kind)
    return kind

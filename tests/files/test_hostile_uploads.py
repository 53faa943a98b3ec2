"""Uploads crafted to crash or exhaust the server are refused with a clear message, in little
memory, and change nothing."""

import functools
import io
import struct
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

from diary.models import DiaryMonth
from mentors.models import RegistryImport
from skola_kopiena.files.validation import DOCUMENT_KINDS, SPREADSHEET_KINDS, validate_upload

ASICE = b"application/vnd.etsi.asic-e+zip"
MB = 1024 * 1024
HEADING = "vārds;uzvārds;e-pasts;tālrunis;apliecības numurs;reģions;pašvaldības\n"


def zeros_entry(archive, name, megabytes):
    with archive.open(name, "w") as entry:
        for _ in range(megabytes):
            entry.write(bytes(MB))


@functools.cache
def zip_bomb():
    """A 1 MB .edoc whose first entry, the "mimetype", inflates to 200 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        zeros_entry(archive, "mimetype", 200)
    return buffer.getvalue()


def too_many_entries():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ASICE)
        for number in range(1001):
            archive.writestr(f"META-INF/{number}.xml", b"")
    return buffer.getvalue()


def packed_with_bzip2():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("mimetype", ASICE)
        archive.writestr("ligums.pdf", b"\x00" * 1024)
    return buffer.getvalue()


def workbook(extra_megabytes=0):
    """A real XLSX, with a part of zeros added when asked."""
    book = Workbook()
    book.active.append(["vārds", "uzvārds"])
    buffer = io.BytesIO()
    book.save(buffer)
    if not extra_megabytes:
        return buffer.getvalue()
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        zeros_entry(archive, "xl/worksheets/sheet2.xml", extra_megabytes)
    return buffer.getvalue()


def declaring_less_than_it_holds():
    """An XLSX whose added part declares 1 KB in the directory but inflates to 30 MB."""
    data = bytearray(workbook(extra_megabytes=30))
    name = b"xl/worksheets/sheet2.xml"
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 1)
    data[at + 24 : at + 28] = struct.pack("<I", 1024)  # uncompressed size
    return bytes(data)


def image(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, kind)
    return buffer.getvalue()


def pdf():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


P = pytest.param
HOSTILE = [
    P("ligums.edoc", zip_bomb, DOCUMENT_KINDS, "archive_too_large", id="zip-bomb-edoc"),
    P(
        "ligums.edoc",
        too_many_entries,
        DOCUMENT_KINDS,
        "archive_too_many_entries",
        id="edoc-of-1001-entries",
    ),
    P("ligums.edoc", packed_with_bzip2, DOCUMENT_KINDS, "file_type", id="edoc-packed-with-bzip2"),
    P(
        "lapa.pdf",
        lambda: b"%PDF-1.7\n<html><script>alert(1)</script></html>\n",
        DOCUMENT_KINDS,
        "file_damaged",
        id="html-starting-with-pdf",
    ),
    P(
        "lapa.pdf",
        lambda: b"%PDF-1.7\n<html><script>alert(1)</script></html>\ntrailer<<>>\nstartxref\n9\n%%EOF\n",
        DOCUMENT_KINDS,
        "file_damaged",
        id="html-with-a-pdf-head-and-tail",
    ),
    P("puse.pdf", lambda: pdf()[:-200], DOCUMENT_KINDS, "file_damaged", id="truncated-pdf"),
    P("puse.jpg", lambda: image("JPEG")[:-40], DOCUMENT_KINDS, "file_damaged", id="truncated-jpeg"),
    P("puse.png", lambda: image("PNG")[:-20], DOCUMENT_KINDS, "file_damaged", id="truncated-png"),
    P(
        "mentori.csv",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
        SPREADSHEET_KINDS,
        "file_markup",
        id="svg-as-csv",
    ),
    P(
        "mentori.csv",
        lambda: b"\n  <!DOCTYPE html><html><body>vards;uzvards</body></html>",
        SPREADSHEET_KINDS,
        "file_markup",
        id="html-as-csv",
    ),
    P(
        "mentori.csv",
        lambda: '\ufeff<?xml version="1.0"?><a/>'.encode(),
        SPREADSHEET_KINDS,
        "file_markup",
        id="xml-as-csv",
    ),
    P(
        "mentori.xlsx",
        lambda: workbook(extra_megabytes=30),
        SPREADSHEET_KINDS,
        "archive_too_large",
        id="xlsx-inflating-to-30-mb",
    ),
    P(
        "mentori.xlsx",
        declaring_less_than_it_holds,
        SPREADSHEET_KINDS,
        "file_damaged",
        id="xlsx-part-holding-more-than-it-declares",
    ),
]


@pytest.mark.parametrize("name,content,kinds,code", HOSTILE)
def test_hostile_uploads_are_refused_with_their_own_code_in_little_memory(
    name, content, kinds, code
):
    upload = SimpleUploadedFile(name, content())
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as error:
            validate_upload(upload, kinds)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.value.code == code
    assert error.value.messages[0]
    # Inflating the bomb's first entry whole took 200 MB and more.
    assert peak < 20 * MB


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("skenets.pdf", pdf, "pdf"),
        ("foto.jpg", lambda: image("JPEG"), "jpeg"),
        # Phones append a short video after the picture's end.
        ("kustiba.jpg", lambda: image("JPEG") + b"\x00\x00\x00\x18ftypmp42" * 100, "jpeg"),
        ("foto.png", lambda: image("PNG"), "png"),
    ],
)
def test_whole_documents_pass_the_whole_format_checks(name, content, kind):
    assert validate_upload(SimpleUploadedFile(name, content())) == kind


@pytest.mark.parametrize(
    "name,content",
    [
        ("mentori.csv", lambda: (HEADING + "Jana;Kļava\n").encode()),
        ("mentori.csv", lambda: (HEADING + "Jana;Kļava\n").encode("cp1257")),
        ("mentori.xlsx", workbook),
    ],
)
def test_real_spreadsheets_pass(name, content):
    assert validate_upload(SimpleUploadedFile(name, content()), SPREADSHEET_KINDS) in (
        "csv",
        "xlsx",
    )


@pytest.mark.parametrize(
    "name,content,code",
    [
        ("mentori.csv", lambda: b"<html><body><h1>Mentori</h1></body></html>", "file_markup"),
        ("mentori.xlsx", lambda: workbook(extra_megabytes=30), "archive_too_large"),
        ("mentori.csv", lambda: "Jana;Kļava;jana@example.lv\n".encode(), "import_heading"),
    ],
    ids=["html-as-csv", "xlsx-inflating-to-30-mb", "csv-without-its-heading"],
)
def test_a_hostile_spreadsheet_gets_its_message_at_the_field_and_stores_nothing(
    cast, client_for, name, content, code
):
    response = client_for(cast.staff).post(
        "/mentori/imports/", {"file": SimpleUploadedFile(name, content())}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["file"]] == [code]
    assert f'id="{form["file"].auto_id}_error"' in response.content.decode()
    assert not RegistryImport.objects.exists()
    assert not RegistryImport.history.exists()


def test_a_mentor_uploading_a_zip_bomb_as_the_timesheet_scan_gets_a_message(
    cast, client_for, active_plan
):
    client = client_for(cast.mentor_user)
    file = SimpleUploadedFile("grafiks.edoc", zip_bomb())
    tracemalloc.start()
    try:
        response = client.post(f"/dienasgramata/{active_plan.pk}/2026-11/grafiks/", {"file": file})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 302
    assert peak < 20 * MB
    response = client.get(response["Location"])
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not DiaryMonth.objects.exclude(timesheet_scan="").exists()

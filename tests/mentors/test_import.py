import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from mentors.models import Mentor, RegistryImport
from skola_kopiena.accounts.models import Role

HEADING = "vārds;uzvārds;e-pasts;tālrunis;apliecības numurs;reģions;pašvaldības\n"


def csv_upload(body, name="mentori.csv"):
    return SimpleUploadedFile(name, (HEADING + body).encode("utf-8"), content_type="text/csv")


def upload(client, file):
    return client.post("/mentori/imports/", {"file": file})


def test_preview_names_every_bad_row_and_why_and_imports_nothing(cast, client_for):
    body = (
        'Jana;Kļava;jana@example.lv;+371 2111 1111;SK-9001;Rīgas plānošanas reģions;"Rīga; Jūrmala"\n'
        "Pēteris;Bez;peteris@example.lv;+371 2111 1112;;riga;Rīga\n"
        "Ilze;Nezināma;ilze@example.lv;+371 2111 1113;SK-9003;riga;Atlantīda\n"
        f"Anna;Dubulta;{cast.mentor.email};+371 2111 1114;SK-9004;riga;Rīga\n"
        "Jana;Otrreiz;JANA@example.lv;+371 2111 1115;SK-9005;riga;Rīga\n"
    )
    client = client_for(cast.staff)
    response = upload(client, csv_upload(body))
    imp = RegistryImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/mentori/imports/{imp.pk}/"
    problems = {e["row"]: e["message"] for e in imp.errors}
    assert set(problems) == {3, 4, 5, 6}
    assert "apliecības numurs" in problems[3]
    assert "Atlantīda" in problems[4]
    assert cast.mentor.email in problems[5]
    assert "2" in problems[6]  # repeats row 2
    page = client.get(f"/mentori/imports/{imp.pk}/").content.decode()
    assert "Atlantīda" in page
    assert Mentor.objects.count() == 2  # nothing imported by a preview


def test_a_file_with_errors_cannot_be_imported_even_by_a_crafted_post(cast, client_for):
    client = client_for(cast.staff)
    upload(client, csv_upload("Pēteris;Bez;peteris@example.lv;+371 2111 1112;;riga;Rīga\n"))
    imp = RegistryImport.objects.get()
    client.post(f"/mentori/imports/{imp.pk}/")
    imp.refresh_from_db()
    assert imp.status == RegistryImport.Status.PREVIEW
    assert not Mentor.objects.filter(email="peteris@example.lv").exists()


def test_a_clean_file_imports_all_mentors_with_logins(cast, client_for):
    body = (
        'Jana;Kļava;jana@example.lv;+371 2111 1111;SK-9001;riga;"Rīga; Jūrmala"\n'
        "Uģis;Ērglis;ugis@example.lv;+371 2111 1112;SK-9002;Vidzemes plānošanas reģions;Cēsu novads\n"
    )
    client = client_for(cast.admin)
    upload(client, csv_upload(body))
    imp = RegistryImport.objects.get()
    assert imp.errors == []
    response = client.post(f"/mentori/imports/{imp.pk}/")
    assert response.status_code == 302
    jana = Mentor.objects.get(certificate_number="SK-9001")
    assert {m.name for m in jana.municipalities.all()} == {"Rīga", "Jūrmala"}
    assert jana.user.memberships.filter(role=Role.MENTOR).exists()
    assert not jana.user.has_usable_password()  # they set one with "forgot password"
    imp.refresh_from_db()
    assert imp.status == RegistryImport.Status.IMPORTED and imp.imported_count == 2
    # A second click imports nothing more.
    client.post(f"/mentori/imports/{imp.pk}/")
    assert Mentor.objects.count() == 4


def test_import_is_all_or_nothing_when_the_registry_changed_after_the_preview(cast, client_for):
    body = (
        "Jana;Kļava;jana@example.lv;+371 2111 1111;SK-9001;riga;Rīga\n"
        "Uģis;Ērglis;ugis@example.lv;+371 2111 1112;SK-9002;riga;Rīga\n"
    )
    client = client_for(cast.staff)
    upload(client, csv_upload(body))
    imp = RegistryImport.objects.get()
    # Someone adds Uģis by hand before the import is confirmed.
    from tests.factories import MentorFactory

    MentorFactory(email="ugis@example.lv", certificate_number="SK-7777")
    response = client.post(f"/mentori/imports/{imp.pk}/")
    assert response.status_code == 200
    assert "ugis@example.lv" in response.content.decode()
    assert not Mentor.objects.filter(email="jana@example.lv").exists()


def test_an_xlsx_spreadsheet_is_read_like_a_csv(cast, client_for):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Vārds", "Uzvārds", "E-pasts", "Tālrunis", "Apliecības numurs", "Reģions", "Pašvaldības"]
    )
    sheet.append(
        [
            "Jana",
            "Kļava",
            "jana@example.lv",
            "+371 2111 1111",
            "SK-9001",
            "riga",
            "Rīga; Ķekavas novads",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("mentori.xlsx", buffer.getvalue())
    upload(client_for(cast.staff), file)
    imp = RegistryImport.objects.get()
    assert imp.errors == []
    assert imp.rows[0]["email"] == "jana@example.lv"


def test_regional_staff_import_only_mentors_of_their_region(cast, client_for):
    upload(
        client_for(cast.staff),
        csv_upload("Uģis;Ērglis;ugis@example.lv;+371 2111 1112;SK-9002;vidzeme;Cēsu novads\n"),
    )
    imp = RegistryImport.objects.get()
    assert imp.errors and "Vidzemes" in imp.errors[0]["message"]


@pytest.mark.parametrize(
    "name,content",
    [
        ("mentori.pdf", b"%PDF-1.4"),
        ("mentori.xlsx", b"PK\x03\x04 broken"),
        ("mentori.csv", b"\x00\x01"),
    ],
)
def test_an_unreadable_file_gets_a_clear_error_at_the_field(cast, client_for, name, content):
    response = upload(client_for(cast.staff), SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not RegistryImport.objects.exists()


def test_missing_columns_are_named(cast, client_for):
    file = SimpleUploadedFile("mentori.csv", "vārds,uzvārds\nJana,Kļava\n".encode())
    upload(client_for(cast.staff), file)
    message = RegistryImport.objects.get().errors[0]["message"]
    assert "e-pasts" in message and "apliecības numurs" in message


def test_a_windows_1257_csv_is_read_with_its_latvian_letters(cast, client_for):
    body = "Jana;Kļava;jana@example.lv;+371 2111 1111;SK-9001;riga;Ķekavas novads\n"
    file = SimpleUploadedFile("mentori.csv", (HEADING + body).encode("cp1257"))
    upload(client_for(cast.staff), file)
    imp = RegistryImport.objects.get()
    assert imp.errors == [] and imp.rows[0]["last_name"] == "Kļava"

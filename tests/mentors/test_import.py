import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from mentors import services, tasks
from mentors.models import Mentor, RegistryImport
from skola_kopiena.accounts.models import Role
from skola_kopiena.accounts.permissions import acting_for

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


def test_missing_columns_are_named_at_the_field_and_nothing_is_stored(cast, client_for):
    file = SimpleUploadedFile("mentori.csv", "vārds,uzvārds\nJana,Kļava\n".encode())
    response = upload(client_for(cast.staff), file)
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["file"]
    assert error.code == "import_heading"
    assert "e-pasts" in error.message and "apliecības numurs" in error.message
    assert not RegistryImport.objects.exists()


def test_a_windows_1257_csv_is_read_with_its_latvian_letters(cast, client_for):
    body = "Jana;Kļava;jana@example.lv;+371 2111 1111;SK-9001;riga;Ķekavas novads\n"
    file = SimpleUploadedFile("mentori.csv", (HEADING + body).encode("cp1257"))
    upload(client_for(cast.staff), file)
    imp = RegistryImport.objects.get()
    assert imp.errors == [] and imp.rows[0]["last_name"] == "Kļava"


def mentor_rows(count, start=0):
    return "".join(
        f"Vārds{n};Uzvārds{n};m{n}@example.lv;+371 2{n:07d};SK-{n};riga;Rīga\n"
        for n in range(start, start + count)
    )


def xlsx_upload(rows, name="mentori.xlsx"):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def heading_and(body):
    return [HEADING.strip().split(";"), *(line.split(";") for line in body.splitlines())]


@pytest.mark.parametrize(
    "file",
    [
        lambda: csv_upload(mentor_rows(5001)),
        lambda: xlsx_upload(heading_and(mentor_rows(5001))),
    ],
    ids=["csv", "xlsx"],
)
def test_a_file_of_more_than_5000_mentors_is_refused_at_the_field(cast, client_for, file):
    response = upload(client_for(cast.staff), file())
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["file"]
    assert error.code == "import_too_many_rows" and "5000" in error.message
    assert not RegistryImport.objects.exists()


def test_blank_rows_do_not_count_against_the_cap(cast, client_for, monkeypatch):
    monkeypatch.setattr(services, "REGISTRY_IMPORT_MAX_ROWS", 2)
    client = client_for(cast.staff)
    upload(client, csv_upload(mentor_rows(1) + ";;;;;;\n\n" + mentor_rows(1, start=1)))
    assert RegistryImport.objects.get().total_rows == 2
    response = upload(client, csv_upload(mentor_rows(3, start=2)))
    assert response.context["form"].errors.as_data()["file"][0].code == "import_too_many_rows"


def test_an_xlsx_declaring_16384_columns_is_read_in_little_memory(cast):
    workbook = Workbook()
    sheet = workbook.active
    for row in heading_and(mentor_rows(300)):
        sheet.append(row)
    sheet.cell(row=1, column=16384, value="XFD")  # the sheet now declares A1:XFD301
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("plats.xlsx", buffer.getvalue())
    tracemalloc.start()
    try:
        registry_import = services.registry_import_preview(
            actor=cast.admin, acting=acting_for(cast.admin), upload=file
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert registry_import.errors == [] and len(registry_import.rows) == 300
    # Every row padded to 16,384 cells took 40 MB.
    assert peak < 20 * 1024 * 1024


def test_a_large_file_is_checked_in_the_background_while_its_page_shows_progress(
    cast, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    client = client_for(cast.staff)
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(client, csv_upload(mentor_rows(501)))
    imp = RegistryImport.objects.get()
    assert response["Location"] == f"/mentori/imports/{imp.pk}/"
    assert (imp.status, imp.total_rows, imp.checked_rows) == ("checking", 501, 0)
    assert imp.rows == [] and imp.errors == []
    page = client.get(f"/mentori/imports/{imp.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress max="501" value="0">' in page
    assert '<div class="actions"><button type="submit">' not in page  # nothing to import yet

    pages_while_checking = []
    parse = services.parse_registry_rows

    def parse_and_look(*args, progress, **kwargs):
        def look(checked):
            progress(checked)
            pages_while_checking.append(client.get(f"/mentori/imports/{imp.pk}/").content.decode())

        return parse(*args, progress=look, **kwargs)

    monkeypatch.setattr(services, "parse_registry_rows", parse_and_look)
    for callback in callbacks:
        callback()  # the task, run eagerly as without a broker

    assert len(pages_while_checking) == 5  # every 100 rows
    assert '<progress max="501" value="300">' in pages_while_checking[2]
    imp.refresh_from_db()
    assert (imp.status, imp.checked_rows, len(imp.rows), imp.errors) == ("preview", 501, 501, [])
    page = client.get(f"/mentori/imports/{imp.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "m500@example.lv" in page
    assert '<div class="actions"><button type="submit">' in page


def test_the_background_check_keeps_the_region_limit_of_who_uploaded(
    cast, client_for, django_capture_on_commit_callbacks
):
    body = (
        mentor_rows(500)
        + "Uģis;Ērglis;ugis@example.lv;+371 2111 1112;SK-9002;vidzeme;Cēsu novads\n"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        upload(client_for(cast.staff), csv_upload(body))
    imp = RegistryImport.objects.get()
    assert imp.status == RegistryImport.Status.CHECKING
    for callback in callbacks:
        callback()
    imp.refresh_from_db()
    assert [e["row"] for e in imp.errors] == [502]
    assert "Vidzemes" in imp.errors[0]["message"]


def test_the_background_check_is_safe_to_run_twice(
    cast, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "REGISTRY_IMPORT_BACKGROUND_ROWS", 2)
    client = client_for(cast.staff)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_upload(mentor_rows(3)))
    imp = RegistryImport.objects.get()
    assert imp.status == RegistryImport.Status.PREVIEW and len(imp.rows) == 3
    versions = imp.history.count()
    tasks.check_registry_import(imp.pk, [cast.riga.pk])
    assert imp.history.count() == versions
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/mentori/imports/{imp.pk}/")  # imported in the background too
    # A late second run leaves the imported file imported.
    tasks.check_registry_import(imp.pk, [cast.riga.pk])
    imp.refresh_from_db()
    assert imp.status == RegistryImport.Status.IMPORTED and imp.imported_count == 3
    assert Mentor.objects.count() == 5


def test_a_file_still_being_checked_cannot_be_imported(
    cast, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "REGISTRY_IMPORT_BACKGROUND_ROWS", 2)
    client = client_for(cast.staff)
    with django_capture_on_commit_callbacks():
        upload(client, csv_upload(mentor_rows(3)))
    imp = RegistryImport.objects.get()
    response = client.post(f"/mentori/imports/{imp.pk}/")
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    imp.refresh_from_db()
    assert imp.status == RegistryImport.Status.CHECKING
    assert Mentor.objects.count() == 2


def _checked_large_import(client, django_capture_on_commit_callbacks, rows=501):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, csv_upload(mentor_rows(rows)))
    imp = RegistryImport.objects.get()
    assert imp.status == "preview"
    return imp


def test_a_large_file_is_imported_in_the_background_while_its_page_shows_progress(
    cast, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    # REG-1: all or nothing, without holding a request open for minutes.
    client = client_for(cast.staff)
    imp = _checked_large_import(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/mentori/imports/{imp.pk}/")
    assert response["Location"] == f"/mentori/imports/{imp.pk}/"
    imp.refresh_from_db()
    before = Mentor.objects.count()
    assert imp.status == "importing"
    page = client.get(f"/mentori/imports/{imp.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress max="501" value="0">' in page

    services.cache.set(services.registry_import_progress_key(imp), 300)
    page = client.get(f"/mentori/imports/{imp.pk}/").content.decode()
    assert '<progress max="501" value="300">' in page

    progress = []
    real_set = services.cache.set

    def set_and_note(key, value, **kwargs):
        progress.append(value)
        real_set(key, value, **kwargs)

    monkeypatch.setattr(services.cache, "set", set_and_note)
    for callback in callbacks:
        callback()  # the task, run eagerly as without a broker
    assert progress == [100, 200, 300, 400, 500]
    imp.refresh_from_db()
    assert (imp.status, imp.imported_count) == ("imported", 501)
    assert Mentor.objects.count() == before + 501


def test_the_background_import_is_safe_to_run_twice_and_rechecks_the_registry(
    cast, client_for, django_capture_on_commit_callbacks
):
    from tests.factories import MentorFactory

    client = client_for(cast.staff)
    imp = _checked_large_import(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(f"/mentori/imports/{imp.pk}/")
    # Meanwhile one of the file's mentors entered the registry another way.
    first = imp.rows[0]
    MentorFactory(email=first["email"])
    for callback in callbacks:
        callback()
    imp.refresh_from_db()
    assert imp.status == "preview" and first["email"] in imp.errors[0]["message"]
    assert not Mentor.objects.filter(certificate_number=imp.rows[1]["certificate_number"]).exists()
    tasks.import_registry_rows(imp.pk, cast.staff.pk)  # a second run changes nothing
    imp.refresh_from_db()
    assert imp.status == "preview"


def test_a_check_no_worker_takes_up_says_so_after_a_few_minutes(
    cast, client_for, django_capture_on_commit_callbacks
):
    # The broker's worker is down: the upload waits, and its page says why instead of
    # refreshing in silence.
    import datetime

    import time_machine
    from django.utils import timezone

    client = client_for(cast.staff)
    with django_capture_on_commit_callbacks():  # the task is queued, and never runs
        upload(client, csv_upload(mentor_rows(501)))
    imp = RegistryImport.objects.get()
    said = "iespējams, portāla fona serviss ir apturēts"
    assert said not in client.get(f"/mentori/imports/{imp.pk}/").content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert said in client.get(f"/mentori/imports/{imp.pk}/").content.decode()

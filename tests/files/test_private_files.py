import io
import zipfile
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import override_settings
from PIL import Image

from mentors.models import RegistryImport
from mentors.services import registry_import_preview
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.permissions import acting_for
from skola_kopiena.files.fields import PrivateUploadField
from skola_kopiena.files.validation import validate_upload
from tests.factories import PDF_BYTES

PDF = PDF_BYTES


def _image(kind):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, kind)
    return buffer.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")


def asice(mimetype=b"application/vnd.etsi.asic-e+zip"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        archive.writestr("META-INF/signatures0.xml", "<XAdESSignatures/>")
        archive.writestr("ligums.pdf", PDF)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("skenets.pdf", PDF, "pdf"),
        ("foto.png", PNG, "png"),
        ("foto.jpg", JPEG, "jpeg"),
        ("ligums.edoc", asice(), "asice"),
        ("ligums.asice", asice(), "asice"),
    ],
)
def test_real_pdf_images_and_e_signed_containers_are_accepted(name, content, kind):
    # ACC-2: the content decides, not the name.
    assert validate_upload(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    "name,content",
    [
        ("virus.pdf", b"MZ\x90\x00 an executable"),
        ("lapa.pdf", b"<html>hello</html>"),
        ("arhivs.edoc", asice(b"application/zip")),
        ("teksts.png", b"just text"),
    ],
)
def test_files_whose_content_is_not_allowed_are_refused_with_a_clear_message(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert error.value.code == "file_type"
    assert ".edoc" in error.value.messages[0]


def test_files_over_10_mb_and_empty_files_are_refused():
    big = SimpleUploadedFile("liels.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        validate_upload(big)
    assert error.value.code == "file_too_large"
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("tukss.pdf", b""))
    assert error.value.code == "file_empty"


class DocumentForm(forms.Form):
    title = forms.CharField()
    document = PrivateUploadField()


def test_a_bad_file_gets_an_error_at_its_field_and_the_rest_of_the_form_is_kept():
    form = DocumentForm(
        {"title": "Vecāka iesniegums"}, {"document": SimpleUploadedFile("a.pdf", b"nope")}
    )
    assert not form.is_valid()
    assert list(form.errors) == ["document"]
    rendered = Template("{{ form.title }}").render(Context({"form": form}))
    assert 'value="Vecāka iesniegums"' in rendered


@pytest.fixture
def stored_import(cast):
    upload = SimpleUploadedFile(
        "Mentoru saraksts.csv",
        "vārds,uzvārds,e-pasts,tālrunis,apliecības numurs,reģions,pašvaldības\n"
        "Jana,Kļava,jana@example.lv,+371 2111 1111,SK-9001,riga,Rīga\n".encode(),
    )
    return registry_import_preview(actor=cast.staff, acting=acting_for(cast.staff), upload=upload)


def test_uploads_are_stored_privately_under_a_generated_name(stored_import):
    # ACC-2: outside static/, never under the uploader's name.
    path = Path(stored_import.source_file.path)
    assert path.suffix == ".csv" and path.exists()
    assert path.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert "Mentoru" not in path.name and "saraksts" not in path.name
    assert not path.is_relative_to(settings.BASE_DIR / "static")
    with pytest.raises(NotImplementedError):
        stored_import.source_file.storage.url(stored_import.source_file.name)
    # Links to the file lead to the permission-checked view, also in the admin.
    assert stored_import.source_file.url == (
        f"/faili/mentors/registryimport/{stored_import.pk}/source_file/"
    )


def test_download_is_permission_checked_logged_and_never_cached(cast, client_for, stored_import):
    # ACC-2
    url = f"/faili/mentors/registryimport/{stored_import.pk}/source_file/"
    response = client_for(cast.staff).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "Mentoru saraksts.csv" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id) == (cast.staff, "download", str(stored_import.pk))
    for user in (cast.mentor_user, cast.preparer, cast.approver, cast.other_staff, cast.outsider):
        assert client_for(user).get(url).status_code == 404
    assert AccessLog.objects.count() == 1


def test_only_a_checked_scan_or_image_is_shown_in_the_browser_when_asked(
    cast, client_for, stored_import
):
    # A spreadsheet stays a download even when asked to be shown.
    url = f"/faili/mentors/registryimport/{stored_import.pk}/source_file/?skatit=1"
    assert client_for(cast.staff).get(url)["Content-Disposition"].startswith("attachment")


def test_there_is_no_public_address_for_uploads(cast, client_for, stored_import):
    # ACC-2: no MEDIA_URL route; guessing a path gets nothing.
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"
    name = stored_import.source_file.name
    for guess in (f"/media/{name}", f"/{name}", f"/static/{name}"):
        assert client_for(cast.admin).get(guess).status_code == 404


def test_the_model_field_checks_content_even_without_a_form(cast):
    # Admin actions, commands and tasks cannot skip the check: a PDF is no spreadsheet.
    registry_import = RegistryImport(original_name="x", uploaded_by=cast.staff)
    with pytest.raises(ValidationError):
        registry_import.source_file.save("x.csv", SimpleUploadedFile("x.csv", PDF), save=True)
    with override_settings(FILE_UPLOAD_MAX_BYTES=10), pytest.raises(ValidationError):
        registry_import.source_file.save("x.csv", SimpleUploadedFile("x.csv", b"a,b,c\n" * 5))


def test_every_private_file_has_a_rule_for_who_downloads_it():
    # ACC-2: a file field without a rule would be refused to all; a new one must get its rule
    # in its app's policies.
    from django.apps import apps

    from skola_kopiena.accounts.permissions import DOWNLOAD_RULES
    from skola_kopiena.files.fields import PrivateFileField

    fields = {
        (model._meta.label_lower, field.name)
        for model in apps.get_models()
        if not model._meta.model_name.startswith("historical")
        for field in model._meta.fields
        if isinstance(field, PrivateFileField)
    }
    assert fields and fields == set(DOWNLOAD_RULES)

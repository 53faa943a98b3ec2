import uuid
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validation import DOCUMENT_KINDS, KINDS, SPREADSHEET_KINDS, validate_upload

HELP_TEXTS = {
    DOCUMENT_KINDS: _("PDF, JPEG, PNG or an e-signed .edoc file, at most 10 MB."),
    SPREADSHEET_KINDS: _("CSV or XLSX, at most 10 MB."),
}


class PrivateStorage(FileSystemStorage):
    """Files with no public address (ACC-2): they leave only through `files:download`."""

    def url(self, name):
        raise NotImplementedError("Private files have no URL; link to files:download instead.")


def private_storage():
    # A callable, so that tests and deployments choose the folder at run time.
    return PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT)


def download_url(obj, field_name):
    meta = obj._meta
    return reverse("files:download", args=[meta.app_label, meta.model_name, obj.pk, field_name])


def generated_name(instance, filename):
    """Never keep the uploader's file name on disk: a random name in a dated folder."""
    extension = PurePosixPath(filename).suffix
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class PrivateUploadField(forms.FileField):
    """The form side: checks the real content and the size before anything is saved."""

    default_error_messages = {
        "required": _("Choose a file to upload."),
        "empty": _("The file is empty."),
    }

    def __init__(self, *args, kinds=DOCUMENT_KINDS, **kwargs):
        self.kinds = kinds
        kwargs.setdefault("help_text", HELP_TEXTS.get(kinds, ""))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault(
            "accept",
            ",".join(f".{KINDS[k][0]}" for k in kinds)
            + (",.jpeg,.asice" if "pdf" in kinds else ""),
        )

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        if cleaned and cleaned is not initial and hasattr(cleaned, "size"):
            cleaned.upload_kind = validate_upload(cleaned, self.kinds)
        return cleaned


class PrivateFieldFile(FieldFile):
    @property
    def url(self):
        """The permission-checked download view: the only address a private file has."""
        self._require_file()
        return download_url(self.instance, self.field.name)

    def save(self, name, content, save=True):
        # Checked here too, so that admin actions, commands and tasks cannot skip the check.
        kind = getattr(content, "upload_kind", None) or validate_upload(content, self.field.kinds)
        super().save(f"upload.{KINDS[kind][0]}", content, save)


class PrivateFileField(models.FileField):
    """The one upload field of the portal: private storage, generated names, checked content."""

    attr_class = PrivateFieldFile

    def __init__(self, *args, kinds=DOCUMENT_KINDS, **kwargs):
        self.kinds = tuple(kinds)
        kwargs.setdefault("storage", private_storage)
        kwargs.setdefault("upload_to", generated_name)
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.kinds != DOCUMENT_KINDS:
            kwargs["kinds"] = self.kinds
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": PrivateUploadField, "kinds": self.kinds, **kwargs}
        )

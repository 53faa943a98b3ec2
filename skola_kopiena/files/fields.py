import uuid

from django import forms
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validation import KINDS, validate_upload


def private_storage():
    # A callable, so that tests (and deployments) choose the folder at run time. No base_url:
    # nothing in it has a public address (ACC-2).
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def generated_name(instance, filename):
    """Never keep the uploader's file name on disk: a random name in a dated folder."""
    kind = getattr(instance, "_upload_kind", None)
    extension = KINDS[kind][0] if kind else "bin"
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PrivateUploadField(forms.FileField):
    """The form side: checks the real content and the size before anything is saved."""

    default_error_messages = {
        "required": _("Choose a file to upload."),
        "empty": _("The file is empty."),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text", _("PDF, JPEG, PNG or an e-signed .edoc file, at most 10 MB.")
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault(
            "accept", ".pdf,.jpg,.jpeg,.png,.edoc,.asice,application/pdf,image/jpeg,image/png"
        )

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        if cleaned and hasattr(cleaned, "size") and cleaned is not initial:
            cleaned.upload_kind = validate_upload(cleaned)
        return cleaned


class PrivateFileField(models.FileField):
    """The one upload field type of the portal: private storage, generated names, checked content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("storage", private_storage)
        kwargs.setdefault("upload_to", generated_name)
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            upload = file.file
            kind = getattr(upload, "upload_kind", None) or validate_upload(upload)
            model_instance._upload_kind = kind
        return super().pre_save(model_instance, add)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PrivateUploadField, **kwargs})

import mimetypes
from pathlib import PurePosixPath

from django.apps import apps
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from skola_kopiena.accounts import permissions
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.services import access_log_record


@require_GET
def download(request, app_label, model_name, pk, field_name):
    """ACC-2: the only way a private file leaves the server; the permission module decides."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None or not permissions.can_download(request.acting, obj, field_name):
        raise Http404
    stored = getattr(obj, field_name)
    if not stored:
        raise Http404
    access_log_record(acting=request.acting, action=AccessLog.Action.DOWNLOAD, obj=obj)
    original = getattr(obj, "original_name", "") or PurePosixPath(stored.name).name
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=original, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response

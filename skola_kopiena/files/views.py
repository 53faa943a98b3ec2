import mimetypes
from pathlib import PurePosixPath

from django.apps import apps
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from skola_kopiena.accounts import permissions
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.services import access_log_record

# Shown in the browser's tab when asked (`?skatit=1`: a scan to read beside the diary): only
# the kinds whose content the upload check has verified (skola_kopiena/files/validation.py)
# and that a browser shows without running anything of the file's own.
SHOWN_IN_THE_BROWSER = {"application/pdf", "image/jpeg", "image/png"}


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
    name = PurePosixPath(stored.name)
    if hasattr(obj, "download_name"):
        original = obj.download_name(field_name) + name.suffix
    else:
        original = getattr(obj, "original_name", "") or name.name
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    shown = request.GET.get("skatit") == "1" and content_type in SHOWN_IN_THE_BROWSER
    response = FileResponse(
        stored.open("rb"), as_attachment=not shown, filename=original, content_type=content_type
    )
    if shown:
        # The browser's PDF viewer embeds the file in the page it makes for it: the portal's
        # "object-src 'none'" would leave that page blank.
        response._csp_replace = {"object-src": ["'self'"]}
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response

from . import permissions


def roles(request):
    return {"acting": getattr(request, "acting", permissions.NOBODY)}

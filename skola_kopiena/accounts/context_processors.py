from django.conf import settings

from . import permissions
from .middleware import session_seconds_left


def roles(request):
    return {"acting": getattr(request, "acting", permissions.NOBODY)}


def session_timer(request):
    """For the idle warning (static/js/drafts.js): the seconds the session lasts without
    another request, and the idle age that "Stay logged in" starts again."""
    timer = {"idle_minutes": settings.SESSION_COOKIE_AGE // 60}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        timer |= {"seconds": session_seconds_left(request), "idle": settings.SESSION_COOKIE_AGE}
    return {"session_timer": timer}

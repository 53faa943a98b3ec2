import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import permissions
from .services import access_log_auditor_page

ACTIVE_ROLE_SESSION_KEY = "active_membership_id"
LOGGED_IN_AT_SESSION_KEY = "logged_in_at"
# The login page's flag for "your session had ended": `beigusies` after a page was asked for,
# `nesaglabats` after a form was sent (a POST), which the redirect to the login page loses.
SESSION_ENDED_PARAM = "sesija"
SESSION_ENDED = "beigusies"
SESSION_ENDED_UNSAVED = "nesaglabats"


def session_seconds_left(request):
    """How long the logged-in session lasts without another request: the idle age
    (SESSION_COOKIE_AGE, restarted by every request), cut short by SESSION_ABSOLUTE_AGE."""
    idle = request.session.get_expiry_age()
    logged_in_at = request.session.get(LOGGED_IN_AT_SESSION_KEY)
    if logged_in_at is None:
        return idle
    absolute = logged_in_at + settings.SESSION_ABSOLUTE_AGE - time.time()
    return max(0, min(idle, int(absolute)))


def flag_session_ended(request, response):
    """Flags a redirect to the login page, so that the login page says the session had ended,
    and for a POST that nothing was saved yet."""
    unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
    flag = SESSION_ENDED_UNSAVED if unsafe else SESSION_ENDED
    separator = "&" if "?" in response["Location"] else "?"
    response["Location"] += f"{separator}{SESSION_ENDED_PARAM}={flag}"
    return response


class SessionEndedLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, which also tells the login page when the browser's
    session had ended (its cookie names a session that expired after SESSION_COOKIE_AGE idle
    seconds, or no longer exists), rather than the person never having logged in."""

    def handle_no_permission(self, request, view_func):
        response = super().handle_no_permission(request, view_func)
        # Asking for request.user loaded the session; a session store that finds no live
        # session under the cookie's key forgets the key.
        had_session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if had_session and request.session.session_key is None:
            flag_session_ended(request, response)
        return response


class ActiveRoleMiddleware:
    """Puts the role the user acts as on `request.acting` for views and templates."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            request.acting = permissions.acting_for(
                request.user, request.session.get(ACTIVE_ROLE_SESSION_KEY)
            )
        else:
            request.acting = permissions.NOBODY
        return self.get_response(request)


class AuditorReadLogMiddleware:
    """ACC-1: every page an auditor reads is in the access log (after the view, so that only
    what was shown to them is logged)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        acting = getattr(request, "acting", permissions.NOBODY)
        if acting.is_auditor and request.method in ("GET", "HEAD") and response.status_code == 200:
            access_log_auditor_page(acting=acting, request=request)
        return response


class AbsoluteSessionAgeMiddleware:
    """A session ends SESSION_ABSOLUTE_AGE seconds after login, however active it is.

    SESSION_COOKIE_AGE ends an idle session; this ends one kept alive by use, such as a shared
    computer left logged in at school or a stolen cookie. The clock starts on the first request
    the session is seen logged in: login keeps the anonymous session's data but that never holds
    the key, and logout empties the session, so the next login starts a new clock. It comes
    after MessageMiddleware, which it needs to say why the person must log in again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            logged_in_at = request.session.setdefault(LOGGED_IN_AT_SESSION_KEY, now)
            if now - logged_in_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                messages.info(
                    request,
                    _(
                        "For safety, a login lasts a limited time even while you work, and "
                        "yours has ended. Please log in again."
                    ),
                )
                return flag_session_ended(request, redirect_to_login(request.get_full_path()))
        return self.get_response(request)


class StaffMfaMiddleware:
    """With REQUIRE_STAFF_MFA on, staff, auditors and administrators set up TOTP before
    anything else."""

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_STAFF_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and request.acting.needs_second_factor
            and not self._has_totp(request.user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _has_totp(user):
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class NoStoreMiddleware:
    """Pages for logged-in users hold personal data: browsers and proxies must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


class LatvianFirstLocaleMiddleware(LocaleMiddleware):
    """Latvian unless the person chose English with the switch: the browser's language list
    does not decide, so a borrowed English-language laptop still shows the portal in Latvian."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

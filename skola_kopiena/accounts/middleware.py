import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import permissions

ACTIVE_ROLE_SESSION_KEY = "active_membership_id"
LOGGED_IN_AT_SESSION_KEY = "logged_in_at"


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
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class StaffMfaMiddleware:
    """With REQUIRE_STAFF_MFA on, staff and administrators set up TOTP before anything else."""

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.REQUIRE_STAFF_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
            and permissions.requires_mfa(request.acting)
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

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from . import permissions

ACTIVE_ROLE_SESSION_KEY = "active_membership_id"


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

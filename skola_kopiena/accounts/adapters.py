from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by project staff: there is no public sign-up."""

    error_messages = DefaultAccountAdapter.error_messages | {
        # allauth's "try again later" leaves a locked-out person guessing; the 15 minutes are
        # the window of ACCOUNT_RATE_LIMITS["login_failed"].
        "too_many_login_attempts": _(
            "Too many failed login attempts. Try again in 15 minutes. If you have forgotten "
            "your password, set a new one with “Forgot your password?”."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def _get_login_attempts_cache_key(self, request, **credentials):
        # Failed logins count per account and address together, so that one person's typos
        # lock out neither a whole school behind one router nor the same person elsewhere.
        # allauth's maintainer suggests this override (django-allauth#3584); the method is
        # private, so tests/accounts/test_login.py pins the behaviour across upgrades.
        account_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account_key}:{self.get_client_ip(request)}"

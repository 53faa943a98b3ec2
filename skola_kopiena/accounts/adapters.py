from allauth.account.adapter import DefaultAccountAdapter


class NoSignupAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by project staff: there is no public sign-up."""

    def is_open_for_signup(self, request):
        return False

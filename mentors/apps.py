from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorsConfig(AppConfig):
    name = "mentors"
    verbose_name = _("Mentor registry")

    def ready(self):
        # Registers this app's admin rules and private-file rules with the permission API.
        from . import policies  # noqa: F401

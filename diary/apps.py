from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = _("Mentor diary")

    def ready(self):
        # Registers this app's admin rules and private-file rules with the permission API.
        from . import policies  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    name = "overview"
    verbose_name = _("Overview")

    def ready(self):
        # Registers who may download a report export (ACC-2) with the permission API.
        from . import policies  # noqa: F401

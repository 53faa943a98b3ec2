from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IapConfig(AppConfig):
    name = "iap"
    verbose_name = _("Support plans (IAP)")

    def ready(self):
        # Registers this app's admin rules and private-file rules with the permission API.
        from . import policies  # noqa: F401

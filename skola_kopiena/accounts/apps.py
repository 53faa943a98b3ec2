from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "skola_kopiena.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from skola_kopiena.collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="latvian_collation")

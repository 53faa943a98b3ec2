from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`manage.py backup` and `manage.py restore`: the database and the private files together.

    It sits above every app and imports none of them: it finds file columns through the app
    registry.
    """

    name = "skola_kopiena.backups"
    label = "backups"
    verbose_name = "Backups"

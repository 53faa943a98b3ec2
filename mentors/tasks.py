"""Background work on the registry. Each task takes ids, is queued after commit and is safe to
run twice: the service it calls leaves work already done as it is."""

from celery import shared_task


@shared_task
def check_registry_import(registry_import_id, region_limit_ids):
    """A large spreadsheet is checked here, not in the request; its page shows progress."""
    from .services import registry_import_check

    registry_import_check(registry_import_id=registry_import_id, region_limit_ids=region_limit_ids)


@shared_task
def import_registry_rows(registry_import_id, actor_id):
    """A large file's confirmed rows enter the registry here, all or nothing, once."""
    from skola_kopiena.accounts.models import User

    from .services import registry_import_rows

    registry_import_rows(actor=User.objects.get(pk=actor_id), registry_import_id=registry_import_id)

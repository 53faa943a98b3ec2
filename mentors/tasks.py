"""Background work on the registry. Each task takes ids, is queued after commit and is safe to
run twice: the service it calls leaves work already done as it is."""

from celery import shared_task


@shared_task
def check_registry_import(registry_import_id, region_limit_ids):
    """A large spreadsheet is checked here, not in the request; its page shows progress."""
    from .services import registry_import_check

    registry_import_check(registry_import_id=registry_import_id, region_limit_ids=region_limit_ids)

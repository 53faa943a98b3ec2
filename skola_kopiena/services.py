"""What every service shares: one transaction, and the actor recorded in history."""

import functools
from contextlib import contextmanager
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.models import HistoricalRecords


@contextmanager
def history_user(actor):
    """simple-history names `actor` as the author of the changes made inside, also outside a
    web request (commands, Celery tasks), where its middleware does not run."""
    context = HistoricalRecords.context
    if getattr(context, "request", None) is not None:
        yield
        return
    context.request = SimpleNamespace(user=actor)
    try:
        yield
    finally:
        del context.request


def service(func):
    """A write that carries a rule: keyword-only `actor`, one transaction, audited."""

    @functools.wraps(func)
    def wrapper(*args, actor, **kwargs):
        with transaction.atomic(), history_user(actor):
            return func(*args, actor=actor, **kwargs)

    return wrapper


def field_error(field, message, code):
    """A rule's refusal shown at `field`, keeping the rule ID as the message code."""
    return ValidationError({field: ValidationError(message, code=code)})

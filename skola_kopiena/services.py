"""What every service shares: one transaction, and the actor recorded in history."""

import functools
from contextlib import contextmanager
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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


def constraint_name(error):
    """The name of the database constraint an IntegrityError broke (PostgreSQL), else None."""
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)


@contextmanager
def refused_by_constraint(name, refusal):
    """Turn the breach of database constraint `name` inside the block into `refusal()`, the
    same ValidationError the service's own check raises: two requests racing past the check
    get the same message, never a crash page. The savepoint keeps the service's transaction
    usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if constraint_name(error) != name:
            raise
        raise refusal() from error


def field_error(field, message, code):
    """A rule's refusal shown at `field`, keeping the rule ID as the message code."""
    return ValidationError({field: ValidationError(message, code=code)})

"""Writes of pay (PAY): the rates, and closing an employer's month for payroll."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from skola_kopiena.schools.models import Institution
from skola_kopiena.services import field_error, refused_by_constraint, service

from . import selectors, tasks
from .models import PayrollExport, PayrollLine, PayrollRun, Rate

# PAY-2 in the database (PostgreSQL): payroll/migrations/0002_rates_never_overlap.py.
OVERLAP_CONSTRAINT = "payroll_rate_no_overlap"


@service
def rate_save(*, actor, rate):
    """PAY-2: add or correct a rate; its period may not overlap another's."""
    rate.full_clean()
    _require_paid_terms_kept(rate)
    # Two rates saved at once, each past the other's check, get the same refusal: by now
    # the other one is visible to the check.
    with refused_by_constraint(OVERLAP_CONSTRAINT, rate.overlap_error):
        rate.save()
    return rate


def _require_paid_terms_kept(rate):
    """PAY-6: a closed run never changes, so a rate it was paid at keeps its amount, parts
    and start; it may still be ended, but not before the last month paid at it."""
    if rate.pk is None:
        return
    last_paid = PayrollLine.objects.filter(rate_id=rate.pk).aggregate(last=Max("month"))["last"]
    if last_paid is None:
        return
    stored = Rate.objects.get(pk=rate.pk)
    if any(getattr(stored, name) != getattr(rate, name) for name in PAID_TERMS):
        raise field_error(
            "amount",
            _(
                "Closed payrolls were paid at this rate, so it can no longer be changed: "
                "end it and add a new rate from the day the change applies."
            ),
            "PAY-6",
        )
    if rate.valid_to is not None and rate.valid_to < last_paid:
        raise field_error(
            "valid_to",
            _("The payroll of %(month)s was paid at this rate: it ends on %(day)s at the earliest.")
            % {"month": date_format(last_paid, "F Y"), "day": date_format(last_paid)},
            "PAY-6",
        )


PAID_TERMS = ("valid_from", "amount", "salary", "holiday_pay", "social_contributions")


@dataclass
class Closing:
    """The outcome of closing one employer's month: its run, and whether this call closed
    it (False: it had been closed before, and nothing changed)."""

    run: PayrollRun
    closed_now: bool


@service
def payroll_close(*, actor, employers, month):
    """PAY-3, PAY-6: close `month` for payroll for each of `employers`: their approved hours
    not yet paid are frozen as the lines of a run, once. A month closed before stays as it
    was. Every employer is closed in a handful of queries, whatever their number."""
    if not selectors.is_over(month):
        # PAY-1: pay is computed for a month that is over.
        raise ValidationError(
            _("%(month)s is not over yet: it is closed for payroll from %(day)s on.")
            % {
                "month": date_format(month, "F Y"),
                "day": date_format(selectors.next_month_start(month)),
            },
            code="PAY-1",
        )
    # Closing an employer's months one at a time keeps a correction from being paid twice.
    ids = list(
        Institution.objects.select_for_update()
        .filter(pk__in=[e.pk for e in employers])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    closed_before = {
        run.employer_id: run
        for run in PayrollRun.objects.filter(employer_id__in=ids, month=month).order_by()
    }
    to_close = [pk for pk in ids if pk not in closed_before]
    lines = selectors.owed_lines(to_close, month)
    without_rate = next((line for line in lines if line.rate is None), None)
    if without_rate is not None:
        raise ValidationError(
            _(
                "No rate is in force on %(day)s: the national team adds it before the month "
                "can be closed."
            )
            % {"day": date_format(without_rate.month)},
            code="PAY-2",
        )
    now = timezone.now()
    runs = {
        pk: PayrollRun(
            employer_id=pk,
            month=month,
            closed_at=now,
            closed_by=actor,
            hours=0,
            amount=Decimal("0.00"),
        )
        for pk in to_close
    }
    for line in lines:
        runs[line.employer_id].hours += line.hours
        runs[line.employer_id].amount += line.amount
    bulk_create_with_history(list(runs.values()), PayrollRun, default_user=actor)
    bulk_create_with_history(
        [
            PayrollLine(
                run=runs[line.employer_id],
                diary_month_id=line.diary_month_id,
                month=line.month,
                plan_id=line.plan_id,
                mentor_id=line.mentor_id,
                mentor_name=line.mentor_name,
                certificate_number=line.certificate_number,
                contract_id=line.contract_id,
                contract_label=line.contract_label,
                hours=line.hours,
                rate=line.rate,
                rate_amount=line.rate.amount,
                amount=line.amount,
            )
            for line in lines
        ],
        PayrollLine,
        default_user=actor,
    )
    closings = [Closing(run, False) for run in closed_before.values()]
    return closings + [Closing(run, True) for run in runs.values()]


@service
def payroll_export_request(*, actor, acting, month, file_format, employer=None, region=None):
    """A spreadsheet of the closed runs of one employer, a region or the country, made by a
    task after commit; its page shows the progress."""
    export = PayrollExport.objects.create(
        requested_by=actor,
        membership=acting.membership,
        month=month,
        file_format=file_format,
        employer=employer,
        region=region,
    )
    transaction.on_commit(lambda: tasks.build_export.delay(export.pk))
    return export

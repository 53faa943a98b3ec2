"""A mentor's autumn under one plan: meetings in October and November, a rate, and helpers
to walk a month to its approval through the services."""

import datetime

import pytest

from diary import services as diary_services
from payroll import services
from payroll.models import Rate
from tests.factories import (
    advance_plan,
    confirm_month,
    make_learner,
    make_plan,
    pdf_upload,
)
from timesheets import services as approval_services

D = datetime.date
T = datetime.time
SEPTEMBER, OCTOBER, NOVEMBER = D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)
RATE = "14.20"


@pytest.fixture
def rate(cast):
    return services.rate_save(
        actor=cast.admin,
        rate=Rate(valid_from=D(2026, 1, 1), amount=RATE, legal_basis="Metodika, 01.01.2026"),
    )


@pytest.fixture
def autumn_plan(cast):
    """A plan of the school's learner from 1 September, the mentor employed by the school."""
    learner = make_learner(cast.preparer, cast.school, first_name="Laura", last_name="Ozola")
    plan = make_plan(cast.preparer, learner, start_date=SEPTEMBER, monthly_hours=12)
    return advance_plan(
        plan, preparer=cast.preparer, mentor=cast.mentor, to="approved", approver=cast.approver
    )


@pytest.fixture
def held(cast):
    """Log a held meeting (with its result) through the diary service."""

    def make(plan, day, start, end, **fields):
        values = {"place": "Bibliotēka", "topic": "Mācības", "result": "Izdevās"} | fields
        return diary_services.entry_create(
            actor=plan.mentor.user,
            plan=plan,
            date=day,
            start_time=start,
            end_time=end,
            **values,
        )

    return make


def scan(plan, month):
    return diary_services.month_upload_scan(
        actor=plan.mentor.user, plan=plan, month=month, file=pdf_upload("grafiks.pdf")
    )


def approve(plan, month, approver):
    """The mentor confirms (with the scan) and the employer approves `month`."""
    scan(plan, month)
    diary_month = confirm_month(plan, month)
    return approval_services.month_approve(actor=approver, diary_month=diary_month)

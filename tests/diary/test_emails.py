"""What the diary's emails say."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail

from diary import services
from tests.factories import pdf_upload

NOVEMBER = datetime.date(2026, 11, 1)
# DIA-7: November is confirmed on its last day.
NOVEMBER_30 = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=ZoneInfo("Europe/Riga"))
# The sentence of a month with hours, in Latvian.
SCAN_ATTACHED = "Mēnesim ir pievienota parakstītā grafika skenētā kopija"


def _confirm_november(plan, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(NOVEMBER_30, tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return services.month_confirm(actor=plan.mentor.user, plan=plan, month=NOVEMBER)


def test_the_approver_hears_of_a_months_hours_and_its_scan(
    cast, active_plan, meet, django_capture_on_commit_callbacks
):
    # APR-1, TS-3
    meet(
        active_plan,
        datetime.date(2026, 11, 25),
        datetime.time(7, 0),
        datetime.time(9, 0),
        result="Iepazināmies",
    )
    services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload("grafiks.pdf")
    )
    _confirm_november(active_plan, django_capture_on_commit_callbacks)
    (email,) = mail.outbox
    assert SCAN_ATTACHED in email.body


def test_the_email_of_a_month_without_meetings_mentions_no_scan(
    cast, active_plan, django_capture_on_commit_callbacks
):
    # DIA-8: a month without meetings is reported with 0 hours and needs no timesheet scan.
    month = _confirm_november(active_plan, django_capture_on_commit_callbacks)
    assert month.hours == 0 and not month.timesheet_scan
    (email,) = mail.outbox
    assert SCAN_ATTACHED not in email.body and "attached" not in email.body
    assert str(cast.mentor) in email.body

"""The month-end reminders (DIA-3, DIA-7, TS-3, APR-2): on Latvian working days, once each."""

import pytest
from django.core import mail

from payroll import tasks
from skola_kopiena.celery import app
from skola_kopiena.notifications.models import SentEmail
from skola_kopiena.schools.calendar import first_working_day_of_month, nth_working_day
from tests.factories import on

from .conftest import NOVEMBER, D, T, scan

CANARY = "KANĀRIJPUTNS-4410"


def run_on(day):
    """The daily task, run twice on `day` as a restarted worker or a second beat would."""
    with on(day):
        first = tasks.send_reminders()
        second = tasks.send_reminders()
    assert second == 0
    return first


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_working_days_follow_latvian_holidays_and_moved_saturdays():
    # 1 January is a holiday, 2 January 2026 a day off moved from Saturday 17 January.
    assert first_working_day_of_month(D(2026, 1, 20)) == D(2026, 1, 5)
    assert nth_working_day(D(2026, 1, 16), 1) == D(2026, 1, 17)  # a working Saturday
    assert first_working_day_of_month(D(2026, 12, 15)) == D(2026, 12, 1)
    # Līgo and Jāņi, after a Monday off moved from Saturday 27 June.
    assert nth_working_day(D(2026, 6, 22), 1) == D(2026, 6, 25)
    assert nth_working_day(D(2026, 6, 22), -3) == D(2026, 6, 17)


def test_the_reminders_run_daily_at_a_fixed_time_in_riga():
    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"].startswith("payroll.")]
    assert entry["task"] == "payroll.tasks.send_reminders"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {30})
    assert app.conf.timezone == "Europe/Riga"


def test_mentors_without_a_planned_meeting_are_reminded_on_the_first_working_day(
    cast, active_plan, second_active_plan, meet
):
    # DIA-3: at the start of each month the mentor enters the month's planned meetings.
    meet(second_active_plan, D(2026, 12, 3), T(15, 0), T(16, 20))
    assert run_on(D(2026, 11, 30)) == 0  # not the month's first working day
    assert run_on(D(2026, 12, 1)) == 2  # and November is not confirmed yet either
    assert set(SentEmail.objects.values_list("key", flat=True)) == {
        f"reminder:plan-meetings:2026-12:{cast.mentor.pk}",
        f"reminder:confirm-month:2026-11:{cast.mentor.pk}",
    }
    (email,) = [m for m in sent_to(cast.mentor.email) if "/jauns/" in m.body]
    assert "decembr" in email.subject
    assert f"/dienasgramata/{active_plan.pk}/jauns/" in email.body
    assert "Kārlis B." in email.body  # the learner by first name and initial
    assert f"/dienasgramata/{second_active_plan.pk}/jauns/" not in email.body
    assert {e.region for e in SentEmail.objects.all()} == {cast.mentor.region}


def test_an_unconfirmed_month_is_reminded_with_what_is_missing(cast, active_plan, meet):
    # DIA-7, TS-3: per learner, the results, the scan and the confirmation; and never the
    # diary's place, result or comment (DIA-6).
    meet(
        active_plan,
        D(2026, 11, 25),
        T(7, 0),
        T(8, 20),
        place=f"Parks {CANARY}",
        result=f"Rezultāts {CANARY}",
        comment=f"Komentārs {CANARY}",
    )
    meet(active_plan, D(2026, 11, 27), T(15, 0), T(16, 20), place=f"Kafejnīca {CANARY}")
    meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 20))  # December is planned
    with on(D(2026, 12, 1)):
        assert tasks.send_reminders() == 1
    (email,) = sent_to(cast.mentor.email)
    assert f"/dienasgramata/{active_plan.pk}/2026-11/" in email.body
    assert "1 tikšanās" in email.body  # the meeting of the 27th has no result
    assert "skenēt" in email.body  # hours, but no signed timesheet scan
    assert CANARY not in email.subject + email.body


def test_a_confirmed_month_needs_no_reminder(cast, active_plan, meet):
    from tests.factories import confirm_month

    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 20), result="Labi")
    meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 20))
    scan(active_plan, NOVEMBER)
    confirm_month(active_plan, NOVEMBER)
    assert run_on(D(2026, 12, 1)) == 0


@pytest.fixture
def waiting_for_approval(cast, active_plan, meet):
    """November confirmed with the scan, waiting for the school's approver (deadline: the
    10th of December, the school's day)."""
    from tests.factories import confirm_month

    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 20), result=f"Labi {CANARY}")
    meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 20))  # December is planned
    scan(active_plan, NOVEMBER)
    return confirm_month(active_plan, NOVEMBER)


def test_approvers_are_reminded_three_working_days_before_their_deadline(
    cast, waiting_for_approval
):
    # APR-2: 10 December is a Thursday: the reminder goes on Monday 7 December, once.
    assert run_on(D(2026, 12, 4)) == 0
    assert run_on(D(2026, 12, 7)) == 1
    (email,) = sent_to(cast.approver.email)
    assert "10.12.2026" in email.subject and "/stundas/" in email.body
    assert "Anna Bērziņa" in email.body and "11.2026" in email.body
    assert CANARY not in email.body


def test_an_employers_own_deadline_moves_its_reminder(cast, waiting_for_approval):
    # APR-2: each employer sets its own day.
    cast.school.hours_approval_day = 4  # Friday 4 December: reminded on Tuesday the 1st
    cast.school.save()
    assert run_on(D(2026, 12, 1)) == 1
    assert sent_to(cast.approver.email)


def test_regional_staff_hear_of_late_employers_the_day_after_the_deadline(
    cast, waiting_for_approval
):
    # APR-2: the staff of the employer's region; another region's staff hear nothing.
    assert run_on(D(2026, 12, 10)) == 0
    assert run_on(D(2026, 12, 11)) == 1
    (email,) = sent_to(cast.staff.email)
    assert "Rīgas 1. vidusskola" in email.body and "/darba-samaksa/" in email.body
    assert not sent_to(cast.other_staff.email)
    assert CANARY not in email.body

"""SUP-1: the day before a session, each mentor signed up for it is reminded, once."""

import datetime

from django.core import mail

from skola_kopiena.celery import app
from skola_kopiena.notifications.models import SentEmail
from supervision import services, tasks

from .conftest import D, T, on, other_mentor, sign_up

CANARY = "KANĀRIJPUTNS-7731"


def run_on(moment):
    """The daily task, run twice at `moment` as a restarted worker or a second beat would."""
    with on(moment):
        first = tasks.send_reminders()
        second = tasks.send_reminders()
    assert second == 0
    return first


def test_the_reminders_run_daily_in_the_afternoon_in_riga():
    (entry,) = [e for e in app.conf.beat_schedule.values() if e["task"].startswith("supervision.")]
    assert entry["task"] == "supervision.tasks.send_reminders"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({17}, {0})
    assert app.conf.timezone == "Europe/Riga"


def test_each_signed_up_mentor_is_reminded_once_the_day_before(cast, active_plan, meet, session):
    # SUP-1: the session of Wednesday 2 December, 14:00–17:00; the reminder on Tuesday.
    meet(
        active_plan,
        D(2026, 12, 1),
        T(15, 0),
        T(16, 20),
        place=f"Parks {CANARY}",
        topic=f"Tēma {CANARY}",
    )
    sign_up(cast.mentor, session)
    second = sign_up(other_mentor(1), session)
    cancelled = other_mentor(2)
    sign_up(cancelled, session)
    services.signup_cancel(actor=cancelled.user, mentor=cancelled, session=session)
    assert run_on(datetime.datetime(2026, 11, 30, 17, 0)) == 0  # two days before
    assert run_on(datetime.datetime(2026, 12, 1, 17, 0)) == 2
    assert run_on(datetime.datetime(2026, 12, 1, 20, 0)) == 0  # again that day: nothing
    assert run_on(datetime.datetime(2026, 12, 2, 17, 0)) == 0  # the day itself
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.mentor.email, second.mentor.email])
    assert set(SentEmail.objects.values_list("key", flat=True)) == {
        f"reminder:supervision:{session.pk}:{cast.mentor.pk}",
        f"reminder:supervision:{session.pk}:{second.mentor.pk}",
    }
    assert {e.region for e in SentEmail.objects.all()} == {cast.riga}
    email = next(m for m in mail.outbox if m.to == [cast.mentor.email])
    assert "02.12.2026" in email.subject
    assert "14:00–17:00" in email.body and session.place in email.body
    assert f"/supervizijas/{session.pk}/" in email.body
    # Nothing of the mentor's diary (DIA-6).
    assert CANARY not in email.subject + email.body


def test_a_mentor_signed_up_again_after_cancelling_is_reminded_once(cast, session):
    sign_up(cast.mentor, session)
    assert run_on(datetime.datetime(2026, 12, 1, 9, 0)) == 1
    # Cancelled and signed up again on the day before (still open until its end).
    with on(datetime.datetime(2026, 12, 1, 10, 0)):
        services.signup_cancel(actor=cast.mentor_user, mentor=cast.mentor, session=session)
        sign_up(cast.mentor, session)
    assert run_on(datetime.datetime(2026, 12, 1, 17, 0)) == 0
    assert len(mail.outbox) == 1

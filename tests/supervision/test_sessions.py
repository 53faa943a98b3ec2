"""SUP-1: supervision sessions, sign-ups and attendance, through the services; and CAP-3 for
a sign-up over a diary meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from skola_kopiena.accounts.permissions import acting_for
from supervision import services
from supervision.models import Session, Signup

from .conftest import D, T, on, other_mentor, sign_up


def _codes(error):
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return {e.code for e in error.error_list}


def test_staff_plan_a_3_hour_session_of_their_region(cast, plan_session):
    # SUP-1: "Vienas supervīzijas ilgums – 3 stundas (180 minūtes)".
    session = plan_session(D(2026, 12, 2), T(14, 0))
    session.refresh_from_db()
    assert session.duration_minutes == 180
    assert session.ends_at - session.starts_at == datetime.timedelta(minutes=180)
    assert session.end_time == T(17, 0)
    assert (session.region, session.signed_up, session.created_by) == (cast.riga, 0, cast.staff)
    assert session.history.get().history_user == cast.staff


def test_a_session_ending_after_midnight_ends_on_the_next_day(plan_session):
    session = plan_session(D(2026, 12, 2), T(22, 0))
    assert session.ends_at.date() == D(2026, 12, 3)


def test_a_session_in_the_past_remote_or_without_place_or_supervisor_is_refused(cast, plan_session):
    # SUP-1: supervision is in person ("klātienē"), as DIA-9 for meetings.
    with pytest.raises(ValidationError) as error:
        plan_session(D(2026, 11, 25), T(9, 0), place="Zoom tiešsaistē", supervisor=" ", capacity=31)
    assert _codes(error.value) == {
        "date": ["SUP-1"],
        "place": ["SUP-1"],
        "capacity": ["SUP-1"],
        "supervisor": ["SUP-1"],
    }
    with pytest.raises(ValidationError) as error:
        plan_session(place="  ", capacity=0)
    assert _codes(error.value) == {"place": ["SUP-1"], "capacity": ["SUP-1"]}
    assert not Session.objects.exists()


def test_a_session_later_today_may_be_planned(plan_session):
    assert plan_session(D(2026, 11, 25), T(15, 0)).date == D(2026, 11, 25)


def test_staff_plan_sessions_of_their_own_region_only_and_national_staff_of_any(cast, plan_session):
    # SUP-1, ACC: project staff work in their region; administrators in every region.
    with pytest.raises(ValidationError) as error:
        plan_session(actor=cast.other_staff, region=cast.riga)
    assert _codes(error.value) == {"region": ["SUP-1"]}
    with pytest.raises(ValidationError) as error:
        plan_session(actor=cast.mentor_user, region=cast.riga)
    assert _codes(error.value) == {"region": ["SUP-1"]}
    assert plan_session(actor=cast.other_staff, region=cast.vidzeme).region == cast.vidzeme
    assert plan_session(actor=cast.admin, region=cast.riga, start=T(9, 0)).region == cast.riga


def test_the_database_keeps_the_duration_and_the_capacity(cast, session):
    # SUP-1: the rules hold in the database too, whatever writes the row.
    for changes in ({"duration_minutes": 120}, {"capacity": 31}, {"signed_up": 13}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Session.objects.filter(pk=session.pk).update(**changes)


def test_a_mentor_signs_up_for_a_session_of_their_region_and_target_group(
    cast, active_plan, session
):
    # SUP-1: mentors sign up.
    signup = sign_up(cast.mentor, session)
    session.refresh_from_db()
    assert (signup.mentor, signup.session, signup.attended) == (cast.mentor, session, None)
    assert session.signed_up == 1
    assert signup.history.get().history_user == cast.mentor_user


def test_only_the_mentor_signs_up_themselves(cast, session):
    with pytest.raises(ValidationError) as error:
        services.signup_create(actor=cast.staff, mentor=cast.mentor, session=session)
    assert _codes(error.value) == {"SUP-1"}
    assert not Signup.objects.exists()


def test_a_second_sign_up_while_signed_up_says_so(cast, session):
    # SUP-1
    sign_up(cast.mentor, session)
    with pytest.raises(ValidationError) as error:
        sign_up(cast.mentor, session)
    assert _codes(error.value) == {"SUP-1"}
    assert error.value.messages == [_("You are already signed up for this session.")]
    session.refresh_from_db()
    assert session.signed_up == 1
    assert Signup.objects.count() == 1


def test_a_full_session_refuses_the_next_mentor_with_a_clear_message(cast, plan_session):
    # SUP-1: places are limited; the database counts them under the session's row lock.
    session = plan_session(capacity=2)
    sign_up(cast.mentor, session)
    sign_up(other_mentor(1), session)
    with pytest.raises(ValidationError) as error:
        sign_up(other_mentor(2), session)
    assert _codes(error.value) == {"SUP-1"}
    assert error.value.messages == [
        _("The session is full: all %(places)s places are taken.") % {"places": 2}
    ]
    session.refresh_from_db()
    assert (session.signed_up, session.free_places, session.is_full) == (2, 0, True)


def test_a_sign_up_over_a_diary_meeting_is_refused_naming_the_meeting(
    cast, active_plan, meet, session
):
    # CAP-3: a mentor is with one person, or one group, at a time.
    meet(active_plan, D(2026, 12, 2), T(16, 0), T(17, 20))
    with pytest.raises(ValidationError) as error:
        sign_up(cast.mentor, session)
    assert _codes(error.value) == {"CAP-3"}
    assert "02.12.2026" in error.value.messages[0]
    assert "16:00–17:20" in error.value.messages[0]
    assert not Signup.objects.exists()


def test_a_meeting_ending_as_the_session_starts_does_not_overlap(cast, active_plan, meet, session):
    meet(active_plan, D(2026, 12, 2), T(12, 40), T(14, 0))
    assert sign_up(cast.mentor, session).pk


def test_a_sign_up_over_another_session_of_the_mentor_is_refused(cast, plan_session):
    # SUP-1: one session at a time.
    first = plan_session(D(2026, 12, 2), T(14, 0))
    second = plan_session(D(2026, 12, 2), T(16, 0), place="Jūrmalas bibliotēka")
    sign_up(cast.mentor, first)
    with pytest.raises(ValidationError) as error:
        sign_up(cast.mentor, second)
    assert _codes(error.value) == {"SUP-1"}
    assert "14:00" in error.value.messages[0]


def test_sign_ups_close_at_the_end_of_the_day_before_the_session(cast, plan_session):
    # SUP-1 (Choice): until the day before; from the session's day on, refused.
    tomorrow = plan_session(D(2026, 11, 26), T(14, 0))
    later_today = plan_session(D(2026, 11, 25), T(15, 0), place="Cita vieta")
    assert sign_up(cast.mentor, tomorrow).pk
    with pytest.raises(ValidationError) as error:
        sign_up(cast.mentor, later_today)
    assert _codes(error.value) == {"SUP-1"}
    with on(datetime.datetime(2026, 11, 26, 0, 5)), pytest.raises(ValidationError) as error:
        sign_up(other_mentor(1), tomorrow)
    assert _codes(error.value) == {"SUP-1"}


def test_a_session_that_has_taken_place_takes_no_sign_ups(cast, session):
    # SUP-1
    with on(datetime.datetime(2026, 12, 3, 9, 0)), pytest.raises(ValidationError) as error:
        sign_up(cast.mentor, session)
    assert _codes(error.value) == {"SUP-1"}


def test_a_mentor_signs_up_only_in_their_region_and_target_group(cast, active_plan, plan_session):
    # SUP-1: one group per target audience; the mentor's learners are in general education.
    vocational = plan_session(target_group="vocational")
    vidzeme = plan_session(actor=cast.other_staff, region=cast.vidzeme, start=T(9, 0))
    for session in (vocational, vidzeme):
        with pytest.raises(ValidationError) as error:
            sign_up(cast.mentor, session)
        assert _codes(error.value) == {"SUP-1"}
    assert sign_up(cast.second_mentor, vidzeme).pk
    assert not Signup.objects.filter(mentor=cast.mentor).exists()


def test_a_mentor_without_a_current_plan_may_join_any_target_group_of_the_region(
    cast, plan_session
):
    # SUP-1 (Choice): no learner yet, no target group to keep them out of.
    assert sign_up(cast.mentor, plan_session(target_group="vocational")).pk


def test_a_sign_up_is_cancelled_until_the_day_before_and_frees_the_place(cast, plan_session):
    # SUP-1 (Choice): cancellations close with the sign-ups, at the end of the day before.
    session = plan_session(D(2026, 11, 26), T(14, 0), capacity=1)
    sign_up(cast.mentor, session)
    services.signup_cancel(actor=cast.mentor_user, mentor=cast.mentor, session=session)
    session.refresh_from_db()
    assert session.signed_up == 0
    assert Signup.objects.get().cancelled_at is not None
    # The place is free again: the mentor (or another) may take it.
    sign_up(cast.mentor, session)
    with on(datetime.datetime(2026, 11, 26, 8, 0)), pytest.raises(ValidationError) as error:
        services.signup_cancel(actor=cast.mentor_user, mentor=cast.mentor, session=session)
    assert _codes(error.value) == {"SUP-1"}
    session.refresh_from_db()
    assert session.signed_up == 1
    assert Signup.objects.filter(cancelled_at__isnull=True).count() == 1


def test_cancelling_a_sign_up_one_does_not_have_is_refused(cast, session):
    # SUP-1
    with pytest.raises(ValidationError) as error:
        services.signup_cancel(actor=cast.mentor_user, mentor=cast.mentor, session=session)
    assert _codes(error.value) == {"SUP-1"}
    with pytest.raises(ValidationError) as error:
        services.signup_cancel(actor=cast.staff, mentor=cast.mentor, session=session)
    assert _codes(error.value) == {"SUP-1"}


def _mark(actor, session, attended):
    return services.attendance_mark(
        actor=actor, acting=acting_for(actor), session=session, attended=attended
    )


def test_attendance_is_kept_by_staff_of_the_region_from_the_sessions_start_on(cast, session):
    # SUP-1: attendance is kept.
    present = sign_up(cast.mentor, session)
    absent = sign_up(other_mentor(1), session)
    marks = {present.pk: True, absent.pk: False}
    with pytest.raises(ValidationError) as error:
        _mark(cast.staff, session, marks)  # before the start
    assert _codes(error.value) == {"SUP-1"}
    with on(datetime.datetime(2026, 12, 2, 13, 59)), pytest.raises(ValidationError):
        _mark(cast.staff, session, marks)
    with on(datetime.datetime(2026, 12, 2, 14, 0)):
        for outsider in (cast.other_staff, cast.mentor_user, cast.preparer):
            with pytest.raises(ValidationError) as error:
                _mark(outsider, session, marks)
            assert _codes(error.value) == {"SUP-1"}
        assert not Signup.objects.filter(attended__isnull=False).exists()
        _mark(cast.staff, session, marks)
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)
    assert present.marked_by == cast.staff and present.marked_at is not None
    # National staff and administrators may correct it; the change is in the history.
    with on(datetime.datetime(2026, 12, 3, 9, 0)):
        _mark(cast.admin, session, {absent.pk: True})
    absent.refresh_from_db()
    assert absent.attended is True and absent.marked_by == cast.admin
    assert [h.attended for h in absent.history.order_by("history_id")] == [None, False, True]


def test_attendance_is_marked_only_for_the_mentors_signed_up(cast, plan_session, session):
    other = plan_session(D(2026, 12, 9), T(14, 0))
    foreign = sign_up(cast.mentor, other)
    cancelled = sign_up(other_mentor(1), session)
    services.signup_cancel(actor=cancelled.mentor.user, mentor=cancelled.mentor, session=session)
    with on(datetime.datetime(2026, 12, 2, 15, 0)):
        for signup in (foreign, cancelled):
            with pytest.raises(ValidationError) as error:
                _mark(cast.staff, session, {signup.pk: True})
            assert _codes(error.value) == {"SUP-1"}


def test_the_database_keeps_attendance_off_cancelled_sign_ups(cast, session):
    signup = sign_up(cast.mentor, session)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signup.objects.filter(pk=signup.pk).update(attended=True)  # no marker, no time
    services.signup_cancel(actor=cast.mentor_user, mentor=cast.mentor, session=session)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signup.objects.filter(pk=signup.pk).update(
            attended=True, marked_at=session.starts_at, marked_by=cast.staff
        )


def test_the_database_refuses_a_second_active_sign_up_of_a_mentor(cast, session):
    # SUP-1: one sign-up of a mentor for a session at a time.
    sign_up(cast.mentor, session)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signup.objects.create(session=session, mentor=cast.mentor, signed_up_at=session.starts_at)


def _at_once(*actions):
    """Run each action in its own thread (its own database connection) at once."""
    import threading

    from django.db import connection

    results = []

    def run(action):
        try:
            results.append(action())
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_mentors_taking_the_last_place_at_once_leave_one_sign_up(cast, plan_session):
    # SUP-1: the second finds the session full and says so.
    session = plan_session(capacity=1)
    second = other_mentor(1)
    results = _at_once(lambda: sign_up(cast.mentor, session), lambda: sign_up(second, session))
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(results) == 2 and len(refusals) == 1
    assert refusals[0].code == "SUP-1"
    session.refresh_from_db()
    assert session.signed_up == 1 == Signup.objects.count()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_on_sign_up_leaves_one_sign_up(cast, session):
    # SUP-1: the second click finds the sign-up and says so.
    results = _at_once(lambda: sign_up(cast.mentor, session), lambda: sign_up(cast.mentor, session))
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 1 and refusals[0].code == "SUP-1"
    session.refresh_from_db()
    assert session.signed_up == 1 == Signup.objects.count()


def test_a_session_after_the_projects_end_is_refused(plan_session):
    # CAL-1: the project ends on 31.08.2029; a date past it never reaches a time computation.
    for day in (D(2029, 9, 1), D(9999, 12, 31)):
        with pytest.raises(ValidationError) as error:
            plan_session(day, T(22, 0))
        assert _codes(error.value) == {"date": ["CAL-1"]}

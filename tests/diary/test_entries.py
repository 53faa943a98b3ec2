import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from diary.models import DiaryEntry, academic_hours
from diary.services import entry_update, meeting_span
from tests.factories import advance_plan, make_learner, make_plan, semester

T = datetime.time
D = datetime.date


@pytest.mark.parametrize("minutes,hours", [(39, 0), (40, 1), (79, 1), (80, 2), (120, 3), (150, 3)])
def test_hours_are_whole_academic_hours_rounded_down(minutes, hours):
    # DIA-4: 120 minutes = 3 hours; 2½ clock hours (150 minutes) = 3 academic hours.
    assert academic_hours(minutes) == hours


def test_a_meeting_ending_at_midnight_ends_at_the_end_of_the_day():
    # DIA-4
    _starts_at, ends_at, hours, minutes = meeting_span(D(2026, 11, 20), T(22, 0), T(0, 0))
    assert minutes == 120 and hours == 3
    assert ends_at.date() == D(2026, 11, 21)


def test_the_mentor_plans_a_meeting_and_the_hours_are_computed(cast, active_plan, meet):
    # DIA-2, DIA-3, DIA-4: a planned meeting has everything but the result.
    entry = meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 20), topic="Karjeras dienasgrāmata")
    assert entry.hours == 2
    assert entry.result == ""
    assert entry.plan == active_plan and entry.mentor == cast.mentor  # DIA-1: the plan's diary


def test_a_meeting_shorter_than_40_minutes_is_refused_at_the_end_time(cast, active_plan, meet):
    # DIA-4
    with pytest.raises(ValidationError) as error:
        meet(active_plan, D(2026, 12, 2), T(15, 0), T(15, 39))
    assert "end_time" in error.value.message_dict
    assert error.value.error_dict["end_time"][0].code == "DIA-4"


def test_the_end_must_be_after_the_start(cast, active_plan, meet):
    # DIA-2, DIA-4: the hours are computed from the span between the start and the end.
    with pytest.raises(ValidationError) as error:
        meet(active_plan, D(2026, 12, 2), T(15, 0), T(14, 0))
    assert "end_time" in error.value.message_dict
    assert error.value.error_dict["end_time"][0].code == "DIA-4"


@pytest.mark.parametrize("place", ["tiešsaistē", "Zoom", "MS Teams", "online", "pa telefonu"])
def test_remote_places_are_refused(cast, active_plan, meet, place):
    # DIA-9: mentoring is in person only.
    with pytest.raises(ValidationError) as error:
        meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 0), place=place)
    assert "place" in error.value.message_dict
    assert error.value.error_dict["place"][0].code == "DIA-9"


def test_a_physical_place_is_accepted(cast, active_plan, meet):
    # DIA-9
    assert meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 0), place="Ogres pilsētas centrs").pk


def test_no_entry_before_the_plan_is_approved(cast, plan, meet):
    # IAP-5
    plan = advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="submitted")
    with pytest.raises(ValidationError) as error:
        meet(plan, D(2026, 12, 2), T(15, 0), T(16, 0))
    assert "date" in error.value.message_dict
    assert error.value.error_dict["date"][0].code == "IAP-5"


def test_the_last_day_of_the_semester_is_allowed_the_first_day_of_the_break_is_not(
    cast, active_plan, meet
):
    # CAL-3: 18.12.2026 ends the semester; the winter break starts on 21.12.
    assert meet(active_plan, D(2026, 12, 18), T(10, 0), T(11, 0)).pk
    with pytest.raises(ValidationError) as error:
        meet(active_plan, D(2026, 12, 21), T(10, 0), T(11, 0))
    assert "date" in error.value.message_dict
    assert error.value.error_dict["date"][0].code == "CAL-3"


def test_weekends_inside_the_semester_are_allowed(cast, active_plan, meet):
    # CAL-3
    assert meet(active_plan, D(2026, 12, 5), T(11, 0), T(12, 20)).pk  # Saturday


def test_an_extended_plan_allows_meetings_until_the_measures_end(cast, meet):
    # CAL-4
    from iap.services import plan_extend
    from tests.factories import pdf_upload

    learner = make_learner(cast.preparer, cast.school, first_name="Vasara")
    plan = make_plan(
        cast.preparer, learner, on_semester=semester("2026/2027", 2), start_date=D(2027, 1, 4)
    )
    plan = advance_plan(
        plan, preparer=cast.preparer, mentor=cast.mentor, to="approved", approver=cast.approver
    )
    with pytest.raises(ValidationError) as error:
        meet(plan, D(2027, 6, 10), T(10, 0), T(11, 0))
    assert error.value.error_dict["date"][0].code == "CAL-3"  # summer: between semesters
    plan_extend(
        actor=cast.preparer, plan=plan, extended_until=D(2027, 6, 18), order_file=pdf_upload()
    )
    plan.refresh_from_db()
    assert meet(plan, D(2027, 6, 10), T(10, 0), T(11, 0)).pk
    with pytest.raises(ValidationError) as error:
        meet(plan, D(2027, 6, 21), T(10, 0), T(11, 0))
    assert error.value.error_dict["date"][0].code == "CAL-4"


def test_the_20th_hour_of_a_month_fits_the_21st_does_not(cast, full_time_plan, meet):
    # CAP-2: planned and held together, per learner and calendar month.
    for day in (1, 2, 3, 4):
        meet(full_time_plan, D(2026, 12, day), T(9, 0), T(12, 20))  # 5 hours each: 20
    with pytest.raises(ValidationError) as error:
        meet(full_time_plan, D(2026, 12, 7), T(9, 0), T(9, 40))  # the 21st hour
    assert error.value.error_dict["end_time"][0].code == "CAP-2"
    assert "0" in error.value.message_dict["end_time"][0]  # the hours left are shown


def test_hours_left_are_counted_before_the_limit_is_reached(cast, full_time_plan, meet):
    # CAP-2
    meet(full_time_plan, D(2026, 12, 1), T(9, 0), T(20, 0))  # 660 min = 16 hours
    with pytest.raises(ValidationError) as error:
        meet(full_time_plan, D(2026, 12, 2), T(9, 0), T(12, 20))  # 5 more: 21
    assert error.value.error_dict["end_time"][0].code == "CAP-2"
    assert "4" in error.value.message_dict["end_time"][0]
    assert meet(full_time_plan, D(2026, 12, 2), T(9, 0), T(11, 40)).hours == 4  # exactly 20


def test_two_plans_of_one_mentor_cannot_have_overlapping_meetings(
    cast, active_plan, second_active_plan, meet
):
    # CAP-3: one learner at a time, across all of the mentor's learners.
    meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 20))
    with pytest.raises(ValidationError) as error:
        meet(second_active_plan, D(2026, 12, 2), T(16, 0), T(17, 0))
    assert "start_time" in error.value.message_dict
    assert error.value.error_dict["start_time"][0].code == "CAP-3"
    assert meet(second_active_plan, D(2026, 12, 2), T(16, 20), T(17, 40)).pk  # back to back


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraints are PostgreSQL's"
)
def test_the_database_refuses_overlapping_meetings_too(cast, active_plan, second_active_plan, meet):
    # CAP-3: even a write that skips the service cannot overlap.
    first = meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        DiaryEntry.objects.create(
            plan=second_active_plan,
            mentor=cast.mentor,
            date=first.date,
            start_time=T(16, 0),
            end_time=T(17, 0),
            starts_at=first.starts_at.replace(hour=16),
            ends_at=first.ends_at.replace(hour=17),
            hours=1,
            place="Parks",
            topic="x",
        )


def test_a_result_is_not_entered_before_the_meeting_starts(cast, active_plan, meet):
    # DIA-2, DIA-7
    with pytest.raises(ValidationError) as error:
        meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 0), result="Labi pavadījām laiku")
    assert "result" in error.value.message_dict
    assert error.value.error_dict["result"][0].code == "DIA-2"


def test_after_the_meeting_the_result_and_comment_are_filled_in(cast, active_plan, meet):
    # DIA-2
    entry = meet(active_plan, D(2026, 11, 25), T(8, 0), T(9, 20))
    entry = entry_update(
        actor=cast.mentor_user,
        entry=entry,
        date=entry.date,
        start_time=entry.start_time,
        end_time=entry.end_time,
        place=entry.place,
        topic=entry.topic,
        result="Runājām par nākotnes plāniem",
        comment="Bija atvērts",
    )
    assert entry.result == "Runājām par nākotnes plāniem"


def test_only_the_plans_mentor_writes_its_diary(cast, active_plan, meet):
    # DIA-1
    with pytest.raises(ValidationError) as error:
        meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 0), actor=cast.second_mentor_user)
    assert error.value.code == "DIA-1"


def test_the_diary_records_no_costs(cast):
    # DIA-10: preparation, travel and other costs are neither recorded nor paid.
    names = {f.name for f in DiaryEntry._meta.get_fields()}
    assert not {n for n in names if any(w in n for w in ("cost", "travel", "expense", "km"))}


def test_the_form_reminds_not_to_write_sensitive_information(cast, client_for, active_plan):
    # DIA-5, DIA-9: the entry form says meetings are in person and no sensitive data.
    page = client_for(cast.mentor_user).get(f"/dienasgramata/{active_plan.pk}/jauns/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "sensitīv" in text and "klātien" in text

"""CHK step 6: supervision (optional) is ticked for a plan whose mentor attended a session
within the plan's semester."""

import datetime

from iap.models import Plan
from skola_kopiena.accounts.permissions import acting_for
from supervision import services
from supervision.selectors import attended_plan_ids
from tests.factories import advance_plan, make_learner, make_plan, semester

from .conftest import D, T, on, other_mentor, sign_up


def _attend(mentor, session, attended=True):
    signup = sign_up(mentor, session)
    with on(datetime.datetime.combine(session.date, T(18, 0))):
        services.attendance_mark(
            actor=session.created_by,
            acting=acting_for(session.created_by),
            session=session,
            attended={signup.pk: attended},
        )
    return signup


def _plans(*plans):
    return list(Plan.objects.filter(pk__in=[p.pk for p in plans]).select_related("semester"))


def test_a_plan_is_ticked_when_its_mentor_attended_a_session_in_its_semester(
    cast, active_plan, second_active_plan, plan_session
):
    # CHK step 6, SUP-1: attendance in the semester, not a mere sign-up.
    assert attended_plan_ids(_plans(active_plan, second_active_plan)) == set()
    with on(datetime.datetime(2026, 11, 1, 9, 0)):
        past = plan_session(D(2026, 11, 10), T(14, 0))
        missed = plan_session(D(2026, 11, 12), T(14, 0))
        _attend(cast.mentor, missed, attended=False)
        only_signed_up = plan_session(D(2026, 11, 17), T(14, 0))
        sign_up(cast.mentor, only_signed_up)
    assert attended_plan_ids(_plans(active_plan)) == set()
    with on(datetime.datetime(2026, 11, 1, 9, 0)):
        _attend(cast.mentor, past)
    assert attended_plan_ids(_plans(active_plan, second_active_plan)) == {
        active_plan.pk,
        second_active_plan.pk,
    }


def test_a_session_outside_the_plans_semester_or_of_another_mentor_does_not_count(
    cast, plan_session
):
    # The spring plan of 2025/2026 (05.01–19.06.2026 by grade), the mentor's autumn session.
    spring = semester("2025/2026", 2)
    with on(datetime.datetime(2026, 1, 10, 9, 0)):
        learner = make_learner(cast.preparer, cast.school, first_name="Pavasara")
        plan = advance_plan(
            make_plan(cast.preparer, learner, on_semester=spring),
            preparer=cast.preparer,
            mentor=cast.mentor,
            to="approved",
            approver=cast.approver,
        )
    with on(datetime.datetime(2026, 11, 1, 9, 0)):
        _attend(cast.mentor, plan_session(D(2026, 11, 10), T(14, 0)))
        _attend(other_mentor(1), plan_session(D(2026, 11, 11), T(14, 0)))
    assert attended_plan_ids(_plans(plan)) == set()
    with on(datetime.datetime(2026, 6, 1, 9, 0)):
        _attend(cast.mentor, plan_session(D(2026, 6, 10), T(14, 0)))
    assert attended_plan_ids(_plans(plan)) == {plan.pk}


def test_the_supervision_step_of_many_plans_takes_one_query(
    cast, active_plan, second_active_plan, plan_session, django_assert_num_queries
):
    plans = _plans(active_plan, second_active_plan)
    # 1 the attended sign-ups of the plans' mentors within their semesters (mentor, date).
    with django_assert_num_queries(1):
        attended_plan_ids(plans)
    assert attended_plan_ids([]) == set()


def test_step_six_ticks_on_the_mentors_dashboard(cast, client_for, active_plan, plan_session):
    # CHK step 6 ("pēc iespējas un nepieciešamības"): optional, ticked after attending.
    def step_six():
        (card,) = client_for(cast.mentor_user).get("/").context["diary_cards"]
        return card["steps"][5][1]

    assert not step_six()
    with on(datetime.datetime(2026, 11, 1, 9, 0)):
        _attend(cast.mentor, plan_session(D(2026, 11, 10), T(14, 0)))
    assert step_six()

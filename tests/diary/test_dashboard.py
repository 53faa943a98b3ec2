import datetime

from diary import services
from tests.factories import advance_plan, confirm_month, make_learner, make_plan, pdf_upload

T = datetime.time
D = datetime.date


def _card(client, plan):
    response = client.get("/")
    return next(c for c in response.context["diary_cards"] if c["plan"].pk == plan.pk)


def test_the_dashboard_shows_hours_used_and_left_and_meetings_waiting_for_a_result(
    cast, client_for, active_plan, meet
):
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(9, 0))  # held, no result yet
    meet(active_plan, D(2026, 11, 27), T(15, 0), T(16, 20))  # planned
    card = _card(client_for(cast.mentor_user), active_plan)
    # CAP-2: of the plan's monthly hours, not of 20.
    assert (card["used"], card["planned"], card["waiting_for_result"]) == (5, 8, 1)


def test_a_gentle_nudge_after_more_than_seven_days_without_a_meeting(
    cast, client_for, active_plan, meet
):
    # DIA-11: a nudge, never a block.
    client = client_for(cast.mentor_user)
    active_plan.start_date = D(2026, 11, 2)
    active_plan.save()
    meet(active_plan, D(2026, 11, 17), T(15, 0), T(16, 0), result="Labi")
    card = _card(client, active_plan)
    assert card["days_since_meeting"] == 8 and card["nudge"]
    meet(active_plan, D(2026, 11, 18), T(15, 0), T(16, 0), result="Labi")
    card = _card(client, active_plan)
    assert card["days_since_meeting"] == 7 and not card["nudge"]


def test_the_ten_steps_are_ticked_from_data(cast, client_for, plan, meet):
    # CHK
    client = client_for(cast.mentor_user)
    plan = advance_plan(
        plan, preparer=cast.preparer, mentor=cast.mentor, to="approved", approver=cast.approver
    )
    plan.start_date = D(2026, 10, 1)
    plan.save()
    steps = dict(_card(client, plan)["steps"])
    labels = list(steps)
    assert len(labels) == 10
    assert [steps[label] for label in labels[:5]] == [True, True, True, True, False]
    assert steps[labels[6]] is False  # October is not confirmed yet
    meet(plan, D(2026, 10, 14), T(15, 0), T(16, 20), result="Labi")
    services.month_upload_scan(
        actor=cast.mentor_user, plan=plan, month=D(2026, 10, 1), file=pdf_upload()
    )
    confirm_month(plan, D(2026, 10, 1))
    steps = dict(_card(client, plan)["steps"])
    assert steps[labels[4]] and steps[labels[6]] and steps[labels[7]]
    assert not steps[labels[8]]  # the evaluation comes with the semester's end


def test_the_dashboard_keeps_its_query_count_with_more_learners(
    cast, client_for, active_plan, django_assert_num_queries
):
    client = client_for(cast.mentor_user)
    # session, user, roles; 4 the mentor; 5 the semesters (this and later); 6 the plans (the
    # list, and the diary cards among them); 7 supervision attended (CHK 6); 8 evaluations
    # submitted (CHK 9); 9 decisions (CHK 10); 10 the cards' meetings; 11 the cards' months;
    # 12 evaluations waiting (count); 13 pending invitations; save session (3).
    with django_assert_num_queries(16):
        client.get("/")
    for n in range(4):
        learner = make_learner(cast.preparer, cast.school, first_name=f"Vēl{n}")
        advance_plan(
            make_plan(cast.preparer, learner),
            preparer=cast.preparer,
            mentor=cast.mentor,
            to="approved",
            approver=cast.approver,
            contract=active_plan.contract,
        )
    with django_assert_num_queries(16):
        response = client.get("/")
    assert len(response.context["diary_cards"]) == 5


def test_an_ended_plan_asks_for_no_months_after_its_end(cast, client_for, active_plan):
    active_plan.start_date, active_plan.end_date = D(2026, 9, 1), D(2026, 9, 30)
    active_plan.save()
    card = _card(client_for(cast.mentor_user), active_plan)
    assert card["unconfirmed_months"] == [D(2026, 9, 1)]


def test_staff_follow_the_plans_and_the_months_waiting_in_their_region(
    cast, client_for, active_plan, meet
):
    # APR-4
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 0), result="Labi")
    services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=D(2026, 11, 1), file=pdf_upload()
    )
    confirm_month(active_plan, D(2026, 11, 1))
    mine = client_for(cast.staff).get("/").context
    waiting = {"waiting": 1, "overdue": 0}
    assert (mine["plan_counts"]["approved"], mine["months_waiting"]) == (1, waiting)
    other = client_for(cast.other_staff).get("/").context
    assert (other["plan_counts"], other["months_waiting"]) == ({}, {"waiting": 0, "overdue": 0})

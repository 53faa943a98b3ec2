"""Rules read as the handbook means them (CAP-2 with IAP-6, CON-4, DIA-7, APR-2, the end of a
plan's period), and refusals the database makes turned into the service's own message."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from diary import services as diary_services
from iap import services as iap_services
from iap.models import Plan
from tests.factories import (
    advance_plan,
    confirm_month,
    make_contract,
    make_learner,
    make_plan,
    month_end,
    pdf_upload,
    semester,
)

T = datetime.time
D = datetime.date
NOVEMBER = D(2026, 11, 1)


def _code(error, field=None):
    if field is None:
        return {e.code for e in error.value.error_list}
    return error.value.error_dict[field][0].code


# --- CAP-2 with IAP-6 ---------------------------------------------------------------------


def test_the_plans_monthly_hours_are_the_months_limit_in_the_diary(
    cast, client_for, active_plan, meet
):
    # CAP-2: the plan has 8 hours a month; the 9th is refused, and the message says how
    # to do more (IAP-6).
    meet(active_plan, D(2026, 12, 1), T(9, 0), T(12, 20))  # 5 hours
    with pytest.raises(ValidationError) as error:
        meet(active_plan, D(2026, 12, 2), T(9, 0), T(11, 40))  # 4 more: 9 of 8
    assert _code(error, "end_time") == "CAP-2"
    assert "IAP sagatavotājs" in error.value.message_dict["end_time"][0]
    page = client_for(cast.mentor_user).get(f"/dienasgramata/{active_plan.pk}/2026-12/")
    assert (page.context["used"], page.context["planned"]) == (5, 8)

    iap_services.plan_change_hours(
        actor=cast.preparer, plan=active_plan, monthly_hours=10, reason="Eksāmenu mēnesis"
    )
    assert meet(active_plan, D(2026, 12, 2), T(9, 0), T(11, 40)).hours == 4  # 9 of 10


# --- CON-4 --------------------------------------------------------------------------------


def test_a_year_contracts_learner_continuing_into_the_second_semester_counts_once(cast):
    # CON-4: six learners of the employer in each semester, not six over the year.
    contract = make_contract(cast.preparer, cast.mentor, cast.school, whole_year=True)
    first_semester_plans = [
        advance_plan(
            make_plan(cast.preparer, make_learner(cast.preparer, cast.school, first_name=f"S{n}")),
            preparer=cast.preparer,
            mentor=cast.mentor,
            to="ready",
            contract=contract,
        )
        for n in range(6)
    ]
    spring = semester("2026/2027", 2)
    learner = first_semester_plans[0].learner
    continued = advance_plan(
        make_plan(cast.preparer, learner, on_semester=spring, start_date=spring.start_date),
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="ready",
        contract=contract,
    )
    assert continued.contract == contract


# --- DIA-7 --------------------------------------------------------------------------------


def test_a_month_is_confirmed_from_its_last_day_on_and_not_offered_before(
    cast, client_for, active_plan, meet
):
    # DIA-7 (**Choice**): on the 25th the month is not over; a meeting on the 27th still fits.
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 20), result="Labi")
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload()
    )
    with pytest.raises(ValidationError) as error:
        diary_services.month_confirm(actor=cast.mentor_user, plan=active_plan, month=NOVEMBER)
    assert _code(error) == {"DIA-7"}
    page = client_for(cast.mentor_user).get(f"/dienasgramata/{active_plan.pk}/2026-11/")
    assert "/2026-11/apstiprinat/" not in page.content.decode()
    assert "30.11.2026" in page.content.decode()
    meet(active_plan, D(2026, 11, 27), T(15, 0), T(16, 20), result="")
    with month_end(NOVEMBER):
        diary_services.entry_update(
            actor=cast.mentor_user,
            entry=active_plan.diary_entries.get(date=D(2026, 11, 27)),
            date=D(2026, 11, 27),
            start_time=T(15, 0),
            end_time=T(16, 20),
            place="Bibliotēka",
            topic="Iepazīšanās",
            result="Runājām",
        )
        page = client_for(cast.mentor_user).get(f"/dienasgramata/{active_plan.pk}/2026-11/")
        assert "/2026-11/apstiprinat/" in page.content.decode()
    assert confirm_month(active_plan, NOVEMBER).hours == 4


def test_a_months_missing_scan_is_refused_as_ts_3(cast, active_plan, meet):
    # TS-3: no signatures, no pay.
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 20), result="Labi")
    with pytest.raises(ValidationError) as error:
        confirm_month(active_plan, NOVEMBER)
    assert _code(error) == {"TS-3"}


# --- APR-2 --------------------------------------------------------------------------------


@pytest.fixture
def october_month(cast, meet, active_plan):
    """A plan running since September, its October confirmed (due 10 November)."""
    plan = advance_plan(
        make_plan(
            cast.preparer,
            make_learner(cast.preparer, cast.school, first_name="Oktobris"),
            start_date=D(2026, 9, 1),
        ),
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=active_plan.contract,
    )
    meet(plan, D(2026, 10, 20), T(15, 0), T(16, 20), result="Labi")
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=plan, month=D(2026, 10, 1), file=pdf_upload()
    )
    return confirm_month(plan, D(2026, 10, 1))


def test_each_month_has_its_own_deadline_and_overdue_months_are_shown(
    cast, client_for, october_month, active_plan, meet
):
    # APR-2: October was due on the employer's day of November; November is not due yet.
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 20), result="Labi")
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload()
    )
    november = confirm_month(active_plan, NOVEMBER)
    queue = client_for(cast.approver).get("/stundas/")
    deadlines = {m.month: (m.approval_deadline, m.is_overdue) for m in queue.context["months"]}
    assert deadlines == {
        D(2026, 10, 1): (D(2026, 11, 10), True),
        NOVEMBER: (D(2026, 12, 10), False),
    }
    assert queue.content.decode().count("tag-warning") == 1
    dashboard = client_for(cast.staff).get("/").context
    assert dashboard["months_waiting"] == {"waiting": 2, "overdue": 1}
    assert november.approval_deadline == D(2026, 12, 10)


# --- A plan whose period is over ----------------------------------------------------------


@pytest.fixture
def past_plan(cast):
    spring = semester("2025/2026", 2)
    return advance_plan(
        make_plan(
            cast.preparer,
            make_learner(cast.preparer, cast.school, first_name="Pavasaris"),
            on_semester=spring,
            start_date=spring.start_date,
        ),
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=make_contract(cast.preparer, cast.mentor, cast.school, on_semester=spring),
    )


def test_a_plan_whose_period_is_over_is_no_longer_changed(cast, client_for, past_plan):
    # IAP-6, IAP-7, CAL-4: the period is over; closing comes with the evaluation (IAP-9).
    assert past_plan.has_ended
    changes = (
        ("IAP-6", iap_services.plan_change_hours, {"monthly_hours": 10, "reason": "Vairāk"}),
        ("IAP-7", iap_services.plan_terminate, {"terminated_on": D(2026, 5, 1), "reason": "X"}),
        ("CAL-4", iap_services.plan_extend, {"extended_until": D(2026, 8, 1), "order_file": None}),
    )
    for code, change, fields in changes:
        with pytest.raises(ValidationError) as error:
            change(actor=cast.preparer, plan=past_plan, **fields)
        assert _code(error) == {code}
    page = client_for(cast.preparer).get(f"/iap/{past_plan.pk}/").content.decode()
    for offered in ("/stundas/", "/pagarinat/", "/partraukt/"):
        assert f"/iap/{past_plan.pk}{offered}" not in page
    past_plan.refresh_from_db()
    assert (past_plan.monthly_hours, past_plan.status) == (8, Plan.Status.APPROVED)


# --- Constraints the database enforces, refused in the service's words ---------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the constraint's name comes from PostgreSQL"
)


@postgresql_only
def test_an_overlapping_meeting_that_races_past_the_check_gets_the_cap_3_message(
    cast, active_plan, second_active_plan, meet, monkeypatch
):
    # CAP-3: as when two requests save at the same moment; the exclusion constraint refuses
    # the second, and the mentor reads the same message as the service's check.
    meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 20))
    real = diary_services._overlapping
    calls = []

    def first_check_misses(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(diary_services, "_overlapping", first_check_misses)
    with pytest.raises(ValidationError) as error:
        meet(second_active_plan, D(2026, 12, 2), T(16, 0), T(17, 20))
    assert _code(error, "start_time") == "CAP-3"
    assert "15:00–16:20" in error.value.message_dict["start_time"][0]
    assert second_active_plan.diary_entries.count() == 0


@postgresql_only
def test_a_plan_created_twice_at_once_gets_the_iap_1_message(cast, learner, monkeypatch):
    # IAP-1: as when two requests create it at the same moment; the unique constraint refuses
    # the second.
    make_plan(cast.preparer, learner)
    monkeypatch.setattr(iap_services, "_has_plan", lambda learner, semester: False)
    monkeypatch.setattr(Plan, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as error:
        make_plan(cast.preparer, learner)
    assert _code(error, "semester") == "IAP-1"
    assert Plan.objects.filter(learner=learner).count() == 1


def test_an_extension_into_the_summer_needs_the_heads_order(cast):
    # CAL-4: "with a copy of the head's order attached", also when called without the form.
    spring = semester("2026/2027", 2)
    plan = advance_plan(
        make_plan(cast.preparer, make_learner(cast.preparer, cast.school), on_semester=spring),
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=make_contract(cast.preparer, cast.mentor, cast.school, on_semester=spring),
    )
    with pytest.raises(ValidationError) as error:
        iap_services.plan_extend(
            actor=cast.preparer,
            plan=plan,
            extended_until=plan.end_date + datetime.timedelta(days=14),
            order_file=None,
        )
    assert _code(error, "order_file") == "CAL-4"
    plan.refresh_from_db()
    assert plan.extended_until is None

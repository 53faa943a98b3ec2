"""Every list page and dashboard, as the role that uses it, takes an absolute number of queries,
with enough rows that an N+1 would show, and the same number again with more rows (issue 12).

Each pin names its queries. Every request begins with the same three, and staff and the
administrator have a fourth:

    session            the session row
    user               the logged-in user
    roles              the user's role memberships (with their institution and region)
    TOTP               staff and the administrator: do they have an authenticator (MFA)

and ends with the same three, since the session's idle expiry moves on every request
(SESSION_SAVE_EVERY_REQUEST):

    save session       SAVEPOINT, UPDATE django_session, RELEASE SAVEPOINT
"""

import datetime

import pytest

from diary import services as diary_services
from evaluation import services as evaluation_services
from iap import services as iap_services
from iap.models import Plan
from mentors import services as mentor_services
from payroll import services as payroll_services
from payroll.models import Rate
from skola_kopiena.accounts.permissions import acting_for
from supervision import services as supervision_services
from tests.factories import (
    InstitutionFactory,
    MentorFactory,
    confirm_month,
    make_learner,
    make_plan,
    mentor_with_login,
    municipality,
    on,
    pdf_upload,
    school_plan,
    spring_plan,
)
from timesheets import services as approval_services

D = datetime.date
T = datetime.time
SEPTEMBER, OCTOBER, NOVEMBER = D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)
AFTER_THE_SEMESTER = D(2026, 12, 21)  # the Monday after the first semester's last day


@pytest.fixture
def pin(django_assert_num_queries):
    """GET `url` as `client` in exactly `queries` queries."""

    def check(client, url, queries, status=200):
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == status
        return response

    return check


# --- Rows, through the services -----------------------------------------------------------


def held(plan, day, hour=15, topic="Mācības"):
    return diary_services.entry_create(
        actor=plan.mentor.user,
        plan=plan,
        date=day,
        start_time=T(hour, 0),
        end_time=T(hour + 1, 0),
        place="Bibliotēka",
        topic=topic,
        result="Izdevās",
    )


def confirmed(plan, month):
    """The mentor confirms `month` of `plan`, with the signed timesheet's scan."""
    diary_services.month_upload_scan(
        actor=plan.mentor.user, plan=plan, month=month, file=pdf_upload("grafiks.pdf")
    )
    return confirm_month(plan, month)


def approved(plan, month, approver):
    return approval_services.month_approve(actor=approver, diary_month=confirmed(plan, month))


def mentors_plans(cast, names, contract=None):
    """Plans of the cast's mentor under one contract, each with meetings in October and
    November and October confirmed."""
    plans = []
    for name in names:
        plan = school_plan(cast, name, mentor=cast.mentor, contract=contract)
        contract = plan.contract
        # CAP-3: one learner at a time: each plan of the mentor at its own hour.
        hour = 7 + Plan.objects.filter(mentor=cast.mentor).count()
        held(plan, D(2026, 10, 6), hour)
        held(plan, D(2026, 11, 3), hour)
        held(plan, D(2026, 11, 10), hour)
        confirmed(plan, OCTOBER)
        plans.append(plan)
    return plans


def invite_the_mentor(cast, name):
    learner = make_learner(cast.preparer, cast.school, first_name=name)
    plan = make_plan(cast.preparer, learner)
    return iap_services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)


def session(cast, day, place="Bibliotēka"):
    return supervision_services.session_create(
        actor=cast.staff,
        acting=acting_for(cast.staff),
        date=day,
        start_time=T(14, 0),
        place=place,
        region=cast.riga,
        target_group="general",
        capacity=12,
        supervisor="Inga Supervizore",
    )


def sign_up(mentor, session):
    return supervision_services.signup_create(actor=mentor.user, mentor=mentor, session=session)


@pytest.fixture
def rate(cast):
    return payroll_services.rate_save(
        actor=cast.admin,
        rate=Rate(valid_from=D(2026, 1, 1), amount="14.20", legal_basis="Metodika, 01.01.2026"),
    )


# --- Dashboards ----------------------------------------------------------------------------


def test_the_mentors_dashboard_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.mentor_user)
    (first, *_) = mentors_plans(cast, ["Anna", "Berta", "Cilda"])
    invite_the_mentor(cast, "Dace")
    # session, user, roles; 4 the mentor; 5 the semesters (this and later); 6 the plans
    # (the list, and the diary cards among them); 7 supervision attended (CHK 6);
    # 8 evaluations submitted (CHK 9); 9 decisions (CHK 10); 10 the cards' meetings; 11 the
    # cards' months; 12 evaluations waiting (count); 13 pending invitations; save session.
    pin(client, "/", 16)
    mentors_plans(cast, ["Dārta"], contract=first.contract)
    invite_the_mentor(cast, "Elza")
    spring_plan(cast, "Pavasara", mentor=cast.mentor)
    with on(D(2026, 11, 5)):
        sign_up(cast.mentor, session(cast, D(2026, 11, 12)))
    pin(client, "/", 16)


def test_the_preparers_dashboard_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.preparer)
    for name, to in (("Anna", "draft"), ("Berta", "accepted"), ("Cilda", "approved")):
        school_plan(cast, name, to=to)
    # session, user, roles; 4 the semesters (this and later); 5 the plans counted by status;
    # save session.
    pin(client, "/", 8)
    for name, to in (("Dace", "submitted"), ("Elza", "approved"), ("Frīda", "draft")):
        school_plan(cast, name, to=to)
    spring_plan(cast, "Pavasara")
    pin(client, "/", 8)


def test_the_approvers_dashboard_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.approver)
    for name in ("Anna", "Berta", "Cilda"):
        school_plan(cast, name, to="submitted")
    confirmed(school_plan(cast, "Dace"), OCTOBER)
    # session, user, roles; 4 the employer's months waiting (count, overdue); 5 the plans
    # waiting for approval; save session.
    pin(client, "/", 8)
    for name in ("Elza", "Frīda"):
        school_plan(cast, name, to="submitted")
    plan = school_plan(cast, "Gita")
    confirmed(plan, SEPTEMBER)
    confirmed(plan, OCTOBER)
    pin(client, "/", 8)


def test_the_regional_staffs_dashboard_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.staff)
    for name, to in (("Anna", "draft"), ("Berta", "submitted"), ("Cilda", "approved")):
        school_plan(cast, name, to=to)
    mentor_services.change_request_submit(
        actor=cast.mentor_user, mentor=cast.mentor, phone="+371 2111 2222"
    )
    # session, user, roles, TOTP; 5 the semesters (this and later); 6 the region's plans
    # counted by status; 7 change requests pending (count); 8 months waiting for approval
    # (count, overdue); save session.
    pin(client, "/", 11)
    confirmed(school_plan(cast, "Dace"), OCTOBER)
    spring_plan(cast, "Pavasara")
    mentor_services.change_request_submit(
        actor=cast.second_mentor_user, mentor=cast.second_mentor, phone="+371 2111 3333"
    )
    pin(client, "/", 11)


def test_the_administrators_dashboard_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.admin)
    for name, to in (("Anna", "draft"), ("Berta", "submitted"), ("Cilda", "approved")):
        school_plan(cast, name, to=to)
    # As the regional staff's, for the whole country: session, user, roles, TOTP;
    # 5 semesters; 6 plans by status; 7 change requests pending; 8 months waiting;
    # save session.
    pin(client, "/", 11)
    confirmed(school_plan(cast, "Dace"), OCTOBER)
    spring_plan(cast, "Pavasara")
    mentor_services.change_request_submit(
        actor=cast.mentor_user, mentor=cast.mentor, phone="+371 2111 2222"
    )
    pin(client, "/", 11)


# --- Plans, learners, invitations ----------------------------------------------------------


def test_the_preparers_plan_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.preparer)
    for name, to in (("Anna", "draft"), ("Berta", "accepted"), ("Cilda", "approved")):
        school_plan(cast, name, to=to)
    invite_the_mentor(cast, "Dace")
    # session, user, roles; 4 the semesters (the filter's choices); 5 the plans' ids in the
    # list's order (their number is the count); 6 the page's plans with learner,
    # institution, semester, mentor, and whether an invitation waits; save session.
    pin(client, "/iap/", 9)
    for name, to in (("Elza", "submitted"), ("Frīda", "approved"), ("Gita", "ready")):
        school_plan(cast, name, to=to)
    invite_the_mentor(cast, "Hilda")
    spring = spring_plan(cast, "Pavasara")
    pin(client, "/iap/", 9)
    pin(client, f"/iap/?semestris={spring.semester_id}", 9)


def test_the_approvers_plan_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.approver)
    for name, to in (("Anna", "submitted"), ("Berta", "approved"), ("Cilda", "submitted")):
        school_plan(cast, name, to=to)
    # session, user, roles; 4 the semesters; 5 the plans' ids in order (and count); 6 the
    # page's plans; 7 the plans waiting for approval; save session.
    pin(client, "/iap/", 10)
    for name, to in (("Dace", "submitted"), ("Elza", "approved"), ("Frīda", "draft")):
        school_plan(cast, name, to=to)
    spring_plan(cast, "Pavasara")
    pin(client, "/iap/", 10)


def test_the_regional_staffs_plan_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.staff)
    for name, to in (("Anna", "draft"), ("Berta", "submitted"), ("Cilda", "approved")):
        school_plan(cast, name, to=to)
    # session, user, roles, TOTP; 5 the semesters; 6 the region's plans' ids in order (and
    # count); 7 the page's plans; 8 the regions and 9 the municipalities of the filter; save
    # session.
    pin(client, "/iap/", 12)
    for name, to in (("Dace", "accepted"), ("Elza", "approved"), ("Frīda", "submitted")):
        school_plan(cast, name, to=to)
    spring_plan(cast, "Pavasara")
    pin(client, "/iap/", 12)


def test_the_preparers_learner_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.preparer)
    for name, to in (("Anna", "draft"), ("Berta", "approved"), ("Cilda", "accepted")):
        school_plan(cast, name, to=to)
    # session, user, roles; 4 the semesters (the filter); 5 the ids, in order, of the
    # school's learners of these semesters or registered since (and their count); 6 the
    # page's learners with institution and each one's plans counted in a subquery; save
    # session.
    pin(client, "/izglitojamie/", 9)
    for name, to in (("Dace", "draft"), ("Elza", "approved"), ("Frīda", "submitted")):
        school_plan(cast, name, to=to)
    spring_plan(cast, "Pavasara")
    pin(client, "/izglitojamie/", 9)


def test_the_regional_staffs_learner_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.staff)
    for name, to in (("Anna", "draft"), ("Berta", "approved"), ("Cilda", "accepted")):
        school_plan(cast, name, to=to)
    # session, user, roles, TOTP; 5 the semesters; 6 the region's learners' ids in order
    # (and count); 7 the page's learners with their plans counted; save session.
    pin(client, "/izglitojamie/", 10)
    for name, to in (("Dace", "draft"), ("Elza", "approved"), ("Frīda", "submitted")):
        school_plan(cast, name, to=to)
    spring_plan(cast, "Pavasara")
    pin(client, "/izglitojamie/", 10)


def test_the_mentors_invitation_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.mentor_user)
    for name in ("Anna", "Berta", "Cilda"):
        invite_the_mentor(cast, name)
    # session, user, roles; 4 the semesters (the filter); 5 the invitations (pending, or of
    # these semesters) with plan, learner, school, semester and who invited; 6 the mentor's
    # plans of these semesters; save session.
    pin(client, "/uzaicinajumi/", 9)
    school_plan(cast, "Dace", mentor=cast.mentor)  # an accepted invitation
    for name in ("Elza", "Frīda"):
        invite_the_mentor(cast, name)
    pin(client, "/uzaicinajumi/", 9)


# --- The mentor registry -----------------------------------------------------------------


def registry_mentors(names):
    for name in names:
        MentorFactory(
            last_name=name,
            municipalities=[municipality("Rīga"), municipality("Jūrmala")],
        )


def test_the_regional_staffs_mentor_registry_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.staff)
    registry_mentors(["Ābele", "Bērziņa", "Cepure"])
    first = school_plan(cast, "Anna", mentor=cast.mentor)
    # session, user, roles, TOTP; 5 the semester under way; 6 the region's mentors (count);
    # 7 the municipalities and 8 the regions of the search form; 9 the page of mentors with
    # region and each one's learners this semester in a subquery; 10 their municipalities;
    # save session.
    pin(client, "/mentori/", 13)
    registry_mentors(["Dūmiņa", "Egle", "Freimane", "Gaile"])
    school_plan(cast, "Berta", mentor=cast.mentor, contract=first.contract)
    spring_plan(cast, "Pavasara", mentor=cast.mentor)
    pin(client, "/mentori/", 13)


def test_the_preparers_mentor_search_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.preparer)
    registry_mentors(["Ābele", "Bērziņa", "Cepure"])
    school_plan(cast, "Anna", mentor=cast.mentor)
    # As the staff's without TOTP: session, user, roles; 4 the semester under way; 5 the
    # mentors offered to schools (count); 6 municipalities, 7 regions of the form; 8 the page
    # of mentors with their load; 9 their municipalities; save session.
    pin(client, "/mentori/", 12)
    registry_mentors(["Dūmiņa", "Egle", "Freimane", "Gaile"])
    spring_plan(cast, "Pavasara", mentor=cast.mentor)
    pin(client, "/mentori/", 12)


def test_the_staffs_change_request_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.staff)

    def ask(name, decide=None):
        mentor = mentor_with_login(name)
        request = mentor_services.change_request_submit(
            actor=mentor.user,
            mentor=mentor,
            phone="+371 2111 2222",
            municipalities=[municipality("Rīga"), municipality("Ķekavas novads")],
        )
        if decide == "apply":
            mentor_services.change_request_apply(actor=cast.staff, change_request=request)
        elif decide == "reject":
            mentor_services.change_request_reject(
                actor=cast.staff, change_request=request, note="Nav pamatojuma"
            )

    for name, decide in (("anna", None), ("berta", "apply"), ("cilda", None)):
        ask(name, decide)
    # session, user, roles, TOTP; 5 the pending requests with mentor, region and who asked;
    # 6 the municipalities asked for; 7 the mentors' present municipalities; 8 the decided
    # requests (the last 50) with mentor and who decided; save session.
    pin(client, "/mentori/izmainu-pieprasijumi/", 11)
    for name, decide in (("dace", None), ("elza", "reject"), ("frida", None), ("gita", "apply")):
        ask(name, decide)
    pin(client, "/mentori/izmainu-pieprasijumi/", 11)


# --- Diary and hours -----------------------------------------------------------------------


def test_the_approvers_hours_queue_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.approver)
    for name in ("Anna", "Berta"):
        plan = school_plan(cast, name)
        held(plan, D(2026, 9, 8))
        held(plan, D(2026, 10, 6))
        held(plan, D(2026, 10, 13))
        confirmed(plan, SEPTEMBER)
        confirmed(plan, OCTOBER)
    # session, user, roles; 4 the ids of the months waiting, in order (and count); 5 the
    # page's months with plan, learner, mentor and whether overdue; 6 the meetings of just those
    # months; 7 the access log, one row per month shown in one INSERT (ACC-1); save session.
    pin(client, "/stundas/", 10)
    for name in ("Cilda", "Dace", "Elza", "Frīda", "Gita", "Hilda", "Ilze", "Jana", "Kristīne"):
        plan = school_plan(cast, name)
        held(plan, D(2026, 9, 8))
        held(plan, D(2026, 10, 6))
        confirmed(plan, SEPTEMBER)
        confirmed(plan, OCTOBER)
        if name in ("Cilda", "Dace"):
            held(plan, D(2026, 11, 3))
            confirmed(plan, NOVEMBER)
    # 24 months wait: 20 on the first page, 4 on the second.
    pin(client, "/stundas/", 10)
    pin(client, "/stundas/?page=2", 10)


def test_a_month_of_the_diary_as_its_mentor_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.mentor_user)
    (plan,) = mentors_plans(cast, ["Anna"])
    url = f"/dienasgramata/{plan.pk}/2026-11/"
    # session, user, roles; 4 the plan with learner and mentor; 5 the month's record;
    # 6 the month's meetings; 7 the hours used in the month; 8 the plan's months; 9 the
    # plan's meetings (date, hours) for the months' list; 10 the month's meetings again,
    # for what keeps the month from being confirmed; save session.
    pin(client, url, 13)
    for day in (4, 5, 11, 12, 17, 18):
        held(plan, D(2026, 11, day), 9)
    held(plan, D(2026, 9, 15), 9)
    pin(client, url, 13)


def test_a_month_of_the_diary_as_the_approver_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.approver)
    (plan,) = mentors_plans(cast, ["Anna"])
    url = f"/dienasgramata/{plan.pk}/2026-11/"
    # session, user, roles; 4 the plan; 5 the month's record; 6 the access log (ACC-1);
    # 7 the month's meetings; 8 the hours used; 9 the plan's months; 10 the plan's
    # meetings (date, hours); save session.
    pin(client, url, 13)
    for day in (4, 5, 11, 12, 17, 18):
        held(plan, D(2026, 11, day), 9)
    held(plan, D(2026, 9, 15), 9)
    pin(client, url, 13)


# --- Pay -----------------------------------------------------------------------------------


def test_the_mentors_pay_keeps_its_query_count(cast, client_for, pin, rate):
    client = client_for(cast.mentor_user)
    plans = mentors_plans(cast, ["Anna", "Berta", "Cilda"])
    approval_services.month_approve(
        actor=cast.approver, diary_month=plans[0].diary_months.get(month=OCTOBER)
    )
    # session, user, roles; 4 the mentor; 5 the semester under way; 6 is it among the
    # mentor's semesters (with its school year); 7 the mentor's plans of the semester;
    # 8 their months; 9 their meetings; 10 the payroll lines of those months; 11 the rates;
    # 12 the mentor's semesters with their school years (the filter); save session.
    pin(client, "/samaksa/", 15)
    mentors_plans(cast, ["Dace", "Elza"], contract=plans[0].contract)
    for plan in plans[1:]:
        approval_services.month_approve(
            actor=cast.approver, diary_month=plan.diary_months.get(month=OCTOBER)
        )
    pin(client, "/samaksa/", 15)


def test_the_mentors_pay_keeps_its_query_count_as_semesters_pass(cast, client_for, pin, rate):
    # Each semester's name in the filter comes with the semester (its school year joined),
    # not one query per semester the mentor has worked.
    client = client_for(cast.mentor_user)
    mentors_plans(cast, ["Anna", "Berta", "Cilda"])
    spring_plan(cast, "Pavasara", mentor=cast.mentor)
    response = pin(client, "/samaksa/", 15)
    assert len(response.context["semesters"]) == 2


def test_the_regional_staffs_payroll_keeps_its_query_count(cast, client_for, pin, rate):
    client = client_for(cast.staff)
    for name in ("Anna", "Berta"):
        approved(school_plan(cast, name), OCTOBER, cast.approver)
    for name in ("Cēsu", "Dobeles"):
        InstitutionFactory(name=f"{name} skola", municipality=municipality("Jūrmala"))
    # The index sends staff on to the previous month: session, user, roles, TOTP; save
    # session.
    pin(client, "/darba-samaksa/", 7, status=302)
    # session, user, roles, TOTP; 5 the region's employers (count); 6 the regions of the
    # export form; 7 the page of employers with the month's run (closed, hours, amount);
    # save session.
    pin(client, "/darba-samaksa/2026-10/", 10)
    for name in ("Engures", "Finiera", "Gulbenes"):
        InstitutionFactory(name=f"{name} skola", municipality=municipality("Jūrmala"))
    payroll_services.payroll_close(actor=cast.approver, employers=[cast.school], month=OCTOBER)
    pin(client, "/darba-samaksa/", 7, status=302)
    pin(client, "/darba-samaksa/2026-10/", 10)


# --- Supervision and evaluation ------------------------------------------------------------


def test_the_mentors_supervision_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.mentor_user)
    mentors_plans(cast, ["Anna"])
    for day in (2, 3, 4):
        sign_up(cast.mentor, session(cast, D(2026, 12, day)))
    # session, user, roles; 4 the mentor with region; 5 their target groups (the education
    # of their learners now); 6 the sessions offered, each with "mine"; 7 their sign-ups
    # with the sessions and regions; save session.
    pin(client, "/supervizijas/", 10)
    for day in (7, 8, 9):
        new = session(cast, D(2026, 12, day), place=f"Vieta {day}")
        if day % 2:
            sign_up(cast.mentor, new)
        sign_up(mentor_with_login(f"m{day}"), new)
    with on(D(2026, 11, 5)):
        sign_up(cast.mentor, session(cast, D(2026, 11, 12)))
    pin(client, "/supervizijas/", 10)


def test_the_staffs_supervision_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.staff)
    for day in (2, 3, 4):
        sign_up(mentor_with_login(f"m{day}"), session(cast, D(2026, 12, day)))
    # session, user, roles, TOTP; 5 the region's sessions (count); 6 the page of sessions
    # with region and attendance; save session.
    pin(client, "/supervizijas/", 9)
    for day in (7, 8, 9):
        new = session(cast, D(2026, 12, day), place=f"Vieta {day}")
        sign_up(mentor_with_login(f"n{day}"), new)
        sign_up(mentor_with_login(f"o{day}"), new)
    with on(D(2026, 11, 5)):
        sign_up(mentor_with_login("pagatne"), session(cast, D(2026, 11, 12)))
    pin(client, "/supervizijas/", 9)


def test_the_mentors_evaluation_list_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.mentor_user)
    plans = mentors_plans(cast, ["Anna", "Berta", "Cilda", "Dace", "Elza"])
    with on(AFTER_THE_SEMESTER):
        for plan in plans[:3]:
            evaluation_services.evaluation_start(actor=cast.preparer, plan=plan)
    # session, user, roles; 4 the semesters (the filter); 5 the mentor's evaluations
    # (waiting, or of these semesters) with plan, learner and semester; save session.
    pin(client, "/izvertesanas/", 8)
    with on(AFTER_THE_SEMESTER):
        for plan in plans[3:]:
            evaluation_services.evaluation_start(actor=cast.preparer, plan=plan)
    pin(client, "/izvertesanas/", 8)


# --- The overview's lists and the auditor ---------------------------------------------------


def evaluated(cast, name, mentor=None):
    """A plan of `name` ended early and evaluated by its mentor: "yes" to each question."""
    plan = school_plan(cast, name, mentor=mentor or mentor_with_login(name))
    plan = iap_services.plan_terminate(
        actor=cast.preparer, plan=plan, terminated_on=D(2026, 11, 20), reason="Pārcēlās"
    )
    evaluation, _started = evaluation_services.evaluation_start(actor=cast.preparer, plan=plan)
    evaluation_services.evaluation_save(
        actor=plan.mentor.user,
        evaluation=evaluation,
        answers={
            "risks_reduced": "yes",
            "confidence_strengthened": "yes",
            "development_promoted": "yes",
            "result_achieved": "Jā",
            "recommendations": "Turpināt",
            "termination_reasons": "Pārcēlās",
        },
        submit=True,
    )
    return plan


def test_the_plans_behind_an_evaluations_answer_keep_their_query_count(cast, client_for, pin):
    client = client_for(cast.staff)
    url = "/parskats/izvertesanas/?jautajums=risks_reduced&atbilde=yes"
    for name in ("Anna", "Berta"):
        evaluated(cast, name)
    # session, user, roles, TOTP; 5 the regions; 6 the semesters (the period); 7 the ids of
    # the plans with that answer, in order (and their count); 8 the page's plans with
    # learner, institution, mentor and semester; save session.
    response = pin(client, url, 11)
    assert len(response.context["page"].object_list) == 2
    for name in ("Cilda", "Dace", "Elza"):
        evaluated(cast, name)
    pin(client, url, 11)


def test_the_auditors_plan_list_keeps_its_query_count_and_logs_the_page(cast, client_for, pin):
    client = client_for(cast.auditor)
    for name, to in (("Anna", "draft"), ("Berta", "submitted"), ("Cilda", "approved")):
        school_plan(cast, name, to=to)
    # As the regional staff's plan list (12), and the access log's entry of the page read
    # (ACC-1).
    pin(client, "/iap/", 13)
    for name, to in (("Dace", "accepted"), ("Elza", "approved"), ("Frīda", "submitted")):
        school_plan(cast, name, to=to)
    pin(client, "/iap/", 13)


def test_the_sample_auditors_dashboard_keeps_its_query_count(cast, client_for, pin):
    client = client_for(cast.sample_auditor)
    for name in ("Anna", "Berta"):
        iap_services.audit_grant_give(
            actor=cast.staff,
            plan=school_plan(cast, name),
            auditor=cast.sample_auditor,
            until=D(2026, 12, 31),
        )
    # session, user, roles, TOTP; 5 the grants in force with plan, learner and semester;
    # 6 the access log's entry of the page read; save session.
    response = pin(client, "/", 9)
    assert len(response.context["audit_grants"]) == 2
    for name in ("Cilda", "Dace", "Elza"):
        iap_services.audit_grant_give(
            actor=cast.staff,
            plan=school_plan(cast, name),
            auditor=cast.sample_auditor,
            until=D(2026, 12, 31),
        )
    pin(client, "/", 9)

"""Refusals that had no test of their own. Each test cites the rule it refuses by, asserts the
exact code (and nothing else refused alongside), and checks that the refused write changed
nothing: no row added, removed or changed (every change of a tracked model adds a history
row), and the refused object as it was."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from diary import services as diary_services
from diary.models import DiaryEntry, DiaryMonth
from iap import services as iap_services
from iap.models import Invitation, Learner, Plan
from mentors import services as mentor_services
from mentors.models import ChangeRequest, Contract, Mentor
from skola_kopiena.schools.models import Institution, InstitutionSemester
from tests.factories import (
    InstitutionFactory,
    UserFactory,
    advance_plan,
    give_role,
    make_contract,
    make_learner,
    make_plan,
    month_end,
    municipality,
    pdf_upload,
    semester,
)

D = datetime.date
T = datetime.time
DAY = datetime.timedelta(days=1)
NOVEMBER = D(2026, 11, 1)

# The apps whose data a service writes. AccessLog is left out: reads are logged (ACC-1), and
# a page showing a refusal is a read.
PROJECT_APPS = {"accounts", "schools", "notifications", "mentors", "iap", "diary"}


def _database():
    """The row count of every project table, history tables included: a refused write adds,
    removes and changes nothing, so this stays the same."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and model.__name__ != "AccessLog"
    }


def _codes(error):
    """The rule IDs of a refusal: {field: [codes]} for field errors, else the set of codes."""
    if hasattr(error.value, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.value.error_dict.items()}
    return {e.code for e in error.value.error_list}


def _plan_fields(plan, **changes):
    """The plan's content as plan_update takes it, with `changes`."""
    fields = {
        "module": plan.module,
        "category": plan.category,
        "risks": [(r.risk, r.description) for r in plan.risks.all()],
        "start_date": plan.start_date,
        "strengths": plan.strengths,
        "interests": plan.interests,
        "desired_results": plan.desired_results,
        "monthly_hours": plan.monthly_hours,
        "meeting_times": plan.meeting_times,
    }
    fields.update(changes)
    return fields


# --- REG-3: a mentor hidden from the search, or not available, is not invited -------------


def _hide(cast):
    return mentor_services.mentor_set_hidden(
        actor=cast.mentor_user, mentor=cast.mentor, hidden=True
    )


def _make_unavailable(cast):
    # Project staff set this in the admin (mentors/admin.py): no service writes it.
    mentor = Mentor.objects.get(pk=cast.mentor.pk)
    mentor.is_available = False
    mentor.save()
    return mentor


@pytest.mark.parametrize("withdraw", [_hide, _make_unavailable], ids=["hidden", "unavailable"])
def test_a_mentor_out_of_the_search_is_not_invited(
    cast, plan, withdraw, django_capture_on_commit_callbacks
):
    # REG-3: a mentor may ask to be hidden from the search; staff may mark one unavailable.
    mentor = withdraw(cast)
    before = _database()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError) as error:
        iap_services.invitation_send(actor=cast.preparer, plan=plan, mentor=mentor)
    assert _codes(error) == {"REG-3"}
    assert callbacks == []  # no invitation email is queued
    assert _database() == before
    assert not Invitation.objects.exists()
    plan.refresh_from_db()
    assert plan.mentor is None


def test_the_invitation_page_does_not_find_a_hidden_mentor(cast, client_for, plan):
    # REG-3, REG-2: preparers see only searchable mentors, so the page answers 404 before
    # the service is asked.
    _hide(cast)
    client = client_for(cast.preparer)
    before = _database()
    response = client.post(f"/iap/{plan.pk}/uzaicinat/", {"mentor": cast.mentor.pk})
    assert response.status_code == 404
    assert _database() == before


# --- IAP-3: only an open invitation is withdrawn ------------------------------------------


def _declined(cast, plan):
    invitation = iap_services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    return iap_services.invitation_decline(
        actor=cast.mentor_user, invitation=invitation, reason="Nevaru"
    )


def _withdrawn(cast, plan):
    invitation = iap_services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    return iap_services.invitation_withdraw(actor=cast.preparer, invitation=invitation)


@pytest.mark.parametrize("close", [_declined, _withdrawn], ids=["declined", "withdrawn"])
def test_an_invitation_no_longer_open_is_not_withdrawn(cast, plan, close):
    # IAP-3: a declined or withdrawn invitation keeps its answer.
    invitation = close(cast, plan)
    invitation.refresh_from_db()
    status, answered_at = invitation.status, invitation.answered_at
    before = _database()
    with pytest.raises(ValidationError) as error:
        iap_services.invitation_withdraw(actor=cast.preparer, invitation=invitation)
    assert _codes(error) == {"IAP-3"}
    assert _database() == before
    invitation.refresh_from_db()
    assert (invitation.status, invitation.answered_at) == (status, answered_at)


def test_withdrawing_a_declined_invitation_on_the_page_changes_nothing(cast, client_for, plan):
    # IAP-3: the page shows the refusal and goes back to the plan.
    invitation = _declined(cast, plan)
    client = client_for(cast.preparer)
    before = _database()
    response = client.post(f"/iap/{plan.pk}/uzaicinajumi/{invitation.pk}/atsaukt/")
    assert response.status_code == 302 and response["Location"] == f"/iap/{plan.pk}/"
    assert _database() == before
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED


# --- IAP-8: continuing needs the next semester in the calendar ----------------------------


@pytest.fixture
def last_semester_plan(cast, learner):
    """An approved plan of 2026/2027's second semester, the last semester in the reference
    data (skola_kopiena/schools/migrations/0002_reference_data.py)."""
    spring = semester("2026/2027", 2)
    return advance_plan(
        make_plan(cast.preparer, learner, on_semester=spring),
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=make_contract(cast.preparer, cast.mentor, cast.school, on_semester=spring),
    )


def test_a_plan_of_the_last_semester_in_the_calendar_cannot_continue(cast, last_semester_plan):
    # IAP-8: the next semester is not in the calendar yet; project staff add it first.
    plan = last_semester_plan
    before = _database()
    with pytest.raises(ValidationError) as error:
        iap_services.plan_continue(actor=cast.preparer, plan=plan)
    assert _codes(error) == {"IAP-8"}
    assert _database() == before
    assert list(Plan.objects.all()) == [plan]


# --- IAP-6: a change of the monthly hours changes them ------------------------------------


def test_unchanged_monthly_hours_are_not_a_change(cast, client_for, active_plan):
    # IAP-6: a change with a justification is kept in history; "8 → 8" is no change.
    assert active_plan.monthly_hours == 8
    client = client_for(cast.preparer)
    before = _database()
    with pytest.raises(ValidationError) as error:
        iap_services.plan_change_hours(
            actor=cast.preparer, plan=active_plan, monthly_hours=8, reason="Tāpat"
        )
    assert _codes(error) == {"monthly_hours": ["IAP-6"]}
    assert _database() == before
    active_plan.refresh_from_db()
    assert (active_plan.monthly_hours, active_plan.hours_change_reason) == (8, "")
    # The form shows it at the hours.
    response = client.post(
        f"/iap/{active_plan.pk}/stundas/", {"monthly_hours": "8", "reason": "Tāpat"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["monthly_hours"][0].code == "IAP-6"
    assert _database() == before


# --- IAP-7: a termination date inside the plan --------------------------------------------


@pytest.mark.parametrize("side", ["before the start", "after the end"])
def test_a_termination_date_outside_the_plan_is_refused(cast, active_plan, side):
    # IAP-7
    day = (
        active_plan.start_date - DAY
        if side == "before the start"
        else active_plan.last_mentoring_day + DAY
    )
    before = _database()
    with pytest.raises(ValidationError) as error:
        iap_services.plan_terminate(
            actor=cast.preparer, plan=active_plan, terminated_on=day, reason="Pārcēlās"
        )
    assert _codes(error) == {"terminated_on": ["IAP-7"]}
    assert _database() == before
    active_plan.refresh_from_db()
    assert active_plan.status == Plan.Status.APPROVED
    assert (active_plan.terminated_on, active_plan.termination_reason) == (None, "")


# --- CAL-2, CAL-1: a plan's start date ----------------------------------------------------


@pytest.mark.parametrize("start_date", [D(2026, 8, 31), D(2026, 12, 19)], ids=["before", "after"])
def test_a_plan_does_not_start_outside_its_semester(cast, learner, start_date):
    # CAL-2: the first semester of 2026/2027 runs 01.09.2026 – 18.12.2026.
    before = _database()
    with pytest.raises(ValidationError) as error:
        make_plan(cast.preparer, learner, start_date=start_date)
    assert _codes(error) == {"start_date": ["CAL-2"]}
    assert _database() == before
    assert not Plan.objects.exists()


def test_a_plan_is_not_moved_outside_its_semester(cast, plan):
    # CAL-2: the draft of the first semester cannot start in the second.
    start_date = plan.start_date
    before = _database()
    with pytest.raises(ValidationError) as error:
        iap_services.plan_update(
            actor=cast.preparer, plan=plan, **_plan_fields(plan, start_date=D(2027, 1, 4))
        )
    assert _codes(error) == {"start_date": ["CAL-2"]}
    assert _database() == before
    plan.refresh_from_db()
    assert plan.start_date == start_date


def test_a_plan_does_not_start_before_2026(cast, learner):
    # CAL-1: the first semester of 2025/2026 lies wholly before mentoring began; a date
    # inside it is refused by CAL-1 (the learner is 13 by then, so ELIG-1 does not refuse).
    autumn = semester("2025/2026", 1)
    before = _database()
    with pytest.raises(ValidationError) as error:
        make_plan(cast.preparer, learner, on_semester=autumn, start_date=D(2025, 10, 1))
    assert _codes(error) == {"start_date": ["CAL-1"]}
    assert _database() == before
    assert not Plan.objects.exists()


def test_a_plan_is_not_moved_before_2026(cast):
    # CAL-1 through plan_update: possible only where a semester begins in 2025 and ends in
    # 2026, as a vocational institution's own dates may (CAL-2).
    vocational = InstitutionFactory(
        kind=Institution.Kind.VOCATIONAL, municipality=municipality("Ogres novads")
    )
    spring = semester("2025/2026", 2)
    InstitutionSemester.objects.create(
        institution=vocational, semester=spring, start_date=D(2025, 12, 29), end_date=D(2026, 6, 19)
    )
    preparer = UserFactory()
    give_role(preparer, "preparer", institution=vocational)
    learner = make_learner(
        preparer,
        vocational,
        birth_date=D(2009, 5, 2),
        education="vocational",
        grade=None,
        course=1,
    )
    plan = make_plan(preparer, learner, on_semester=spring, start_date=D(2026, 1, 5))
    before = _database()
    with pytest.raises(ValidationError) as error:
        iap_services.plan_update(
            actor=preparer, plan=plan, **_plan_fields(plan, start_date=D(2025, 12, 30))
        )
    assert _codes(error) == {"start_date": ["CAL-1"]}
    assert _database() == before
    plan.refresh_from_db()
    assert plan.start_date == D(2026, 1, 5)


# --- ELIG-1: a birth date in the past -----------------------------------------------------


def _learner_fields(**changes):
    fields = {
        "first_name": "Kārlis",
        "last_name": "Bērziņš",
        "birth_date": D(2012, 3, 14),
        "education": "general",
        "grade": 8,
        "course": None,
    }
    fields.update(changes)
    return fields


def test_a_learner_is_not_registered_with_a_birth_date_in_the_future(cast, client_for):
    # ELIG-1: the age is reckoned from the birth date; tomorrow is no birth date.
    client = client_for(cast.preparer)
    before = _database()
    with pytest.raises(ValidationError) as error:
        iap_services.learner_register(
            actor=cast.preparer,
            institution=cast.school,
            **_learner_fields(birth_date=D(2026, 11, 26)),
        )
    assert _codes(error) == {"birth_date": ["ELIG-1"]}
    assert _database() == before
    assert not Learner.objects.exists()
    # The form shows it at the birth date.
    response = client.post(
        "/izglitojamie/jauns/",
        {
            "first_name": "Kārlis",
            "last_name": "Bērziņš",
            "birth_date": "2026-11-26",
            "education": "general",
            "grade": "8",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["birth_date"][0].code == "ELIG-1"
    assert _database() == before


def test_a_learners_birth_date_is_not_corrected_into_the_future(cast, learner):
    # ELIG-1, through learner_update as well.
    before = _database()
    with pytest.raises(ValidationError) as error:
        iap_services.learner_update(
            actor=cast.preparer, learner=learner, **_learner_fields(birth_date=D(2027, 1, 1))
        )
    assert _codes(error) == {"birth_date": ["ELIG-1"]}
    assert _database() == before
    learner.refresh_from_db()
    assert learner.birth_date == D(2012, 3, 14)


# --- REG-1: one registry entry per email --------------------------------------------------


def test_a_change_to_another_mentors_email_is_not_applied(cast, client_for):
    # REG-1: the registry holds each email once, whatever its capitals.
    taken = cast.second_mentor.email.upper()
    request = mentor_services.change_request_submit(
        actor=cast.mentor_user, mentor=cast.mentor, email=taken, phone="+371 2999 1111"
    )
    client = client_for(cast.staff)
    before = _database()
    with pytest.raises(ValidationError) as error:
        mentor_services.change_request_apply(actor=cast.staff, change_request=request)
    assert _codes(error) == {"REG-1"}
    assert _database() == before
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.PENDING
    cast.mentor.refresh_from_db()
    cast.mentor_user.refresh_from_db()
    # Nothing of the request is applied, the phone neither.
    assert (cast.mentor.email, cast.mentor.phone) == ("mentors@example.lv", "+371 2000 0000")
    assert cast.mentor_user.email == "mentors@example.lv"
    # The coordinator's page shows it above the form.
    response = client.post(f"/mentori/izmainu-pieprasijumi/{request.pk}/", {"decision": "apply"})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["__all__"][0].code == "REG-1"
    assert _database() == before


def test_a_change_to_an_email_another_login_uses_is_refused_by_reg_1(cast):
    # REG-1: the mentor logs in with the registry email, so it cannot be someone else's login.
    request = mentor_services.change_request_submit(
        actor=cast.mentor_user, mentor=cast.mentor, email=cast.preparer.email
    )
    before = _database()
    with pytest.raises(ValidationError) as error:
        mentor_services.change_request_apply(actor=cast.staff, change_request=request)
    assert _database() == before
    assert _codes(error) == {"REG-1"}


# --- CON-3, CON-6: a contract's period and its signed file -----------------------------------


def _contract_create(cast, **changed):
    """A valid year contract of the mentor with the school, but for `changed`."""
    return mentor_services.contract_create(
        **{
            "actor": cast.preparer,
            "mentor": cast.mentor,
            "employer": cast.school,
            "school_year": semester("2026/2027", 1).school_year,
            "semester": None,
            "contract_number": "L-1",
            "signed_on": D(2026, 8, 28),
            "background_check_date": D(2026, 8, 20),
            "background_check_by": "Direktore I. Kalna",
            "signed_file": pdf_upload("ligums.pdf"),
            **changed,
        }
    )


def test_a_contract_semester_outside_its_school_year_is_refused(cast):
    # CON-3: a contract runs for one semester or the school year; the semester is of that year.
    before = _database()
    with pytest.raises(ValidationError) as error:
        _contract_create(cast, semester=semester("2025/2026", 2))
    assert _codes(error) == {"semester": ["CON-3"]}
    assert _database() == before
    assert not Contract.objects.exists()


def test_a_contract_without_its_signed_file_is_refused(cast):
    # CON-6: the signed contract is uploaded with it, through the service as through the form.
    with pytest.raises(ValidationError) as error:
        _contract_create(cast, signed_file=None)
    assert _codes(error) == {"signed_file": ["CON-6"]}
    assert not Contract.objects.exists()
    assert _contract_create(cast).signed_file  # with it, the same contract is recorded


# --- DIA-1: only the plan's mentor reports its months -------------------------------------


def _someone_else(cast, who):
    return {"another mentor": cast.second_mentor_user, "the preparer": cast.preparer}[who]


@pytest.mark.parametrize("who", ["another mentor", "the preparer"])
def test_only_the_plans_mentor_uploads_the_timesheet_scan(cast, active_plan, who):
    # DIA-1
    before = _database()
    with pytest.raises(ValidationError) as error:
        diary_services.month_upload_scan(
            actor=_someone_else(cast, who), plan=active_plan, month=NOVEMBER, file=pdf_upload()
        )
    assert _codes(error) == {"DIA-1"}
    assert _database() == before
    assert not DiaryMonth.objects.exists()


@pytest.mark.parametrize("who", ["another mentor", "the preparer"])
def test_only_the_plans_mentor_confirms_a_month(cast, active_plan, who):
    # DIA-1: on the month's last day, so that DIA-7 would not refuse; the month is empty, so
    # TS-3 would not either: the plan's own mentor could confirm it.
    before = _database()
    with month_end(NOVEMBER), pytest.raises(ValidationError) as error:
        diary_services.month_confirm(
            actor=_someone_else(cast, who), plan=active_plan, month=NOVEMBER
        )
    assert _codes(error) == {"DIA-1"}
    assert _database() == before
    assert not DiaryMonth.objects.exists()


def test_another_mentor_cannot_reach_the_confirm_page(cast, client_for, active_plan):
    # DIA-1: the plan is not theirs to see, so the page stops before the service.
    client = client_for(cast.second_mentor_user)
    before = _database()
    response = client.post(f"/dienasgramata/{active_plan.pk}/2026-11/apstiprinat/")
    assert response.status_code == 404
    assert _database() == before


# --- DIA-2: an entry has a place and a topic ----------------------------------------------


@pytest.mark.parametrize(
    "field,value",
    [("place", ""), ("place", "   "), ("topic", ""), ("topic", " \n ")],
    ids=["no place", "blank place", "no topic", "blank topic"],
)
def test_a_meeting_needs_a_place_and_a_topic(cast, active_plan, meet, field, value):
    # DIA-2: everything but the comment is required (the result after the meeting).
    before = _database()
    with pytest.raises(ValidationError) as error:
        meet(active_plan, D(2026, 12, 2), T(15, 0), T(16, 20), **{field: value})
    assert _codes(error) == {field: ["DIA-2"]}
    # The month the service opened on the way is rolled back with the refusal.
    assert _database() == before
    assert not DiaryEntry.objects.exists() and not DiaryMonth.objects.exists()

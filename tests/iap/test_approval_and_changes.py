import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from iap import services
from iap.models import Plan
from tests.factories import advance_plan, make_learner, make_plan, pdf_upload, race, semester

D = datetime.date


@pytest.fixture
def submitted_plan(cast, plan):
    return advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="submitted")


def test_the_approver_of_the_institution_approves_and_the_plan_becomes_active(
    cast, client_for, submitted_plan
):
    # IAP-5
    queue = client_for(cast.approver).get("/iap/").context["queue"]
    assert list(queue) == [submitted_plan]
    client_for(cast.approver).post(f"/iap/{submitted_plan.pk}/lemums/", {"decision": "approve"})
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == Plan.Status.APPROVED
    assert submitted_plan.decided_by == cast.approver
    mentor_page = client_for(cast.mentor_user).get("/uzaicinajumi/")
    assert submitted_plan in mentor_page.context["plans"]


def test_an_approver_returns_a_plan_with_a_reason_the_preparer_sees(
    cast, client_for, submitted_plan, django_capture_on_commit_callbacks
):
    # IAP-5
    approver = client_for(cast.approver)
    no_reason = approver.post(
        f"/iap/{submitted_plan.pk}/lemums/", {"decision": "return", "reason": ""}
    )
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == Plan.Status.SUBMITTED  # a return needs a reason
    with pytest.raises(ValidationError) as error:
        services.plan_return(actor=cast.approver, plan=submitted_plan, reason=" ")
    assert error.value.error_dict["reason"][0].code == "IAP-5"
    shown = [m.message for m in get_messages(no_reason.wsgi_request)]
    assert error.value.messages[0] in shown
    with django_capture_on_commit_callbacks(execute=True):
        approver.post(
            f"/iap/{submitted_plan.pk}/lemums/",
            {"decision": "return", "reason": "Precizējiet vēlamos rezultātus"},
        )
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == Plan.Status.RETURNED
    assert [m.to for m in mail.outbox] == [[cast.preparer.email]]
    assert "Precizējiet vēlamos rezultātus" in mail.outbox[0].body
    page = client_for(cast.preparer).get(f"/iap/{submitted_plan.pk}/").content.decode()
    assert "Precizējiet vēlamos rezultātus" in page
    # The preparer corrects and submits again.
    services.plan_submit(actor=cast.preparer, plan=submitted_plan)
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == Plan.Status.SUBMITTED


def test_only_the_approver_of_the_learners_institution_decides(cast, client_for, submitted_plan):
    # IAP-5, ACC
    assert (
        client_for(cast.youth_approver)
        .post(f"/iap/{submitted_plan.pk}/lemums/", {"decision": "approve"})
        .status_code
        == 404
    )
    assert (
        client_for(cast.preparer)
        .post(f"/iap/{submitted_plan.pk}/lemums/", {"decision": "approve"})
        .status_code
        == 403
    )
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == Plan.Status.SUBMITTED


def test_a_plan_is_approved_once(cast, submitted_plan):
    # IAP-5: a second click changes nothing and says so.
    services.plan_approve(actor=cast.approver, plan=submitted_plan)
    with pytest.raises(ValidationError) as error:
        services.plan_approve(actor=cast.approver, plan=submitted_plan)
    assert error.value.code == "IAP-5"


def test_a_submitted_plan_is_no_longer_edited(cast, client_for, submitted_plan):
    # IAP-5
    response = client_for(cast.preparer).post(
        f"/iap/{submitted_plan.pk}/labot/",
        {"start_date": "2026-11-30", "module": "II", "risks": ["immigrant"], "monthly_hours": "3"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["__all__"][0].code == "IAP-5"
    submitted_plan.refresh_from_db()
    assert submitted_plan.monthly_hours == 8


def test_mentoring_starts_only_once_the_plan_is_approved(cast, submitted_plan):
    # IAP-5
    assert not services.plan_allows_mentoring(submitted_plan, D(2026, 11, 30))
    assert services.plan_allows_mentoring(submitted_plan, D(2026, 11, 30)).code == "IAP-5"
    services.plan_approve(actor=cast.approver, plan=submitted_plan)
    submitted_plan.refresh_from_db()
    assert services.plan_allows_mentoring(submitted_plan, D(2026, 11, 30))


def test_preparer_changes_the_monthly_hours_with_a_justification_kept_in_history(
    cast, client_for, active_plan
):
    # IAP-6
    client = client_for(cast.preparer)
    refused = client.post(f"/iap/{active_plan.pk}/stundas/", {"monthly_hours": "12", "reason": ""})
    assert "reason" in refused.context["form"].errors
    # The form asks for the justification; the service refuses a blank one by IAP-6 too.
    assert refused.context["form"].errors.as_data()["reason"][0].code == "required"
    with pytest.raises(ValidationError) as error:
        services.plan_change_hours(
            actor=cast.preparer, plan=active_plan, monthly_hours=12, reason=" "
        )
    assert error.value.error_dict["reason"][0].code == "IAP-6"
    too_many = client.post(
        f"/iap/{active_plan.pk}/stundas/", {"monthly_hours": "25", "reason": "x"}
    )
    assert "monthly_hours" in too_many.context["form"].errors
    # CAP-2: at most 20 a month.
    assert too_many.context["form"].errors.as_data()["monthly_hours"][0].code == "max_value"
    client.post(
        f"/iap/{active_plan.pk}/stundas/", {"monthly_hours": "12", "reason": "Tuvojas eksāmeni"}
    )
    active_plan.refresh_from_db()
    assert active_plan.monthly_hours == 12
    record = active_plan.history.first()
    assert record.history_user == cast.preparer and record.hours_change_reason == "Tuvojas eksāmeni"
    history = client.get(f"/iap/{active_plan.pk}/vesture/").content.decode()
    assert "Tuvojas eksāmeni" in history and "8 → 12" in history.replace("&gt;", ">")


def test_a_plan_is_terminated_with_a_reason(cast, client_for, active_plan):
    # IAP-7
    client = client_for(cast.preparer)
    refused = client.post(
        f"/iap/{active_plan.pk}/partraukt/", {"terminated_on": "2026-11-30", "reason": ""}
    )
    assert "reason" in refused.context["form"].errors
    # The form asks for the reason; the service refuses a blank one by IAP-7 too.
    assert refused.context["form"].errors.as_data()["reason"][0].code == "required"
    with pytest.raises(ValidationError) as error:
        services.plan_terminate(
            actor=cast.preparer, plan=active_plan, terminated_on=D(2026, 11, 30), reason=" "
        )
    assert error.value.error_dict["reason"][0].code == "IAP-7"
    client.post(
        f"/iap/{active_plan.pk}/partraukt/",
        {"terminated_on": "2026-11-30", "reason": "Nav iespējams sazināties ar izglītojamo"},
    )
    active_plan.refresh_from_db()
    assert active_plan.status == Plan.Status.TERMINATED
    assert active_plan.termination_reason == "Nav iespējams sazināties ar izglītojamo"
    assert services.plan_allows_mentoring(active_plan, D(2026, 11, 30))
    answer = services.plan_allows_mentoring(active_plan, D(2026, 12, 1))
    assert not answer and answer.code == "IAP-7"


@pytest.fixture
def spring_plan(cast):
    learner = make_learner(cast.preparer, cast.school, first_name="Pavasaris", grade=8)
    plan = make_plan(
        cast.preparer, learner, on_semester=semester("2026/2027", 2), start_date=D(2027, 1, 4)
    )
    return advance_plan(
        plan, preparer=cast.preparer, mentor=cast.mentor, to="approved", approver=cast.approver
    )


def test_a_plan_extended_into_the_summer_allows_mentoring_until_the_measures_end(
    cast, client_for, spring_plan
):
    # CAL-4
    assert not services.plan_allows_mentoring(spring_plan, D(2027, 6, 10))
    assert services.plan_allows_mentoring(spring_plan, D(2027, 6, 10)).code == "CAL-3"
    client = client_for(cast.preparer)
    no_order = client.post(f"/iap/{spring_plan.pk}/pagarinat/", {"extended_until": "2027-06-18"})
    assert "order_file" in no_order.context["form"].errors
    # CAL-4: the head's order is asked for by the form only (the service takes any file).
    assert no_order.context["form"].errors.as_data()["order_file"][0].code == "required"
    client.post(
        f"/iap/{spring_plan.pk}/pagarinat/",
        {"extended_until": "2027-06-18", "order_file": pdf_upload("rikojums.pdf")},
    )
    spring_plan.refresh_from_db()
    assert spring_plan.extended_until == D(2027, 6, 18) and spring_plan.extension_order
    assert services.plan_allows_mentoring(spring_plan, D(2027, 6, 1))
    assert services.plan_allows_mentoring(spring_plan, D(2027, 6, 18))
    after = services.plan_allows_mentoring(spring_plan, D(2027, 6, 19))
    assert not after and after.code == "CAL-4"


def test_an_extension_ends_by_the_end_of_the_summer(cast, spring_plan):
    # CAL-4
    with pytest.raises(ValidationError) as error:
        services.plan_extend(
            actor=cast.preparer,
            plan=spring_plan,
            extended_until=D(2027, 9, 3),
            order_file=pdf_upload(),
        )
    assert "extended_until" in error.value.message_dict
    assert error.value.error_dict["extended_until"][0].code == "CAL-4"


def test_only_a_second_semester_plan_is_extended_into_the_summer(cast, active_plan):
    # CAL-4
    with pytest.raises(ValidationError) as error:
        services.plan_extend(
            actor=cast.preparer,
            plan=active_plan,
            extended_until=D(2026, 12, 30),
            order_file=pdf_upload(),
        )
    assert error.value.code == "CAL-4"


def test_the_plan_follows_the_semester_for_its_learner(cast, active_plan):
    # CAL-3 with plans: inside the plan's semester only, breaks between semesters excluded.
    assert services.plan_allows_mentoring(active_plan, D(2026, 12, 18))
    assert not services.plan_allows_mentoring(active_plan, D(2026, 12, 21))
    assert services.plan_allows_mentoring(active_plan, D(2026, 12, 21)).code == "CAL-3"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvers_approving_at_once_leave_one_approval(cast, plan):
    # IAP-5: the row is locked; the second decision finds it decided.
    plan = advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="submitted")
    results = race(lambda: services.plan_approve(actor=cast.approver, plan=plan))
    assert sorted(type(r).__name__ for r in results) == ["Plan", "ValidationError"]
    assert [r.code for r in results if isinstance(r, ValidationError)] == ["IAP-5"]
    assert Plan.history.filter(id=plan.pk, status="approved").count() == 1

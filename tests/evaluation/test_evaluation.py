"""EVA-1..6, IAP-8, IAP-9, TS-5: the semester's end of a plan, as its people live it."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from diary import services as diary_services
from evaluation import services, tasks
from evaluation.models import Decision, Evaluation
from iap import services as iap_services
from iap.models import Plan
from skola_kopiena.accounts.models import AccessLog
from tests.factories import confirm_month, on, pdf_upload, semester
from timesheets import services as approval_services

D = datetime.date
T = datetime.time
LAST_DAY = D(2026, 12, 18)  # the first semester of 2026/2027 ends (CAL-2)
AFTER = D(2026, 12, 21)  # the Monday after
CANARY = "KANĀRIJPUTNS-5521"
ANSWERS = {
    "risks_reduced": "yes",
    "risks_reduced_comment": "Tiks izdzēsts: komentārs ir tikai pie Nē vai Daļēji",
    "confidence_strengthened": "partly",
    "confidence_strengthened_comment": "Pašapziņa aug lēni",
    "development_promoted": "yes",
    "result_achieved": f"Apmeklējums uzlabojās {CANARY}",
    "recommendations": f"Turpināt reizi nedēļā {CANARY}",
}


def start(cast, plan):
    return services.evaluation_start(actor=cast.preparer, plan=plan)[0]


@pytest.fixture
def started(cast, active_plan):
    with on(AFTER):
        return start(cast, active_plan)


def submit(cast, evaluation, **answers):
    return services.evaluation_save(
        actor=cast.mentor_user, evaluation=evaluation, answers=ANSWERS | answers, submit=True
    )


def test_the_evaluation_opens_only_after_the_plans_last_day(cast, client_for, active_plan):
    # EVA-2, EVA-6: before that the mentor sees when it opens and who opens it.
    with pytest.raises(ValidationError) as error:
        start(cast, active_plan)
    assert error.value.code == "EVA-6"
    page = client_for(cast.mentor_user).get(f"/iap/{active_plan.pk}/izvertesana/")
    assert page.context["form"] is None
    assert "19.12.2026" in page.content.decode()
    with on(LAST_DAY), pytest.raises(ValidationError):
        start(cast, active_plan)
    with on(AFTER):
        evaluation, started = services.evaluation_start(actor=cast.preparer, plan=active_plan)
        again, started_again = services.evaluation_start(actor=cast.preparer, plan=active_plan)
    assert started and not started_again and again == evaluation
    assert Evaluation.objects.count() == 1


def test_a_terminated_plan_is_evaluated_at_once_with_the_reasons(cast, active_plan):
    # EVA-4, EVA-6: at once after a termination; the reasons are required.
    iap_services.plan_terminate(
        actor=cast.preparer, plan=active_plan, terminated_on=D(2026, 11, 25), reason="Pārcēlās"
    )
    active_plan.refresh_from_db()
    evaluation = start(cast, active_plan)
    with pytest.raises(ValidationError) as error:
        submit(cast, evaluation)
    assert error.value.error_dict["termination_reasons"][0].code == "EVA-4"
    submit(cast, evaluation, termination_reasons="Ģimene pārcēlās uz citu pilsētu")
    evaluation.refresh_from_db()
    assert evaluation.is_submitted


def test_the_mentor_is_told_when_the_evaluation_opens(cast, active_plan):
    # EVA-2: by email, with the link; the learner by first name and initial only.
    with on(AFTER):
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            start(cast, active_plan)
    (email,) = mail.outbox
    assert email.to == [cast.mentor.email]
    assert "Kārlis B." in email.subject
    assert f"/iap/{active_plan.pk}/izvertesana/" in email.body


def test_a_draft_keeps_what_is_typed_and_the_submission_needs_all_five_answers(
    cast, client_for, started
):
    # EVA-3: three closed questions and two open ones; a draft may be unfinished.
    client = client_for(cast.mentor_user)
    url = f"/iap/{started.plan_id}/izvertesana/"
    response = client.post(url, {"risks_reduced": "no", "risks_reduced_comment": "Vēl ne"})
    assert response.status_code == 302
    started.refresh_from_db()
    assert (started.risks_reduced, started.risks_reduced_comment) == ("no", "Vēl ne")
    assert not started.is_submitted
    refused = client.post(url, {"risks_reduced": "no", "submit": "1"})
    assert refused.status_code == 200
    codes = {
        field: [e.code for e in errors]
        for field, errors in refused.context["form"].errors.as_data().items()
    }
    assert codes == {
        "confidence_strengthened": ["EVA-3"],
        "development_promoted": ["EVA-3"],
        "result_achieved": ["EVA-3"],
        "recommendations": ["EVA-3"],
    }
    assert refused.context["form"]["risks_reduced"].value() == "no"  # nothing typed is lost


def test_a_comment_is_kept_only_for_no_or_partly(cast, started):
    # EVA-3
    evaluation = submit(cast, started)
    assert evaluation.risks_reduced_comment == ""  # answered Yes
    assert evaluation.confidence_strengthened_comment == "Pašapziņa aug lēni"


def test_a_submitted_evaluation_is_read_only_and_the_preparer_is_told(cast, started):
    # EVA-6: submitted once; EVA-5: the preparer hears of it.
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        submit(cast, started)
    assert [m.to for m in mail.outbox] == [[cast.preparer.email]]
    with pytest.raises(ValidationError) as error:
        submit(cast, started, recommendations="Mainīts")
    assert error.value.code == "EVA-6"
    started.refresh_from_db()
    assert started.recommendations == ANSWERS["recommendations"]


def test_only_the_plans_mentor_evaluates(cast, started):
    # EVA-1
    with pytest.raises(ValidationError) as error:
        services.evaluation_save(
            actor=cast.second_mentor_user, evaluation=started, answers=ANSWERS, submit=True
        )
    assert error.value.code == "EVA-1"


def test_who_reads_the_evaluation_and_the_log_of_those_reads(cast, client_for, started):
    # ACC-1: the mentor, the preparer and the region's staff read it, the approver does not;
    # every read but the mentor's is logged. DIA-6's canary: nothing reaches the approver.
    submit(cast, started)
    url = f"/iap/{started.plan_id}/izvertesana/"
    for reader in (cast.mentor_user, cast.preparer, cast.staff):
        response = client_for(reader).get(url)
        assert response.status_code == 200 and CANARY in response.content.decode()
    assert client_for(cast.approver).get(url).status_code == 403
    assert client_for(cast.other_staff).get(url).status_code == 404
    plan_page = client_for(cast.approver).get(f"/iap/{started.plan_id}/")
    assert CANARY not in plan_page.content.decode()
    logged = AccessLog.objects.filter(action=AccessLog.Action.READ_EVALUATION)
    assert sorted(logged.values_list("user__email", flat=True)) == sorted(
        [cast.preparer.email, cast.staff.email]
    )


def test_the_preparer_sees_no_draft(cast, client_for, started):
    services.evaluation_save(actor=cast.mentor_user, evaluation=started, answers=ANSWERS)
    page = client_for(cast.preparer).get(f"/iap/{started.plan_id}/izvertesana/")
    assert CANARY not in page.content.decode()
    assert not AccessLog.objects.filter(action=AccessLog.Action.READ_EVALUATION).exists()


def test_continuing_makes_next_semesters_draft_and_invites_the_mentor_again(cast, started):
    # EVA-5, IAP-8: after the evaluation only, once.
    with pytest.raises(ValidationError) as error:
        services.decision_record(actor=cast.preparer, plan=started.plan, outcome="continue")
    assert error.value.code == "EVA-5"
    submit(cast, started)
    decision, refused = services.decision_record(
        actor=cast.preparer, plan=started.plan, outcome="continue"
    )
    assert refused is None
    following = decision.next_plan
    assert following.semester == semester("2026/2027", 2) and following.status == "draft"
    assert following.invitations.get().mentor == cast.mentor
    with pytest.raises(ValidationError) as error:
        services.decision_record(actor=cast.preparer, plan=started.plan, outcome="end")
    assert error.value.code == "EVA-5"
    assert Decision.objects.count() == 1


def test_ending_the_mentoring_makes_no_new_plan(cast, client_for, started):
    # EVA-5
    submit(cast, started)
    client_for(cast.preparer).post(
        f"/iap/{started.plan_id}/izvertesana/lemums/", {"outcome": "end"}
    )
    assert Decision.objects.get().outcome == "end"
    assert Plan.objects.count() == 1


def _approve(cast, plan, month):
    diary_month = confirm_month(plan, month)
    return approval_services.month_approve(actor=cast.approver, diary_month=diary_month)


def test_a_plan_closes_only_when_everything_is_in(cast, client_for, started, meet):
    # IAP-9: the evaluation, every month approved (December with zero hours, DIA-8), the
    # decision (EVA-5) and the paper timesheets handed over (TS-5).
    plan = started.plan
    meet(plan, D(2026, 11, 25), T(7, 0), T(8, 20), result="Labi")
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=plan, month=D(2026, 11, 1), file=pdf_upload()
    )
    _approve(cast, plan, D(2026, 11, 1))
    with pytest.raises(ValidationError) as error:
        services.plan_close(actor=cast.preparer, plan=plan, timesheets_received=True)
    assert {e.code for e in error.value.error_list} == {"IAP-9", "EVA-5"}
    page = client_for(cast.preparer).get(f"/iap/{plan.pk}/izvertesana/")
    assert "Decembris 2026" in page.content.decode()  # the month still missing
    submit(cast, started)
    services.decision_record(actor=cast.preparer, plan=plan, outcome="end")
    _approve(cast, plan, D(2026, 12, 1))
    with pytest.raises(ValidationError) as error:
        services.plan_close(actor=cast.preparer, plan=plan, timesheets_received=False)
    assert error.value.error_dict["timesheets_received"][0].code == "TS-5"
    response = client_for(cast.preparer).post(
        f"/iap/{plan.pk}/slegt/", {"timesheets_received": "on"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "closed" and plan.closed_by == cast.preparer


def test_a_closed_plan_is_read_only(cast, client_for, started, meet):
    # IAP-9: nothing more is written in its diary; its pages still read.
    plan = started.plan
    submit(cast, started)
    services.decision_record(actor=cast.preparer, plan=plan, outcome="end")
    _approve(cast, plan, D(2026, 11, 1))
    _approve(cast, plan, D(2026, 12, 1))
    services.plan_close(actor=cast.preparer, plan=plan, timesheets_received=True)
    plan.refresh_from_db()
    assert iap_services.plan_allows_mentoring(plan, D(2026, 12, 1)).code == "IAP-5"
    with pytest.raises(ValidationError):
        meet(plan, D(2026, 12, 1), T(7, 0), T(8, 20))
    assert client_for(cast.mentor_user).get(f"/dienasgramata/{plan.pk}/2026-11/").status_code == 200
    assert client_for(cast.preparer).get(f"/iap/{plan.pk}/").status_code == 200


def test_the_mentor_is_reminded_three_working_days_after_the_opening(cast, active_plan):
    # EVA-1: opened on Monday 21 December; Thursday 24 is Christmas Eve, a holiday in Latvia,
    # so three working days later is Monday 28 December. Once.
    with on(AFTER):
        start(cast, active_plan)
    for day in (D(2026, 12, 23), D(2026, 12, 24)):
        with on(day):
            assert tasks.send_reminders() == 0
    with on(D(2026, 12, 28)):
        assert tasks.send_reminders() == 1
        assert tasks.send_reminders() == 0
    assert [m.to for m in mail.outbox] == [[cast.mentor.email]]


def test_steps_nine_and_ten_tick_on_the_mentors_dashboard(cast, client_for, started):
    # CHK 9, 10
    def steps():
        (card,) = client_for(cast.mentor_user).get("/").context["diary_cards"]
        return [done for _label, done in card["steps"]][8:]

    assert steps() == [False, False]
    submit(cast, started)
    assert steps() == [True, False]
    services.decision_record(actor=cast.preparer, plan=started.plan, outcome="end")
    assert steps() == [True, True]


def test_the_mentors_evaluation_list_takes_the_same_queries_for_more_plans(
    cast, client_for, started, second_active_plan, django_assert_num_queries
):
    client = client_for(cast.mentor_user)

    def listed():
        # session, user, roles; 4 the semesters (the filter); 5 the mentor's evaluations
        # (waiting, or of these semesters) with plan, learner and semester; save session.
        with django_assert_num_queries(8):
            response = client.get("/izvertesanas/")
        assert response.status_code == 200
        return len(response.context["evaluations"])

    before = listed()
    with on(AFTER):
        start(cast, second_active_plan)
    assert listed() == before + 1


def test_the_preparers_plan_list_keeps_its_queries_with_plans_evaluated_and_closed(
    cast, client_for, started, second_active_plan, django_assert_num_queries
):
    client = client_for(cast.preparer)

    def links():
        # session, user, roles; 4 the semesters (the filter's choices); 5 the plans' ids in
        # the list's order (and count); 6 the page's plans with learner, institution,
        # semester, mentor, and whether an invitation waits; save session.
        with django_assert_num_queries(9):
            response = client.get("/iap/")
        assert response.status_code == 200
        return response.content.decode().count("/iap/")

    before = links()
    submit(cast, started)
    services.decision_record(actor=cast.preparer, plan=started.plan, outcome="end")
    _approve(cast, started.plan, D(2026, 11, 1))
    _approve(cast, started.plan, D(2026, 12, 1))
    services.plan_close(actor=cast.preparer, plan=started.plan, timesheets_received=True)
    with on(AFTER):
        start(cast, second_active_plan)
    assert links() == before


def test_a_second_submission_from_an_old_tab_says_it_is_already_submitted(
    cast, client_for, started
):
    # EVA-6: submitted once; the second click changes nothing and says so.
    submit(cast, started)
    response = client_for(cast.mentor_user).post(
        f"/iap/{started.plan_id}/izvertesana/", ANSWERS | {"recommendations": "Cits", "submit": "1"}
    )
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.recommendations == ANSWERS["recommendations"]

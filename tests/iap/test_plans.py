import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from iap import services
from iap.models import Invitation, Plan
from skola_kopiena.notifications.models import SentEmail
from tests.factories import (
    MentorFactory,
    UserFactory,
    advance_plan,
    give_role,
    make_learner,
    make_plan,
    semester,
)


def test_one_plan_per_learner_per_semester(cast, client_for, plan):
    # IAP-1: refused with a message at the semester, and by the database.
    response = client_for(cast.preparer).post(
        f"/izglitojamie/{plan.learner.pk}/iap/jauns/",
        {
            "semester": plan.semester.pk,
            "start_date": "2026-11-30",
            "module": "II",
            "risks": ["immigrant"],
            "monthly_hours": "4",
        },
    )
    assert "semester" in response.context["form"].errors
    assert response.context["form"].errors.as_data()["semester"][0].code == "IAP-1"
    duplicate = Plan(
        learner=plan.learner,
        institution=plan.institution,
        semester=plan.semester,
        module="II",
        start_date=plan.start_date,
        end_date=plan.end_date,
        monthly_hours=4,
        created_by=cast.preparer,
    )
    refused = pytest.raises(IntegrityError, match="plan_one_per_learner_per_semester")
    with refused, transaction.atomic():
        duplicate.save()
    # The next semester is another plan.
    assert make_plan(cast.preparer, plan.learner, on_semester=semester("2026/2027", 2)).pk


def test_the_plan_records_the_talk_of_preparer_and_mentor(cast, client_for, learner):
    # IAP-3: profile, desired results, hours per month (at most 20), meeting times.
    response = client_for(cast.preparer).post(
        f"/izglitojamie/{learner.pk}/iap/jauns/",
        {
            "semester": semester().pk,
            "start_date": "2026-11-30",
            "module": "I",
            "category": "c",
            "strengths": "Izpalīdzīgs",
            "interests": "Basketbols",
            "desired_results": "Nekavē",
            "monthly_hours": "21",
            "meeting_times": "Pirmdienās",
        },
    )
    assert "monthly_hours" in response.context["form"].errors
    # CAP-2: at most 20 a month, the model field's own validator.
    assert response.context["form"].errors.as_data()["monthly_hours"][0].code == "max_value"
    assert not Plan.objects.exists()
    plan = make_plan(cast.preparer, learner, module="I", category="c", risks=[], monthly_hours=20)
    page = client_for(cast.preparer).get(f"/iap/{plan.pk}/").content.decode()
    for text in ("Labi zīmē", "Futbols", "Regulāri apmeklē skolu", "Otrdienās pēc 15:00"):
        assert text in page


def test_the_database_keeps_monthly_hours_between_1_and_20(cast, plan):
    # CAP-2
    plan.monthly_hours = 21
    with pytest.raises(IntegrityError, match="plan_monthly_hours_1_20"), transaction.atomic():
        plan.save()


def test_a_plan_belongs_to_its_learners_school_and_the_database_keeps_it_so(cast, plan):
    # IAP-2: the learner's school prepares the plan; the overview reads the region from it.
    assert plan.institution == plan.learner.institution == cast.school
    continued = services.plan_continue(
        actor=cast.preparer,
        plan=advance_plan(
            plan, preparer=cast.preparer, mentor=cast.mentor, to="approved", approver=cast.approver
        ),
    )
    assert continued.institution == cast.school
    if connection.vendor == "postgresql":
        refused = pytest.raises(IntegrityError, match="plan_institution_is_learners")
        with refused, transaction.atomic():
            Plan.objects.filter(pk=plan.pk).update(institution=cast.other_school)
            connection.check_constraints()  # the check is deferred to the commit


def test_a_mentor_never_prepares_a_plan(cast, client_for, learner):
    # IAP-2
    client = client_for(cast.mentor_user)
    assert client.get("/izglitojamie/jauns/").status_code == 403
    assert client.get(f"/izglitojamie/{learner.pk}/iap/jauns/").status_code == 404


def test_a_plan_lists_other_support_measures_with_providers(cast, client_for, plan):
    # IAP-4
    client = client_for(cast.preparer)
    client.post(
        f"/iap/{plan.pk}/pasakumi/", {"kind": "reading_lessons", "provider": "Bibliotekāre Inta"}
    )
    assert "Bibliotekāre Inta" in client.get(f"/iap/{plan.pk}/").content.decode()
    assert plan.measures.get().get_kind_display()


def test_preparer_finds_mentors_of_the_learners_municipality_with_their_load(
    cast, client_for, plan
):
    # IAP-3, REG-2, CAP-1: pre-filtered to the learner's municipality.
    far = MentorFactory(last_name="Tālais", municipalities=[])
    far.municipalities.set([])
    response = client_for(cast.preparer).get(f"/iap/{plan.pk}/mentori/")
    listed = list(response.context["page"].object_list)
    assert listed == [cast.mentor]
    assert listed[0].learner_count == 0
    wider = client_for(cast.preparer).get(f"/iap/{plan.pk}/mentori/", {"municipality": ""})
    assert cast.second_mentor in wider.context["page"].object_list


def test_an_invitation_reaches_the_mentor_on_the_dashboard_and_by_email(
    cast, client_for, plan, django_capture_on_commit_callbacks
):
    # IAP-3
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.preparer).post(
            f"/iap/{plan.pk}/uzaicinat/",
            {"mentor": cast.mentor.pk, "message": "Vai varat otrdienās?"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.PENDING
    assert [m.to for m in mail.outbox] == [[cast.mentor.email]]
    assert f"/uzaicinajumi/{invitation.pk}/" in mail.outbox[0].body
    dashboard = client_for(cast.mentor_user).get("/").content.decode()
    assert f"/uzaicinajumi/{invitation.pk}/" in dashboard


def test_the_mentor_sees_the_profile_without_sensitive_details(cast, client_for, plan):
    # IAP-3: first name, age, grade, strengths..., but not the risks, surname or birth date.
    services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    invitation = Invitation.objects.get()
    page = client_for(cast.mentor_user).get(f"/uzaicinajumi/{invitation.pk}/").content.decode()
    assert "Kārlis" in page and "Futbols" in page and "Labi zīmē" in page
    assert "Bērziņš" not in page
    assert "14.03.2012" not in page
    risk_label = str(plan.risks.get().get_risk_display())
    assert risk_label not in page
    # Before accepting, the plan page itself leads back to the invitation.
    assert (
        client_for(cast.mentor_user).get(f"/iap/{plan.pk}/")["Location"]
        == f"/uzaicinajumi/{invitation.pk}/"
    )


def test_the_mentor_accepts_and_the_preparer_sees_the_answer(
    cast, client_for, plan, django_capture_on_commit_callbacks
):
    # IAP-3
    services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.mentor_user).post(
            f"/uzaicinajumi/{invitation.pk}/", {"answer": "accept", "reason": "Labprāt"}
        )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.mentor == cast.mentor
    assert [m.to for m in mail.outbox] == [[cast.preparer.email]]
    page = client_for(cast.preparer).get(f"/iap/{plan.pk}/").content.decode()
    assert "Labprāt" in page


def test_a_decline_is_recorded_not_an_error(cast, client_for, plan):
    # IAP-3: the mentor may decline, with a reason; the preparer then asks someone else.
    services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    invitation = Invitation.objects.get()
    client_for(cast.mentor_user).post(
        f"/uzaicinajumi/{invitation.pk}/", {"answer": "decline", "reason": "Šosemestr nevaru"}
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    assert invitation.answer_reason == "Šosemestr nevaru"
    plan.refresh_from_db()
    assert plan.mentor is None
    # The declined plan disappears for the mentor and the preparer can invite another mentor.
    assert client_for(cast.mentor_user).get(f"/iap/{plan.pk}/").status_code == 404
    second = services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.second_mentor)
    assert second.status == Invitation.Status.PENDING


def test_one_open_invitation_per_plan(cast, plan):
    # IAP-3: one mentor at a time, also for the database.
    services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    with pytest.raises(ValidationError) as error:
        services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.second_mentor)
    assert error.value.code == "IAP-3"
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(plan=plan, mentor=cast.second_mentor, invited_by=cast.preparer)


def test_a_mentor_cannot_answer_twice_or_for_someone_else(cast, client_for, plan):
    # IAP-3: the mentor answers once; another mentor's invitation answers 404.
    services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    invitation = Invitation.objects.get()
    services.invitation_accept(actor=cast.mentor_user, invitation=invitation)
    again = client_for(cast.mentor_user).post(
        f"/uzaicinajumi/{invitation.pk}/", {"answer": "decline"}
    )
    assert again.status_code == 200
    assert again.context["form"].errors.as_data()["__all__"][0].code == "IAP-3"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert (
        client_for(cast.second_mentor_user).get(f"/uzaicinajumi/{invitation.pk}/").status_code
        == 404
    )


def _fill_mentor(cast, mentor, count):
    """Give `mentor` `count` learners (accepted plans) at the cast's school this semester."""
    for n in range(count):
        learner = make_learner(cast.preparer, cast.school, first_name=f"Skolēns{n}")
        advance_plan(
            make_plan(cast.preparer, learner), preparer=cast.preparer, mentor=mentor, to="accepted"
        )


def test_a_mentor_with_six_learners_cannot_accept_a_seventh(cast, plan):
    # CAP-1
    services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    invitation = Invitation.objects.get(plan=plan)
    _fill_mentor(cast, cast.mentor, 6)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(actor=cast.mentor_user, invitation=invitation)
    assert error.value.code == "CAP-1"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_the_registry_shows_the_real_load_and_full_mentors_cannot_be_invited(
    cast, client_for, plan
):
    # CAP-1: the count is real in the registry too.
    _fill_mentor(cast, cast.mentor, 6)
    registry = client_for(cast.preparer).get("/mentori/")
    mentor = next(m for m in registry.context["page"].object_list if m.pk == cast.mentor.pk)
    assert mentor.learner_count == 6
    with pytest.raises(ValidationError) as error:
        services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    assert error.value.code == "CAP-1"
    # Learners of another semester do not count.
    other = make_plan(cast.preparer, plan.learner, on_semester=semester("2026/2027", 2))
    assert services.invitation_send(actor=cast.preparer, plan=other, mentor=cast.mentor).pk


def test_emails_are_queued_after_commit_and_never_sent_twice(
    cast, plan, django_capture_on_commit_callbacks
):
    from iap.tasks import notify_invitation

    with django_capture_on_commit_callbacks() as callbacks:
        invitation = services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert notify_invitation(invitation.pk) is False  # a second run of the task sends nothing
    assert len(mail.outbox) == 1
    assert SentEmail.objects.filter(key=f"invitation:{invitation.pk}:sent").count() == 1


def test_emails_are_written_in_latvian(cast, plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    assert mail.outbox[0].subject.startswith("Uzaicinājums")


def test_no_email_leaves_when_the_transaction_rolls_back(cast, plan):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
        raise RuntimeError("something later failed")
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_another_schools_preparer_gets_404_for_a_plan(cast, client_for, plan):
    # ACC: the plan's existence does not leak.
    assert client_for(cast.other_preparer).get(f"/iap/{plan.pk}/").status_code == 404
    other = UserFactory()
    give_role(other, "approver", institution=cast.other_school)
    assert client_for(other).get(f"/iap/{plan.pk}/").status_code == 404


def test_preparer_confirms_the_invitation_with_a_message(cast, client_for, plan):
    # IAP-3
    client = client_for(cast.preparer)
    confirm = client.get(f"/iap/{plan.pk}/uzaicinat/", {"mentor": cast.mentor.pk})
    assert cast.mentor.email in confirm.content.decode()
    client.post(f"/iap/{plan.pk}/uzaicinat/", {"mentor": cast.mentor.pk, "message": "Zvanīšu rīt"})
    assert Invitation.objects.get().message == "Zvanīšu rīt"


def test_services_record_their_actor_in_history_outside_web_requests(cast, plan):
    # A command or a Celery task has no request: the service still names who acted.
    services.invitation_send(actor=cast.preparer, plan=plan, mentor=cast.mentor)
    invitation = Invitation.objects.get()
    services.invitation_accept(actor=cast.mentor_user, invitation=invitation)
    assert invitation.history.first().history_user == cast.mentor_user
    assert plan.history.first().history_user == cast.mentor_user
    assert plan.history.last().history_user == cast.preparer


def test_an_approved_plan_continues_next_semester_as_a_copied_draft(cast, plan):
    # IAP-8 (Choice): the copy keeps module, risks, profile, hours and other measures.
    services.measure_add(actor=cast.preparer, plan=plan, kind="reading_lessons", provider="Inta")
    active_plan = advance_plan(
        plan, preparer=cast.preparer, mentor=cast.mentor, to="approved", approver=cast.approver
    )
    copy = services.plan_continue(actor=cast.preparer, plan=active_plan)
    assert copy.semester == semester("2026/2027", 2) and copy.status == Plan.Status.DRAFT
    assert copy.mentor is None  # the mentor is asked again
    assert [r.risk for r in copy.risks.all()] == [r.risk for r in active_plan.risks.all()]
    assert (copy.strengths, copy.monthly_hours) == (
        active_plan.strengths,
        active_plan.monthly_hours,
    )
    assert [m.provider for m in copy.measures.all()] == ["Inta"]
    with pytest.raises(ValidationError) as error:
        services.plan_continue(actor=cast.preparer, plan=active_plan)
    assert error.value.error_dict["semester"][0].code == "IAP-1"
    assert Plan.objects.count() == 2


def test_a_draft_cannot_be_continued(cast, plan):
    # IAP-8
    with pytest.raises(ValidationError) as error:
        services.plan_continue(actor=cast.preparer, plan=plan)
    assert error.value.code == "IAP-8"


def test_a_plan_whose_period_is_over_says_so_on_its_page_as_everywhere(cast, client_for):
    # One status for a plan on every page: the dashboard's cards, the evaluation, the plan.
    import datetime

    from tests.factories import on, school_plan

    plan = school_plan(cast, "Anna", to="approved", mentor=cast.mentor)
    with on(datetime.date(2026, 12, 21)):
        heading = re.search(
            r"<h1>.*?</h1>",
            client_for(cast.preparer).get(f"/iap/{plan.pk}/").content.decode(),
            re.S,
        ).group()
    assert "periods beidzies" in heading and "aktīvs" not in heading

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from pypdf import PdfReader

from diary import services as diary_services
from diary.models import DiaryMonth
from skola_kopiena.accounts.models import AccessLog
from tests.factories import (
    advance_plan,
    confirm_month,
    make_contract,
    make_learner,
    make_plan,
    pdf_upload,
    race,
)
from timesheets import services

T = datetime.time
D = datetime.date
NOVEMBER = D(2026, 11, 1)
CANARY = "KANĀRIJPUTNS-7731"


@pytest.fixture
def confirmed_month(cast, active_plan, meet):
    meet(
        active_plan,
        D(2026, 11, 25),
        T(7, 0),
        T(9, 0),
        place=f"Parks {CANARY}",
        topic="Pastaiga",
        result=f"Rezultāts {CANARY}",
        comment=f"Komentārs {CANARY}",
    )
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload("grafiks.pdf")
    )
    return confirm_month(active_plan, NOVEMBER)


def test_the_employers_approver_sees_the_queue_with_date_time_hours_topic_and_scan(
    cast, client_for, confirmed_month
):
    # APR-1, DIA-6: no place, result or comment.
    response = client_for(cast.approver).get("/stundas/")
    page = response.content.decode()
    assert list(response.context["months"]) == [confirmed_month]
    assert "25.11.2026" in page and "07:00" in page and "Pastaiga" in page
    assert f"/faili/diary/diarymonth/{confirmed_month.pk}/timesheet_scan/" in page
    assert CANARY not in page


def test_the_approval_deadline_is_the_employers_own(cast, client_for, confirmed_month):
    # APR-2: November's hours by the employer's day of December.
    cast.school.hours_approval_day = 7
    cast.school.save()
    response = client_for(cast.approver).get("/stundas/")
    (month,) = response.context["months"]
    assert month.approval_deadline == D(2026, 12, 7) and not month.is_overdue
    assert "07.12.2026" in response.content.decode()


def test_approving_locks_the_month(cast, client_for, confirmed_month):
    # APR-1, APR-3
    client_for(cast.approver).post(
        f"/stundas/{confirmed_month.pk}/lemums/", {"decision": "approve"}
    )
    confirmed_month.refresh_from_db()
    assert confirmed_month.status == DiaryMonth.Status.APPROVED
    assert confirmed_month.decided_by == cast.approver
    with pytest.raises(ValidationError) as error:
        diary_services.entry_create(
            actor=cast.mentor_user,
            plan=confirmed_month.plan,
            date=D(2026, 11, 24),
            start_time=T(8, 0),
            end_time=T(9, 0),
            place="Parks",
            topic="x",
        )
    assert error.value.error_dict["date"][0].code == "DIA-7"  # locked for the mentor


def test_a_returned_month_goes_back_to_the_mentor_with_the_reason(
    cast, client_for, confirmed_month, django_capture_on_commit_callbacks
):
    # APR-3
    client = client_for(cast.approver)
    no_reason = client.post(
        f"/stundas/{confirmed_month.pk}/lemums/", {"decision": "return", "reason": ""}
    )
    confirmed_month.refresh_from_db()
    assert confirmed_month.status == DiaryMonth.Status.CONFIRMED  # a reason is required
    with pytest.raises(ValidationError) as error:
        services.month_return(actor=cast.approver, diary_month=confirmed_month, reason=" ")
    assert error.value.error_dict["reason"][0].code == "APR-3"
    # Said at that month's reason, on the queue the approver is looking at.
    assert no_reason.status_code == 200
    section = re.search(
        rf'<section class="card" id="menesis-{confirmed_month.pk}">.*?</section>',
        no_reason.content.decode(),
        re.S,
    ).group()
    assert error.value.messages[0] in section and 'class="field field-error"' in section
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/stundas/{confirmed_month.pk}/lemums/",
            {"decision": "return", "reason": "Grafikā trūkst paraksta"},
        )
    confirmed_month.refresh_from_db()
    assert confirmed_month.status == DiaryMonth.Status.RETURNED
    assert [m.to for m in mail.outbox] == [[cast.mentor.email]]
    page = (
        client_for(cast.mentor_user)
        .get(f"/dienasgramata/{confirmed_month.plan_id}/2026-11/")
        .content.decode()
    )
    assert "Grafikā trūkst paraksta" in page
    # The mentor corrects and confirms again.
    month = confirm_month(confirmed_month.plan, NOVEMBER)
    assert month.status == DiaryMonth.Status.CONFIRMED


def test_only_the_employers_approver_decides(cast, client_for, confirmed_month):
    # APR-1: the youth centre does not employ this mentor; the preparer never approves.
    assert (
        client_for(cast.youth_approver)
        .post(f"/stundas/{confirmed_month.pk}/lemums/", {"decision": "approve"})
        .status_code
        == 404
    )
    assert (
        client_for(cast.preparer)
        .post(f"/stundas/{confirmed_month.pk}/lemums/", {"decision": "approve"})
        .status_code
        == 403
    )
    confirmed_month.refresh_from_db()
    assert confirmed_month.status == DiaryMonth.Status.CONFIRMED


def test_a_youth_centre_approves_the_months_of_the_mentors_it_employs(cast, client_for, meet):
    # APR-1: the employer is the one that holds the contract.
    learner = make_learner(cast.preparer, cast.school, first_name="Jaunietis")
    plan = make_plan(cast.preparer, learner)
    contract = make_contract(cast.preparer, cast.mentor, cast.youth_centre)
    plan = advance_plan(
        plan,
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=contract,
    )
    meet(plan, D(2026, 11, 25), T(7, 0), T(8, 0), result="Labi")
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=plan, month=NOVEMBER, file=pdf_upload()
    )
    month = confirm_month(plan, NOVEMBER)
    assert list(client_for(cast.youth_approver).get("/stundas/").context["months"]) == [month]
    assert list(client_for(cast.approver).get("/stundas/").context["months"]) == []


def test_only_project_staff_reopen_an_approved_month_with_a_reason(
    cast, client_for, confirmed_month
):
    # APR-3
    services.month_approve(actor=cast.approver, diary_month=confirmed_month)
    assert (
        client_for(cast.approver)
        .post(f"/stundas/{confirmed_month.pk}/atvert/", {"reason": "x"})
        .status_code
        == 403
    )
    staff = client_for(cast.staff)
    no_reason = staff.post(f"/stundas/{confirmed_month.pk}/atvert/", {"reason": ""})
    confirmed_month.refresh_from_db()
    assert confirmed_month.status == DiaryMonth.Status.APPROVED
    with pytest.raises(ValidationError) as error:
        services.month_reopen(actor=cast.staff, diary_month=confirmed_month, reason=" ")
    assert error.value.error_dict["reason"][0].code == "APR-3"
    assert error.value.messages[0] in [m.message for m in get_messages(no_reason.wsgi_request)]
    staff.post(f"/stundas/{confirmed_month.pk}/atvert/", {"reason": "Neatbilst grafikam"})
    confirmed_month.refresh_from_db()
    assert confirmed_month.status == DiaryMonth.Status.RETURNED
    assert confirmed_month.reopen_reason == "Neatbilst grafikam"


def test_project_staff_verify_hours_with_the_full_diary(cast, client_for, confirmed_month):
    # APR-4, DIA-6: staff see place, result and comment; the preparer sees status and hours.
    staff_page = (
        client_for(cast.staff)
        .get(f"/dienasgramata/{confirmed_month.plan_id}/2026-11/")
        .content.decode()
    )
    assert f"Parks {CANARY}" in staff_page and f"Rezultāts {CANARY}" in staff_page
    preparer = client_for(cast.preparer).get(f"/dienasgramata/{confirmed_month.plan_id}/2026-11/")
    assert preparer.status_code == 200
    assert CANARY not in preparer.content.decode()
    assert "Pastaiga" not in preparer.content.decode()
    assert preparer.context["used"] == 3


def test_the_canary_reaches_no_one_but_the_mentor_and_staff(cast, client_for, confirmed_month):
    # DIA-6: HTML, PDF and history pages of the preparer and the approver.
    plan_id = confirmed_month.plan_id
    for user in (cast.preparer, cast.approver):
        client = client_for(user)
        for url in (
            f"/iap/{plan_id}/",
            f"/iap/{plan_id}/vesture/",
            "/stundas/",
            "/iap/",
            f"/dienasgramata/{plan_id}/2026-11/",
        ):
            response = client.get(url)
            if response.status_code == 200:
                assert CANARY not in response.content.decode(), (user, url)
        pdf = client.get(f"/dienasgramata/{plan_id}/grafiks.pdf")
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert CANARY not in text


def test_every_read_of_a_diary_by_someone_else_is_logged(cast, client_for, confirmed_month):
    # ACC-1
    url = f"/dienasgramata/{confirmed_month.plan_id}/2026-11/"
    client_for(cast.mentor_user).get(url)
    assert not AccessLog.objects.exists()  # the mentor's own reads are not logged
    client_for(cast.approver).get(url)
    client_for(cast.staff).get(url)
    client_for(cast.approver).get(f"/dienasgramata/{confirmed_month.plan_id}/grafiks.pdf")
    logged = list(
        AccessLog.objects.order_by("at").values_list("user__email", "action", "object_id")
    )
    assert logged == [
        (cast.approver.email, "read_diary", str(confirmed_month.plan_id)),
        (cast.staff.email, "read_diary", str(confirmed_month.plan_id)),
        (cast.approver.email, "print_timesheet", str(confirmed_month.plan_id)),
    ]


def test_the_approval_queue_keeps_its_query_count(
    cast, client_for, confirmed_month, meet, django_assert_num_queries
):
    client = client_for(cast.approver)
    # session, user, roles; 4 the months waiting (count, for the pages); 5 the page of months
    # with plan, learner, mentor and whether overdue; 6 the meetings of just those months;
    # 7 the access log, one row per month in one INSERT (ACC-1); save session (3).
    with django_assert_num_queries(10):
        client.get("/stundas/")
    for n in range(5):
        learner = make_learner(cast.preparer, cast.school, first_name=f"Rinda{n}")
        plan = advance_plan(
            make_plan(cast.preparer, learner),
            preparer=cast.preparer,
            mentor=cast.mentor,
            to="approved",
            approver=cast.approver,
            contract=confirmed_month.plan.contract,
        )
        meet(plan, D(2026, 11, 25), T(1 + n, 0), T(1 + n, 40), result="Labi")
        diary_services.month_upload_scan(
            actor=cast.mentor_user, plan=plan, month=NOVEMBER, file=pdf_upload()
        )
        confirm_month(plan, NOVEMBER)
    with django_assert_num_queries(10):
        response = client.get("/stundas/")
    assert len(response.context["months"]) == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvers_approving_one_month_at_once_leave_one_approval(cast, active_plan, meet):
    # APR-3: the second finds the month approved and says so.
    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 0), result="Labi")
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload()
    )
    month = confirm_month(active_plan, NOVEMBER)
    results = race(lambda: services.month_approve(actor=cast.approver, diary_month=month))
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 1 and len(results) == 2
    assert refusals[0].code == "APR-3"
    assert DiaryMonth.history.filter(id=month.pk, status="approved").count() == 1


def test_the_employers_approver_is_told_once_that_hours_wait(
    cast, active_plan, meet, django_capture_on_commit_callbacks
):
    # APR-1
    from diary.tasks import notify_month_confirmed

    meet(active_plan, D(2026, 11, 25), T(7, 0), T(8, 0), result="Labi")
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=active_plan, month=NOVEMBER, file=pdf_upload()
    )
    with django_capture_on_commit_callbacks(execute=True):
        month = confirm_month(active_plan, NOVEMBER)
    assert [m.to for m in mail.outbox] == [[cast.approver.email]]
    assert "/stundas/" in mail.outbox[0].body
    assert notify_month_confirmed(month.pk, month.confirmed_at.isoformat()) == 0
    assert len(mail.outbox) == 1

"""Who sees what of a diary (DIA-6, APR-1), every read of it logged (ACC-1), and the access
log itself scoped and filtered like the rest of the portal."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from diary import services as diary_services
from skola_kopiena.accounts.models import AccessLog, Role
from tests.factories import (
    advance_plan,
    confirm_month,
    give_role,
    make_contract,
    make_learner,
    make_plan,
    pdf_upload,
)

T = datetime.time
D = datetime.date
NOVEMBER = D(2026, 11, 1)
CANARY = "ŽUBĪTE-4410"


@pytest.fixture
def youth_month(cast, meet):
    """A confirmed month of a school's learner whose mentor the youth centre employs."""
    plan = advance_plan(
        make_plan(cast.preparer, make_learner(cast.preparer, cast.school, first_name="Jānis")),
        preparer=cast.preparer,
        mentor=cast.mentor,
        to="approved",
        approver=cast.approver,
        contract=make_contract(cast.preparer, cast.mentor, cast.youth_centre),
    )
    meet(
        plan,
        D(2026, 11, 25),
        T(7, 0),
        T(9, 0),
        place=f"Parks {CANARY}",
        topic="Muzeja apmeklējums",
        result=f"Rezultāts {CANARY}",
        comment=f"Komentārs {CANARY}",
    )
    diary_services.month_upload_scan(
        actor=cast.mentor_user, plan=plan, month=NOVEMBER, file=pdf_upload()
    )
    return confirm_month(plan, NOVEMBER)


def _pdf_text(response):
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_the_employers_approver_sees_date_time_hours_and_topic_everywhere(
    cast, client_for, youth_month
):
    # APR-1, DIA-6: the same fields on the month page, in the queue and in the PDF.
    client = client_for(cast.youth_approver)
    plan_id = youth_month.plan_id
    month_page = client.get(f"/dienasgramata/{plan_id}/2026-11/").content.decode()
    queue = client.get("/stundas/").content.decode()
    pdf = _pdf_text(client.get(f"/dienasgramata/{plan_id}/grafiks.pdf"))
    for shown in (month_page, queue, pdf):
        assert "Muzeja apmeklējums" in shown and "25.11.2026" in shown
        assert CANARY not in shown
    assert "07:00" in month_page and "07:00" in queue


def test_the_learners_school_sees_totals_only_when_another_employer_holds_the_contract(
    cast, client_for, youth_month
):
    # APR-1: the school's approver does not employ this mentor; DIA-6: the preparer never
    # sees diary content, and their timesheet is the blank form.
    plan_id = youth_month.plan_id
    for user in (cast.approver, cast.preparer):
        client = client_for(user)
        page = client.get(f"/dienasgramata/{plan_id}/2026-11/")
        assert page.status_code == 200 and page.context["used"] == 3
        pdf = _pdf_text(client.get(f"/dienasgramata/{plan_id}/grafiks.pdf"))
        for shown in (page.content.decode(), pdf):
            assert "Muzeja apmeklējums" not in shown and CANARY not in shown
        assert youth_month.plan.learner.full_name in pdf
    assert youth_month not in client_for(cast.approver).get("/stundas/").context["months"]
    assert not AccessLog.objects.exists()  # totals and a blank form are no diary reads


def test_a_youth_centre_approver_opens_no_plan_documents(cast, client_for, youth_month):
    plan = youth_month.plan
    client = client_for(cast.youth_approver)
    page = client.get(f"/iap/{plan.pk}/").content.decode()
    assert "application_file" not in page and "vienosanas.pdf" not in page
    assert client.get(f"/faili/iap/plan/{plan.pk}/application_file/").status_code == 404
    assert client.get(f"/faili/iap/plan/{plan.pk}/agreement_scan/").status_code == 404
    assert client.get(f"/iap/{plan.pk}/vienosanas.pdf").status_code == 403
    scan = client.get(f"/faili/diary/diarymonth/{youth_month.pk}/timesheet_scan/")
    assert scan.status_code == 200  # the month's own scan is theirs to approve


def test_the_approver_sees_a_plan_from_its_submission_on(cast, client_for, plan):
    # The roles table: plans of their institution from submission on, never drafts.
    client = client_for(cast.approver)
    assert client.get(f"/iap/{plan.pk}/").status_code == 404
    assert plan not in client.get("/iap/").context["page"].object_list
    advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="submitted")
    assert client.get(f"/iap/{plan.pk}/").status_code == 200
    assert client.get(f"/iap/{plan.pk}/vesture/").status_code == 200


def test_every_read_of_diary_content_names_the_plan_month_and_mentor(cast, client_for, youth_month):
    # ACC-1: the queue, the month page, the PDF and the admin's month page.
    plan = youth_month.plan
    client_for(cast.youth_approver).get("/stundas/")
    client_for(cast.youth_approver).get(f"/dienasgramata/{plan.pk}/grafiks.pdf")
    client_for(cast.staff).get(f"/dienasgramata/{plan.pk}/2026-11/")
    client_for(cast.staff).get(f"/admin/diary/diarymonth/{youth_month.pk}/change/")
    client_for(cast.staff).get(f"/admin/diary/diarymonth/{youth_month.pk}/history/")
    # The delete page shows nothing of the month (and is refused): no read to log.
    refused = client_for(cast.staff).get(f"/admin/diary/diarymonth/{youth_month.pk}/delete/")
    assert refused.status_code == 403
    logged = list(
        AccessLog.objects.order_by("at", "pk").values_list(
            "user__email", "action", "plan_pk", "month", "mentor_name", "region_id"
        )
    )
    november = (plan.pk, NOVEMBER, "Anna Bērziņa", cast.riga.pk)
    assert logged == [
        (cast.youth_approver.email, "approval_queue", *november),
        (cast.youth_approver.email, "print_timesheet", plan.pk, None, *november[2:]),
        (cast.staff.email, "read_diary", *november),
        (cast.staff.email, "admin_view", *november),
        (cast.staff.email, "admin_view", *november),
    ]


def test_the_access_log_is_scoped_to_the_readers_region_and_filtered(
    cast, client_for, youth_month, active_plan
):
    # ACC-1
    client_for(cast.staff).get(f"/dienasgramata/{youth_month.plan_id}/2026-11/")
    client_for(cast.admin).get(f"/dienasgramata/{active_plan.pk}/2026-11/")
    riga = client_for(cast.staff)
    assert riga.get("/admin/accounts/accesslog/").context["cl"].result_count == 2
    page = riga.get("/admin/accounts/accesslog/").content.decode()
    # Words, not codes: the action, and the diary's plan and month.
    assert '<td class="field-action">skatīja dienasgrāmatu</td>' in page
    assert str(youth_month.plan) in page and "11.2026" in page
    vidzeme = client_for(cast.other_staff).get("/admin/accounts/accesslog/")
    assert vidzeme.context["cl"].result_count == 0
    for query, expected in (
        (f"plan_pk={youth_month.plan_id}", [cast.staff]),
        (f"user__id__exact={cast.admin.pk}", [cast.admin]),
        (f"mentor_pk={cast.mentor.pk}", [cast.admin, cast.staff]),
        ("at__day=25&at__month=11&at__year=2026", [cast.admin, cast.staff]),
    ):
        response = riga.get(f"/admin/accounts/accesslog/?{query}")
        assert [e.user for e in response.context["cl"].result_list] == expected, query


def test_a_coordinator_of_several_regions_sees_all_of_them(cast, client_for):
    give_role(cast.staff, Role.STAFF, region=cast.vidzeme)
    client = client_for(cast.staff)
    assert client.get(f"/mentori/{cast.second_mentor.pk}/").status_code == 200
    listed = client.get("/admin/mentors/mentor/").context["cl"].result_list
    assert {cast.mentor, cast.second_mentor} <= set(listed)
    assert client.get(f"/admin/mentors/mentor/{cast.second_mentor.pk}/change/").status_code == 200


def test_the_admin_asks_for_the_users_roles_once_per_request(cast, client_for, active_plan):
    client = client_for(cast.staff)
    with CaptureQueriesContext(connection) as index:
        assert client.get("/admin/").status_code == 200
    # The session, the user, their roles (once, not per model), the MFA check, the recent
    # actions box, and the session's new expiry in a savepoint (three statements).
    assert len(index) == 8, "\n".join(q["sql"][:90] for q in index)

    def counts():
        result = {}
        for changelist in ADMIN_CHANGELIST_QUERIES:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(changelist).status_code == 200
            result[changelist] = len(queries)
        return result

    assert counts() == ADMIN_CHANGELIST_QUERIES
    for n in range(4):
        learner = make_learner(cast.preparer, cast.school, first_name=f"Saraksts{n}")
        make_plan(cast.preparer, learner)
    assert counts() == ADMIN_CHANGELIST_QUERIES  # the same with more rows


# The coordinator's main admin lists: the eight queries of every admin page above, plus the
# list's one count (up to 10 000 rows; never the unfiltered total as well), its rows and the
# choices of its filters (the plan list filters by semester, each named with its school year
# in the same query, and by region); the access log's dates come from its first and last row.
ADMIN_CHANGELIST_QUERIES = {
    "/admin/iap/plan/": 11,
    "/admin/iap/learner/": 10,
    "/admin/diary/diarymonth/": 10,
    "/admin/mentors/mentor/": 10,
    "/admin/mentors/contract/": 11,
    "/admin/accounts/user/": 9,
    "/admin/accounts/accesslog/": 10,
}

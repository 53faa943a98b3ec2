"""Issue 12 (national scale), as the people using the pages notice it: lists show this and
later semesters unless an earlier one is chosen, the dashboards count what the lists show,
the approver's hours come a page of months at a time, the admin counts only so far, and its
date drill-down comes from the first and the last row."""

import datetime
import html
import re

from diary import services as diary_services
from evaluation import services as evaluation_services
from iap import services as iap_services
from iap.models import Plan
from skola_kopiena.accounts.models import AccessLog
from skola_kopiena.accounts.permissions import acting_for
from skola_kopiena.accounts.services import access_log_record
from skola_kopiena.admin_site import CountUpToPaginator
from tests.factories import (
    advance_plan,
    confirm_month,
    make_contract,
    make_learner,
    make_plan,
    on,
    pdf_upload,
    school_plan,
    semester,
    spring_plan,
)
from timesheets import services as approval_services
from timesheets.views import QUEUE_PAGE_SIZE

D = datetime.date
T = datetime.time
SEPTEMBER, OCTOBER, NOVEMBER = D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1)


def listed(response):
    return {plan.learner.first_name for plan in response.context["page"].object_list}


# --- The plan list: this and later semesters by default -------------------------------------


def test_the_plan_list_shows_this_and_later_semesters_but_not_last_spring(cast, client_for):
    school_plan(cast, "Rudens", to="draft")
    make_plan(
        cast.preparer,
        make_learner(cast.preparer, cast.school, first_name="Nākamais"),
        on_semester=semester("2026/2027", 2),
    )
    spring_plan(cast, "Pavasaris")
    response = client_for(cast.preparer).get("/iap/")
    assert listed(response) == {"Rudens", "Nākamais"}
    page = response.content.decode()
    assert "Pavasaris" not in page
    # The filter says what is shown, and offers the earlier semester to choose.
    assert '<option value="">Šis un nākamie semestri</option>' in page
    assert f'<option value="{semester("2025/2026", 2).pk}">' in page


def test_the_plan_list_shows_last_springs_plans_when_that_semester_is_chosen(cast, client_for):
    school_plan(cast, "Rudens", to="draft")
    spring_plan(cast, "Pavasaris")
    spring = semester("2025/2026", 2)
    response = client_for(cast.preparer).get(f"/iap/?semestris={spring.pk}")
    assert listed(response) == {"Pavasaris"}
    assert f'<option value="{spring.pk}" selected>' in response.content.decode()


def test_staff_and_the_approver_see_last_springs_plans_only_when_they_choose_it(cast, client_for):
    school_plan(cast, "Rudens", to="submitted")
    spring_plan(cast, "Pavasaris")
    spring = semester("2025/2026", 2)
    for user in (cast.staff, cast.approver):
        client = client_for(user)
        assert listed(client.get("/iap/")) == {"Rudens"}
        assert listed(client.get(f"/iap/?semestris={spring.pk}")) == {"Pavasaris"}


def test_an_unknown_semester_in_the_address_falls_back_to_this_and_later(cast, client_for):
    school_plan(cast, "Rudens", to="draft")
    spring_plan(cast, "Pavasaris")
    for value in ("999999", "abc", ""):
        assert listed(client_for(cast.preparer).get(f"/iap/?semestris={value}")) == {"Rudens"}


# --- The dashboards count what the list shows -------------------------------------------------


STATUS_LABELS = {"approved": "aktīvi", "submitted": "gaida apstiprināšanu", "draft": "melnraksti"}


def _counts_match_the_list(client):
    page = client.get("/").content.decode()
    for status, label in STATUS_LABELS.items():
        shown = client.get(f"/iap/?statuss={status}").context["page"].paginator.count
        assert f"{label}: {shown}<" in page, (status, shown)


def test_the_preparers_dashboard_counts_the_plans_the_list_shows(cast, client_for):
    school_plan(cast, "Rudens")
    school_plan(cast, "Ziema", to="submitted")
    school_plan(cast, "Melnraksts", to="draft")
    spring_plan(cast, "Pavasaris")
    spring_plan(cast, "Vasara")
    client = client_for(cast.preparer)
    assert client.get("/").context["plan_counts"] == {"approved": 1, "submitted": 1, "draft": 1}
    _counts_match_the_list(client)


def test_the_staffs_dashboard_counts_the_plans_the_list_shows(cast, client_for):
    school_plan(cast, "Rudens")
    school_plan(cast, "Ziema", to="submitted")
    spring_plan(cast, "Pavasaris")
    client = client_for(cast.staff)
    assert client.get("/").context["plan_counts"] == {"approved": 1, "submitted": 1}
    _counts_match_the_list(client)


# --- The approver's hours: a page of months, each with its own meetings -------------------------

TOPICS = {SEPTEMBER: "Septembra tēma", OCTOBER: "Oktobra tēma", NOVEMBER: "Novembra tēma"}


def _months_waiting(cast, plans):
    """Seven plans, each with September, October and November confirmed: 21 months."""
    for n in range(plans):
        plan = school_plan(cast, f"Skolēns{n}")
        for month, topic in TOPICS.items():
            diary_services.entry_create(
                actor=plan.mentor.user,
                plan=plan,
                date=month + datetime.timedelta(days=7),
                start_time=T(15, 0),
                end_time=T(16, 0),
                place="Bibliotēka",
                topic=topic,
                result="Izdevās",
            )
            diary_services.month_upload_scan(
                actor=plan.mentor.user, plan=plan, month=month, file=pdf_upload("grafiks.pdf")
            )
            confirm_month(plan, month)


def _cards(response):
    return response.content.decode().split('<section class="card" id="menesis-')[1:]


def test_the_approver_sees_twenty_months_on_the_first_page_and_the_rest_on_the_second(
    cast, client_for
):
    _months_waiting(cast, 7)
    client = client_for(cast.approver)
    first = client.get("/stundas/")
    assert QUEUE_PAGE_SIZE == 20
    assert len(first.context["months"]) == 20 and len(_cards(first)) == 20
    second = client.get("/stundas/?page=2")
    assert len(second.context["months"]) == 1 and len(_cards(second)) == 1
    shown = [m.pk for m in first.context["months"]] + [m.pk for m in second.context["months"]]
    assert len(set(shown)) == 21
    # Oldest first: every September, then every October, then November.
    assert [m.month for m in first.context["months"]] == [SEPTEMBER] * 7 + [OCTOBER] * 7 + [
        NOVEMBER
    ] * 6
    assert 'href="?page=2"' in first.content.decode()


def test_a_month_of_an_earlier_school_year_still_waits_beside_this_years(cast, client_for):
    # APR-1, CON-3: the queue and the count read the employer's contracts of the school years
    # of the months waiting; last spring's month, still waiting, is among them.
    spring = spring_plan(cast, "Pavasaris")
    march = D(2026, 3, 1)
    diary_services.entry_create(
        actor=spring.mentor.user,
        plan=spring,
        date=D(2026, 3, 10),
        start_time=T(15, 0),
        end_time=T(16, 0),
        place="Bibliotēka",
        topic="Marta tēma",
        result="Izdevās",
    )
    diary_services.month_upload_scan(
        actor=spring.mentor.user, plan=spring, month=march, file=pdf_upload("grafiks.pdf")
    )
    confirm_month(spring, march)
    _months_waiting(cast, 1)
    client = client_for(cast.approver)
    queue = client.get("/stundas/")
    assert [m.month for m in queue.context["months"]] == [march, SEPTEMBER, OCTOBER, NOVEMBER]
    assert client.get("/").context["months_to_approve"]["waiting"] == 4


def test_each_month_in_the_queue_shows_its_own_meetings_only(cast, client_for):
    _months_waiting(cast, 7)
    client = client_for(cast.approver)
    for url in ("/stundas/", "/stundas/?page=2"):
        response = client.get(url)
        for month, card in zip(response.context["months"], _cards(response), strict=True):
            assert [e["topic"] for e in month.approval_entries] == [TOPICS[month.month]]
            # On the page, the card of the month names only that month's meeting.
            assert [t for t in TOPICS.values() if t in card] == [TOPICS[month.month]]


def test_the_access_log_gets_one_row_for_each_month_the_page_shows(cast, client_for):
    # ACC-1: the approver read these months' diaries, and no other.
    _months_waiting(cast, 7)
    client = client_for(cast.approver)
    first = client.get("/stundas/")
    logged = AccessLog.objects.filter(action=AccessLog.Action.APPROVAL_QUEUE)
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(
        str(m.pk) for m in first.context["months"]
    )
    assert set(logged.values_list("user", flat=True)) == {cast.approver.pk}
    second = client.get("/stundas/?page=2")
    (last,) = second.context["months"]
    assert logged.count() == 21
    assert logged.filter(object_id=str(last.pk), month=NOVEMBER).count() == 1


def test_an_approved_month_leaves_the_queue_and_the_next_one_moves_up(cast, client_for):
    _months_waiting(cast, 7)
    client = client_for(cast.approver)
    first = client.get("/stundas/").context["months"][0]
    approval_services.month_approve(actor=cast.approver, diary_month=first)
    response = client.get("/stundas/")
    assert len(response.context["months"]) == 20 and first not in response.context["months"]
    assert response.context["page"].paginator.num_pages == 1
    assert 'href="?page=2"' not in response.content.decode()


# --- The admin's lists: counted up to a limit -----------------------------------------------------


def test_the_admins_list_says_more_than_when_over_the_count_limit(cast, client_for, monkeypatch):
    monkeypatch.setattr(CountUpToPaginator, "COUNT_UP_TO", 2)
    page = client_for(cast.admin).get("/admin/accounts/user/").content.decode()
    assert "vairāk nekā 2 ierakstu" in page


def test_the_admins_list_gives_the_exact_count_within_the_limit(cast, client_for, monkeypatch):
    users = type(cast.admin).objects.count()
    response = client_for(cast.admin).get("/admin/accounts/user/")
    page = response.content.decode()
    assert f"{users} ieraksti" in page and "vairāk nekā" not in page
    # Exactly at the limit, the count is still exact.
    monkeypatch.setattr(CountUpToPaginator, "COUNT_UP_TO", users)
    page = client_for(cast.admin).get("/admin/accounts/user/").content.decode()
    assert f"{users} ieraksti" in page and "vairāk nekā" not in page


def test_a_filtered_admin_list_counts_only_the_filtered_rows(cast, client_for, monkeypatch):
    monkeypatch.setattr(CountUpToPaginator, "COUNT_UP_TO", 2)
    page = client_for(cast.admin).get("/admin/accounts/user/?q=mentors").content.decode()
    # The two mentors' logins, and no "of N in all" beside it.
    assert "2 ieraksti" in page and "vairāk nekā" not in page


# --- The access log's date drill-down: from the first and the last row --------------------------


def _log_at(cast, plan, *moments):
    """One access-log row at each moment (Riga's noon of a date)."""
    acting = acting_for(cast.approver)
    for moment in moments:
        entry = access_log_record(acting=acting, action=AccessLog.Action.READ_DIARY, obj=plan)
        at = datetime.datetime.combine(moment, T(12, 0), tzinfo=datetime.UTC)
        AccessLog.objects.filter(pk=entry.pk).update(at=at)


def _date_links(page):
    """The drill-down's links after the one back (href, title), as the page shows them."""
    nav = re.search(r'<nav class="toplinks">(.*?)</nav>', page, re.S).group(1)
    return [
        (html.unescape(link), title)
        for link, title in re.findall(r'<a href="([^"]*)">([^<]*)</a>', nav)
    ]


def _back_link(page):
    found = re.search(r'<a href="([^"]*)" class="date-back">&lsaquo; ([^<]*)</a>', page)
    return found and (html.unescape(found.group(1)), found.group(2))


def test_the_access_log_offers_the_years_from_its_first_to_its_last_entry(cast, client_for):
    plan = school_plan(cast, "Rudens")
    _log_at(cast, plan, D(2024, 3, 10), D(2026, 6, 15), D(2026, 11, 20))
    page = client_for(cast.admin).get("/admin/accounts/accesslog/").content.decode()
    # 2025 is offered too: it lies between the first and the last entry.
    assert [title for _link, title in _date_links(page)] == ["2024", "2025", "2026"]
    assert ("?at__year=2025", "2025") in _date_links(page)


def test_the_access_log_offers_the_months_of_a_chosen_year(cast, client_for):
    plan = school_plan(cast, "Rudens")
    _log_at(cast, plan, D(2025, 12, 30), D(2026, 3, 10), D(2026, 6, 15))
    page = client_for(cast.admin).get("/admin/accounts/accesslog/?at__year=2026").content.decode()
    # Back to every date, then March to June of 2026 (April and May without entries).
    assert _back_link(page) == ("?", "Visi datumi")
    assert [link for link, _title in _date_links(page)] == [
        f"?at__month={month}&at__year=2026" for month in (3, 4, 5, 6)
    ]
    listed = client_for(cast.admin).get("/admin/accounts/accesslog/?at__year=2026")
    assert len(listed.context["cl"].result_list) == 2


def test_a_year_with_entries_in_one_month_offers_its_days(cast, client_for):
    plan = school_plan(cast, "Rudens")
    _log_at(cast, plan, D(2025, 5, 2), D(2025, 5, 4))
    page = client_for(cast.admin).get("/admin/accounts/accesslog/").content.decode()
    # Back to 2025, then the 2nd, 3rd (without entries) and 4th of May.
    assert _back_link(page) == ("?at__year=2025", "2025")
    assert _date_links(page) == [
        (f"?at__day={day}&at__month=5&at__year=2025", f"{day}. maijs") for day in (2, 3, 4)
    ]


# --- The mentor's dashboard: this and later semesters, and what still runs ------------------------


def _closed_spring_plan(cast):
    """A plan of last spring, terminated on 2 February 2026 and closed through the services
    (the evaluation, the decision, every month approved, the timesheets handed over)."""
    spring = semester("2025/2026", 2)
    with on(D(2026, 2, 2)):
        plan = advance_plan(
            make_plan(
                cast.preparer,
                make_learner(cast.preparer, cast.school, first_name="Noslēgtais"),
                on_semester=spring,
                start_date=spring.start_date,
            ),
            preparer=cast.preparer,
            mentor=cast.mentor,
            to="approved",
            approver=cast.approver,
            contract=make_contract(cast.preparer, cast.mentor, cast.school, on_semester=spring),
        )
        plan = iap_services.plan_terminate(
            actor=cast.preparer, plan=plan, terminated_on=D(2026, 2, 2), reason="Pārcēlās"
        )
        evaluation, _started = evaluation_services.evaluation_start(actor=cast.preparer, plan=plan)
        evaluation_services.evaluation_save(
            actor=cast.mentor_user,
            evaluation=evaluation,
            answers={
                "risks_reduced": "partly",
                "risks_reduced_comment": "Pārcēlās",
                "confidence_strengthened": "partly",
                "confidence_strengthened_comment": "Pārcēlās",
                "development_promoted": "partly",
                "development_promoted_comment": "Pārcēlās",
                "result_achieved": "Daļēji",
                "recommendations": "Turpināt jaunajā skolā",
                "termination_reasons": "Ģimene pārcēlās uz citu pilsētu",
            },
            submit=True,
        )
        evaluation_services.decision_record(actor=cast.preparer, plan=plan, outcome="end")
    for month in (D(2026, 1, 1), D(2026, 2, 1)):
        approval_services.month_approve(actor=cast.approver, diary_month=confirm_month(plan, month))
    return evaluation_services.plan_close(actor=cast.preparer, plan=plan, timesheets_received=True)


def test_the_mentors_dashboard_no_longer_lists_a_closed_plan_of_an_earlier_semester(
    cast, client_for
):
    closed = _closed_spring_plan(cast)
    assert closed.status == Plan.Status.CLOSED
    now = school_plan(cast, "Rudens", mentor=cast.mentor)
    response = client_for(cast.mentor_user).get("/")
    assert list(response.context["my_plans"]) == [now]
    assert [card["plan"] for card in response.context["diary_cards"]] == [now]
    assert "Noslēgtais" not in response.content.decode()


def test_the_mentors_dashboard_lists_an_earlier_plan_while_it_is_still_active(cast, client_for):
    still_active = spring_plan(cast, "Pavasaris", mentor=cast.mentor)
    now = school_plan(cast, "Rudens", mentor=cast.mentor)
    response = client_for(cast.mentor_user).get("/")
    assert set(response.context["my_plans"]) == {still_active, now}
    assert {card["plan"] for card in response.context["diary_cards"]} == {still_active, now}
    assert "Pavasaris" in response.content.decode()


def test_the_mentors_dashboard_lists_a_plan_of_this_semester_even_when_terminated(cast, client_for):
    plan = school_plan(cast, "Rudens", mentor=cast.mentor)
    iap_services.plan_terminate(
        actor=cast.preparer, plan=plan, terminated_on=D(2026, 11, 20), reason="Pārcēlās"
    )
    response = client_for(cast.mentor_user).get("/")
    assert [p.status for p in response.context["my_plans"]] == [Plan.Status.TERMINATED]

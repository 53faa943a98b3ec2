"""APR-4: project staff check the hours against the full diary and the signed timesheet;
ACC-1: every read of a month's diary there is logged."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from diary import services as diary_services
from diary.models import DiaryMonth
from skola_kopiena.accounts.models import AccessLog
from tests.factories import confirm_month, on, pdf_upload, school_plan, spring_plan
from timesheets import services
from timesheets.models import MonthVerification

D = datetime.date
T = datetime.time
SEPTEMBER, OCTOBER = D(2026, 9, 1), D(2026, 10, 1)
CANARY = "VIETA-PĀRBAUDEI-4471"


def _confirmed(plan, month, day):
    diary_services.entry_create(
        actor=plan.mentor.user,
        plan=plan,
        date=day,
        start_time=T(15, 0),
        end_time=T(17, 0),
        place=f"Bibliotēka {CANARY}",
        topic="Mācības",
        result="Izdevās",
    )
    diary_services.month_upload_scan(
        actor=plan.mentor.user, plan=plan, month=month, file=pdf_upload("grafiks.pdf")
    )
    return confirm_month(plan, month)


@pytest.fixture
def approved_month(cast):
    plan = school_plan(cast, "Anna", mentor=cast.mentor)
    month = _confirmed(plan, OCTOBER, D(2026, 10, 6))
    return services.month_approve(actor=cast.approver, diary_month=month)


def test_staff_check_a_month_against_the_full_diary_and_the_scan(cast, client_for, approved_month):
    # APR-4: the whole diary (the place too) and the signed timesheet, then the outcome.
    client = client_for(cast.staff)
    page = client.get(f"/parbaude/{approved_month.pk}/").content.decode()
    assert CANARY in page
    assert f"/faili/diary/diarymonth/{approved_month.pk}/timesheet_scan/" in page
    # The scan opens in a tab of its own, beside the diary, under a name that says whose.
    scan = client.get(f"/faili/diary/diarymonth/{approved_month.pk}/timesheet_scan/?skatit=1")
    disposition = scan["Content-Disposition"]
    assert disposition.startswith("inline") and scan["Content-Type"] == "application/pdf"
    assert f'filename="grafiks-nr{approved_month.plan_id}-2026-10.pdf"' in disposition
    assert "object-src 'self'" in scan["Content-Security-Policy"]
    # Who closed the month and who approved it, each under its own name.
    assert "Mentors noslēdza" in page and "Darba devējs apstiprināja" in page
    assert str(cast.approver) in page
    response = client.post(
        f"/parbaude/{approved_month.pk}/", {"outcome": "verified", "finding": "ignorēts"}
    )
    assert response.status_code == 302
    verification = MonthVerification.objects.get(diary_month=approved_month)
    assert (verification.outcome, verification.finding) == ("verified", "")
    assert verification.checked_by == cast.staff
    listed = client.get("/parbaude/?parbaude=verified")
    assert list(listed.context["months"]) == [approved_month]


def test_a_finding_says_what_does_not_match(cast, client_for, approved_month):
    # APR-4: refused by the service, shown at the field, nothing saved.
    with pytest.raises(ValidationError) as refused:
        services.month_verify(
            actor=cast.staff, diary_month=approved_month, outcome="finding", finding="  "
        )
    assert refused.value.error_dict["finding"][0].code == "APR-4"
    response = client_for(cast.staff).post(
        f"/parbaude/{approved_month.pk}/", {"outcome": "finding", "finding": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["finding"] == ["Aprakstiet konstatēto."]
    assert not MonthVerification.objects.exists()


def test_only_a_confirmed_or_approved_month_is_checked(cast, client_for):
    # APR-4: an open month has no confirmed hours to check.
    plan = school_plan(cast, "Anna", mentor=cast.mentor)
    open_month = DiaryMonth.objects.create(plan=plan, month=OCTOBER)
    with pytest.raises(ValidationError) as refused:
        services.month_verify(actor=cast.staff, diary_month=open_month, outcome="verified")
    assert refused.value.code == "APR-4"
    assert client_for(cast.staff).get(f"/parbaude/{open_month.pk}/").status_code == 404


def test_checking_again_keeps_the_earlier_outcome_in_the_history(cast, approved_month):
    services.month_verify(actor=cast.staff, diary_month=approved_month, outcome="verified")
    services.month_verify(
        actor=cast.staff,
        diary_month=approved_month,
        outcome="finding",
        finding="6. oktobra tikšanās grafikā nav parakstīta",
    )
    verification = MonthVerification.objects.get()
    assert verification.outcome == "finding"
    assert [h.outcome for h in verification.history.order_by("history_id")] == [
        "verified",
        "finding",
    ]


def test_findings_are_listed_per_employer(cast, client_for, approved_month):
    services.month_verify(
        actor=cast.staff,
        diary_month=approved_month,
        outcome="finding",
        finding="Grafikā trūkst izglītojamā paraksta",
    )
    response = client_for(cast.staff).get("/parbaude/konstatejumi/")
    ((employer, findings),) = response.context["employers"]
    assert employer == cast.school
    assert [f.finding for f in findings] == ["Grafikā trūkst izglītojamā paraksta"]
    # Whose month it is: the plan's number and its learner.
    plan = approved_month.plan
    assert f"Nr. {plan.pk} · {plan.learner.full_name}" in response.content.decode()
    assert client_for(cast.other_staff).get("/parbaude/konstatejumi/").context["employers"] == []


def test_reading_a_month_to_check_it_is_in_the_access_log(cast, client_for, approved_month):
    # ACC-1
    client_for(cast.staff).get(f"/parbaude/{approved_month.pk}/")
    (entry,) = AccessLog.objects.filter(user=cast.staff)
    assert entry.action == AccessLog.Action.READ_DIARY
    assert (entry.plan_pk, entry.month) == (approved_month.plan_id, OCTOBER)


def test_another_regions_month_is_not_found_and_other_roles_are_refused(
    cast, client_for, approved_month
):
    url = f"/parbaude/{approved_month.pk}/"
    assert client_for(cast.other_staff).get(url).status_code == 404
    assert client_for(cast.other_staff).post(url, {"outcome": "verified"}).status_code == 404
    for user in (cast.mentor_user, cast.preparer, cast.approver):
        assert client_for(user).get(url).status_code == 403
    admin = client_for(cast.admin)
    assert admin.get(url).status_code == 200
    assert admin.post(url, {"outcome": "verified"}).status_code == 403
    assert not MonthVerification.objects.exists()


def test_a_random_sample_of_approved_months_stays_the_same_for_its_address(cast, client_for):
    # APR-4: a spot check of N approved months; a confirmed one is never in it.
    for n, name in enumerate(("Anna", "Berta", "Cilda", "Dace")):
        plan = school_plan(cast, name)
        month = _confirmed(plan, OCTOBER, D(2026, 10, 6 + n))
        if name != "Dace":
            services.month_approve(actor=cast.approver, diary_month=month)
    client = client_for(cast.staff)
    first = client.get("/parbaude/?paraugs=2")
    assert first.status_code == 302 and re.search(r"sekla=\d+", first.url)
    shown = client.get(first.url).context["months"]
    assert len(shown) == 2 and {m.status for m in shown} == {"approved"}
    assert client.get(first.url).context["months"] == shown


def test_the_months_are_filtered_by_employer_and_what_is_checked(cast, client_for):
    plan = school_plan(cast, "Anna", mentor=cast.mentor)
    september = _confirmed(plan, SEPTEMBER, D(2026, 9, 8))
    october = _confirmed(plan, OCTOBER, D(2026, 10, 6))
    services.month_verify(actor=cast.staff, diary_month=september, outcome="verified")
    client = client_for(cast.staff)

    def months(query):
        return list(client.get(f"/parbaude/?{query}").context["months"])

    assert months("") == [october, september]
    assert months("parbaude=none") == [october]
    assert months(f"darba_devejs={cast.school.pk}") == [october, september]
    assert months(f"darba_devejs={cast.youth_centre.pk}") == []
    assert months("menesis=2026-09-01") == [september]
    # A value the form does not know is said at its field; the valid month still filters.
    response = client.get("/parbaude/?menesis=2026-09-01&parbaude=unchecked")
    assert list(response.context["months"]) == [september]
    assert "parbaude" in response.context["form"].errors


def test_a_month_still_waiting_from_an_earlier_semester_is_listed_with_the_waiting_ones(
    cast, client_for
):
    # APR-2, APR-4: the overview's late employer opens its waiting months, the oldest (the
    # late one) included; the default list keeps to this semester.
    may = D(2026, 5, 1)
    with on(D(2026, 5, 12)):
        spring_month = _confirmed(
            spring_plan(cast, "Pavasara", mentor=cast.mentor), may, D(2026, 5, 5)
        )
    plan = school_plan(cast, "Anna", mentor=cast.mentor)
    october = _confirmed(plan, OCTOBER, D(2026, 10, 6))
    client = client_for(cast.staff)
    waiting = client.get(f"/parbaude/?statuss=confirmed&darba_devejs={cast.school.pk}")
    assert list(waiting.context["months"]) == [october, spring_month]
    assert list(client.get("/parbaude/").context["months"]) == [october]
    empty = client.get("/parbaude/?mentors=Neviens").content.decode()
    assert "saraksts sākas ar semestra pirmo mēnesi: septembris 2026" in empty


def test_the_list_keeps_its_query_count(cast, client_for, django_assert_num_queries):
    client = client_for(cast.staff)

    def pinned():
        # session, user, roles, TOTP; 5 the semester under way; 6 the months (count); 7 the
        # page's months with plan, learner, school, mentor, employer and check; 8 the
        # employers of the filter; save session (a savepoint, the update, its release).
        with django_assert_num_queries(11):
            assert client.get("/parbaude/").status_code == 200

    plan = school_plan(cast, "Anna", mentor=cast.mentor)
    _confirmed(plan, OCTOBER, D(2026, 10, 6))
    pinned()
    for name in ("Berta", "Cilda", "Dace"):
        _confirmed(school_plan(cast, name), OCTOBER, D(2026, 10, 7))
    pinned()


def test_the_way_back_to_the_list_stays_on_this_site(cast, client_for, approved_month):
    client = client_for(cast.staff)
    url = f"/parbaude/{approved_month.pk}/"
    for hostile in ("javascript:alert(1)", "https://example.com/", "//example.com/"):
        page = client.get(url, {"next": hostile}).content.decode()
        assert hostile not in page
        response = client.post(url, {"outcome": "verified", "next": hostile})
        assert response.url == "/parbaude/"
    kept = "/parbaude/?statuss=approved"
    assert client.post(url, {"outcome": "verified", "next": kept}).url == kept

"""Ids and dates from URLs, query strings and forms that do not fit answer a clear 404 or a
field error, change nothing, and never a 500 (skola_kopiena/parsing.py)."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from diary.models import DiaryEntry, DiaryMonth
from iap.models import Invitation
from skola_kopiena.accounts.models import Role
from tests.factories import give_role

D = datetime.date

# Not a positive whole number that fits a bigint id.
NOT_IDS = [
    "abc",
    "1.5",
    "NaN",
    "1e3",
    "-1",
    "0",
    " 1",
    "١",  # an Arabic-Indic digit, which int() would take
    "²",
    "99999999999999999999",
    "9223372036854775808",  # 2**63
    "",
]


@pytest.mark.parametrize("value", NOT_IDS)
def test_an_invitation_for_a_mentor_id_that_is_no_id_answers_404(cast, client_for, plan, value):
    client = client_for(cast.preparer)
    url = f"/iap/{plan.pk}/uzaicinat/"
    assert client.get(url, {"mentor": value}).status_code == 404
    assert client.post(url, {"mentor": value, "message": "Sveiki"}).status_code == 404
    assert not Invitation.objects.exists()


def test_an_invitation_with_the_mentor_sent_twice_answers_404(cast, client_for, plan):
    client = client_for(cast.preparer)
    url = f"/iap/{plan.pk}/uzaicinat/"
    twice = [cast.mentor.pk, cast.second_mentor.pk]
    assert client.get(url, {"mentor": twice}).status_code == 404
    assert client.post(url, {"mentor": twice, "message": "Sveiki"}).status_code == 404
    assert not Invitation.objects.exists()


def test_an_invitation_with_a_well_formed_mentor_id_still_opens(cast, client_for, plan):
    response = client_for(cast.preparer).get(
        f"/iap/{plan.pk}/uzaicinat/", {"mentor": cast.mentor.pk}
    )
    assert response.status_code == 200 and response.context["mentor"] == cast.mentor


# CAL-1: diary months exist only in the project's years (2024..2029), months 1..12.
NOT_MONTHS = [
    "9999-12",
    "2030-1",
    "2023-12",
    "10000-1",
    "99999999999999999999-1",
    "2026-13",
    "2026-0",
    "2026-00",
    "2026-123",
]


@pytest.mark.parametrize("month", NOT_MONTHS)
def test_a_diary_month_outside_the_project_answers_404(cast, client_for, active_plan, month):
    client = client_for(cast.mentor_user)
    url = f"/dienasgramata/{active_plan.pk}/{month}/"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}grafiks/").status_code == 404
    assert client.post(f"{url}apstiprinat/").status_code == 404
    assert not DiaryMonth.objects.exists()


@pytest.mark.parametrize("month", ["2026-11", "2026-09", "2026-9"])
def test_a_diary_month_of_the_project_opens(cast, client_for, active_plan, month):
    assert (
        client_for(cast.mentor_user).get(f"/dienasgramata/{active_plan.pk}/{month}/").status_code
        == 200
    )


@pytest.mark.parametrize(
    "args", [(1, 9999, 12), (1, 2026, 13), (0, 2026, 11), (2**63, 2026, 11), ("x", 2026, 11)]
)
def test_no_link_is_built_to_a_month_or_an_id_that_would_not_open(args):
    with pytest.raises(NoReverseMatch):
        reverse("diary:month", args=args)


@pytest.mark.parametrize(
    "day",
    [
        "9999-12-31",
        "abc",
        "2026-02-30",
        "20261202",
        "2026-W49-3",
        "2025-12-31",  # CAL-1: before mentoring starts
        "2029-09-01",  # after the project
        "",
    ],
)
def test_planning_a_meeting_for_a_date_that_is_no_mentoring_day_answers_404(
    cast, client_for, active_plan, day
):
    response = client_for(cast.mentor_user).get(
        f"/dienasgramata/{active_plan.pk}/jauns/", {"datums": day}
    )
    assert response.status_code == 404


def test_planning_a_meeting_with_the_date_sent_twice_answers_404(cast, client_for, active_plan):
    response = client_for(cast.mentor_user).get(
        f"/dienasgramata/{active_plan.pk}/jauns/", {"datums": ["2026-12-01", "2026-12-02"]}
    )
    assert response.status_code == 404


def test_planning_a_meeting_starts_from_the_date_of_the_link(cast, client_for, active_plan):
    response = client_for(cast.mentor_user).get(
        f"/dienasgramata/{active_plan.pk}/jauns/", {"datums": "2026-12-02"}
    )
    assert response.context["form"].initial["date"] == D(2026, 12, 2)


@pytest.mark.parametrize(
    "day,message",
    [
        # An end at 00:00 is the next day: 31.12.9999 has none, and must never reach the service.
        ("9999-12-31", "31.08.2029"),
        ("2029-09-01", "31.08.2029"),
        ("2025-12-31", "01.01.2026"),
    ],
)
def test_a_meeting_dated_outside_the_mentoring_period_is_refused_at_the_date(
    cast, client_for, active_plan, day, message
):
    # CAL-1
    response = client_for(cast.mentor_user).post(
        f"/dienasgramata/{active_plan.pk}/jauns/",
        {
            "date": day,
            "start_time": "22:00",
            "end_time": "00:00",
            "place": "Parks",
            "topic": "Pastaiga",
            "result": "",
            "comment": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["date"] and message in errors["date"][0]
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize("value", NOT_IDS)
def test_choosing_a_role_by_something_that_is_no_id_answers_404(cast, client_for, value):
    give_role(cast.preparer, Role.APPROVER, institution=cast.school)
    client = client_for(cast.preparer)
    assert client.post("/loma/", {"membership": value}).status_code == 404
    assert client.get("/").context["acting"].role == Role.PREPARER


@pytest.mark.parametrize(
    "url",
    [
        "/iap/99999999999999999999/",
        "/iap/9223372036854775808/",
        "/iap/0/",
        "/izglitojamie/99999999999999999999/",
        "/mentori/99999999999999999999/",
        "/dienasgramata/99999999999999999999/",
        "/dienasgramata/ieraksts/0/",
    ],
)
def test_an_id_in_the_path_that_fits_no_row_answers_404(cast, client_for, url):
    assert client_for(cast.staff).get(url).status_code == 404


@pytest.mark.parametrize("value", ["abc", "1.5", "NaN", "99999999999999999999"])
def test_a_registry_filter_that_is_no_municipality_is_shown_at_the_filter(
    cast, client_for, plan, value
):
    # The search form parses its own filters and says what is wrong beside them.
    client = client_for(cast.preparer)
    for url in ("/mentori/", f"/iap/{plan.pk}/mentori/"):
        response = client.get(url, {"municipality": value})
        assert response.status_code == 200
        assert "municipality" in response.context["form"].errors

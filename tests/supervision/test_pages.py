"""SUP-1 in the browser's pages: the lists of staff and mentors, the form, sign-up and
cancel buttons, the attendance form; who sees what; pinned query counts."""

import datetime
import re

import pytest

from supervision.models import Session, Signup

from .conftest import D, T, on, other_mentor, sign_up

LIST = "/supervizijas/"


def html(response):
    return response.content.decode()


def test_staff_see_their_regions_sessions_upcoming_first_then_the_past(
    cast, client_for, plan_session
):
    with on(datetime.datetime(2026, 11, 1, 9, 0)):
        older = plan_session(D(2026, 11, 5), T(14, 0))
        recent = plan_session(D(2026, 11, 20), T(14, 0))
    later = plan_session(D(2026, 12, 9), T(14, 0))
    sooner = plan_session(D(2026, 12, 2), T(14, 0))
    plan_session(actor=cast.other_staff, region=cast.vidzeme)
    response = client_for(cast.staff).get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [sooner, later, recent, older]
    assert f"/supervizijas/{sooner.pk}/" in response.content.decode()
    assert "/supervizijas/jauna/" in response.content.decode()
    # National: every region.
    assert len(client_for(cast.admin).get(LIST).context["page"].object_list) == 5


def test_the_mentors_list_shows_upcoming_sessions_of_their_region_and_target_group_only(
    cast, client_for, active_plan, plan_session
):
    # SUP-1: one group per target audience; the mentor's learner is in general education.
    offered = plan_session(D(2026, 12, 2), T(14, 0))
    plan_session(D(2026, 12, 3), T(14, 0), target_group="vocational")
    plan_session(actor=cast.other_staff, region=cast.vidzeme)
    with on(datetime.datetime(2026, 11, 1, 9, 0)):
        past = plan_session(D(2026, 11, 5), T(14, 0))
        attended = sign_up(cast.mentor, past)
    response = client_for(cast.mentor_user).get(LIST)
    assert response.status_code == 200
    assert list(response.context["sessions"]) == [offered]
    # The past session is among the mentor's own sign-ups, not among the offered ones.
    assert list(response.context["signups"]) == [attended]
    html = response.content.decode()
    assert f'action="/supervizijas/{offered.pk}/pieteikties/"' in html


def test_a_mentor_without_a_current_plan_is_offered_every_target_group_of_the_region(
    cast, client_for, plan_session
):
    # SUP-1 (Choice)
    general = plan_session(D(2026, 12, 2), T(14, 0))
    vocational = plan_session(D(2026, 12, 3), T(14, 0), target_group="vocational")
    plan_session(actor=cast.other_staff, region=cast.vidzeme)
    response = client_for(cast.mentor_user).get(LIST)
    assert list(response.context["sessions"]) == [general, vocational]


def test_a_mentor_signs_up_and_cancels_with_the_buttons(cast, client_for, active_plan, session):
    client = client_for(cast.mentor_user)
    response = client.post(f"/supervizijas/{session.pk}/pieteikties/")
    assert response.status_code == 302 and response["Location"] == LIST
    assert Signup.objects.get().mentor == cast.mentor
    page = client.get(LIST)
    (shown,) = page.context["sessions"]
    assert shown.is_mine
    assert f'action="/supervizijas/{session.pk}/atteikt/"' in page.content.decode()
    assert client.post(f"/supervizijas/{session.pk}/atteikt/").status_code == 302
    session.refresh_from_db()
    assert session.signed_up == 0


def test_a_refused_sign_up_is_shown_as_a_message(cast, client_for, plan_session):
    # SUP-1: a full session says so.
    session = plan_session(capacity=1)
    sign_up(other_mentor(1), session)
    response = client_for(cast.mentor_user).post(
        f"/supervizijas/{session.pk}/pieteikties/", follow=True
    )
    (message,) = response.context["messages"]
    assert message.level_tag == "error"
    assert not Signup.objects.filter(mentor=cast.mentor).exists()


def test_staff_plan_a_session_and_an_error_keeps_what_was_typed(cast, client_for):
    # SUP-1: in person; GOV.UK-style: the summary, the message at the field, nothing lost.
    client = client_for(cast.staff)
    form = {
        "date": "2026-12-10",
        "start_time": "14:00",
        "place": "Tiešsaistē Zoom",
        "target_group": "vocational",
        "capacity": "15",
        "supervisor": "Inga Supervizore",
    }
    page = client.get("/supervizijas/jauna/")
    assert "region" not in page.context["form"].fields  # one region: no choice to make
    response = client.post("/supervizijas/jauna/", form)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["place"]] == ["SUP-1"]
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'value="Tiešsaistē Zoom"' in html and 'value="Inga Supervizore"' in html
    assert 'value="15"' in html and 'value="2026-12-10"' in html
    assert not Session.objects.exists()
    response = client.post("/supervizijas/jauna/", form | {"place": "Rīgas Domes zāle"})
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/supervizijas/{session.pk}/"
    assert (session.region, session.target_group, session.capacity) == (
        cast.riga,
        "vocational",
        15,
    )


def test_national_staff_choose_the_region(cast, client_for):
    client = client_for(cast.admin)
    assert "region" in client.get("/supervizijas/jauna/").context["form"].fields
    response = client.post(
        "/supervizijas/jauna/",
        {
            "date": "2026-12-10",
            "start_time": "10:00",
            "place": "Cēsu bibliotēka",
            "region": str(cast.vidzeme.pk),
            "target_group": "general",
            "capacity": "10",
            "supervisor": "Supervizors",
        },
    )
    assert response.status_code == 302
    assert Session.objects.get().region == cast.vidzeme


def test_the_attendance_form_is_offered_from_the_start_on_and_saves(
    cast, client_for, active_plan, session
):
    # SUP-1: attendance is kept.
    present = sign_up(cast.mentor, session)
    absent = sign_up(other_mentor(1), session)
    url = f"/supervizijas/{session.pk}/"
    client = client_for(cast.staff)
    before = client.get(url)
    assert before.context["attendance_form"] is None
    assert [s.mentor for s in before.context["signups"]] == [cast.mentor, absent.mentor]
    with on(datetime.datetime(2026, 12, 2, 17, 5)):
        client = client_for(cast.staff)  # a week later: a fresh login
        assert client.get(url).context["attendance_form"] is not None
        # An answer missing: said at its place, the other answer kept.
        response = client.post(f"{url}apmeklejums/", {f"signup_{present.pk}": "yes"})
        assert response.status_code == 200
        assert f"signup_{absent.pk}" in response.context["attendance_form"].errors
        (kept,) = re.findall(
            rf'<input[^>]*name="signup_{present.pk}"[^>]*checked[^>]*>', html(response)
        )
        assert 'value="yes"' in kept
        assert 'class="error-summary"' in html(response)
        assert f'href="#id_signup_{absent.pk}_0"' in html(response)  # its first answer
        response = client.post(
            f"{url}apmeklejums/",
            {f"signup_{present.pk}": "yes", f"signup_{absent.pk}": "no"},
        )
        assert response.status_code == 302
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)
    # The mentor sees their attendance on the session's page and in their list.
    mentor_page = client_for(cast.mentor_user).get(url)
    assert mentor_page.context["signup"] == present
    # The region's auditor reads who attended, with no form to change it or plan another.
    with on(datetime.datetime(2026, 12, 2, 17, 10)):
        auditor = client_for(cast.auditor)
        page = auditor.get(url)
        listed = html(auditor.get(LIST))
    assert page.context["attendance_form"] is None
    assert 'tag-success">piedalījās' in html(page) and 'tag-warning">nepiedalījās' in html(page)
    assert "<form" not in html(page).split("<main")[1].split("</main>")[0]
    assert "Plānot supervīziju" not in listed and f"/supervizijas/{session.pk}/" in listed


def test_attendance_posted_before_the_start_is_refused_on_the_page(cast, client_for, session):
    # SUP-1
    signup = sign_up(cast.mentor, session)
    response = client_for(cast.staff).post(
        f"/supervizijas/{session.pk}/apmeklejums/", {f"signup_{signup.pk}": "yes"}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["attendance_form"].non_field_errors().as_data()] == [
        "SUP-1"
    ]
    signup.refresh_from_db()
    assert signup.attended is None


def test_who_may_see_and_do_what(cast, client_for, active_plan, session):
    # ACC: deny by default; another region's session is 404, a write of another role 403.
    detail = f"/supervizijas/{session.pk}/"
    assert client_for(cast.preparer).get(LIST).status_code == 403
    assert client_for(cast.approver).get(detail).status_code == 403
    assert client_for(cast.outsider).get(LIST).status_code == 403
    assert client_for(cast.other_staff).get(detail).status_code == 404
    assert client_for(cast.second_mentor_user).get(detail).status_code == 404
    assert client_for(cast.mentor_user).get(detail).status_code == 200
    assert client_for(cast.staff).post(f"{detail}pieteikties/").status_code == 403
    assert client_for(cast.mentor_user).post(f"{detail}apmeklejums/").status_code == 403
    assert client_for(cast.second_mentor_user).post(f"{detail}pieteikties/").status_code == 404
    assert client_for(cast.mentor_user).get(f"{detail}pieteikties/").status_code == 405
    assert client_for(cast.mentor_user).get("/supervizijas/jauna/").status_code == 403
    assert client_for(cast.staff).post(detail).status_code == 405
    assert not Signup.objects.exists()


def test_a_mentor_does_not_see_a_session_of_another_target_group(
    cast, client_for, active_plan, plan_session
):
    vocational = plan_session(target_group="vocational")
    assert client_for(cast.mentor_user).get(f"/supervizijas/{vocational.pk}/").status_code == 404


@pytest.fixture
def pin(django_assert_num_queries):
    """GET `url` as `client` in exactly `queries` queries."""

    def check(client, url, queries):
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200
        return response

    return check


def test_the_mentors_list_takes_the_same_queries_for_more_sessions_and_sign_ups(
    cast, client_for, active_plan, plan_session, pin
):
    client = client_for(cast.mentor_user)
    sign_up(cast.mentor, plan_session(D(2026, 12, 2), T(14, 0)))
    # session, user, roles; 4 the mentor with region; 5 their target groups (the education
    # of their learners now); 6 the sessions offered, each with "mine"; 7 their sign-ups
    # with the sessions and regions; save session.
    pin(client, LIST, 10)
    for day in (3, 4, 7, 8):
        session = plan_session(D(2026, 12, day), T(14, 0), place=f"Vieta {day}")
        if day % 2:
            sign_up(cast.mentor, session)
        sign_up(other_mentor(day), session)
    with on(datetime.datetime(2026, 11, 1, 9, 0)):
        sign_up(cast.mentor, plan_session(D(2026, 11, 5), T(14, 0)))
    pin(client, LIST, 10)


def test_the_staff_list_takes_the_same_queries_for_more_sessions_and_sign_ups(
    cast, client_for, plan_session, pin
):
    client = client_for(cast.staff)
    plan_session(D(2026, 12, 2), T(14, 0))
    # session, user, roles, TOTP; 5 the region's sessions (count, for the pages); 6 the page
    # of sessions with region and attendance; save session.
    pin(client, LIST, 9)
    for day in (3, 4, 7, 8):
        session = plan_session(D(2026, 12, day), T(14, 0), place=f"Vieta {day}")
        sign_up(other_mentor(day), session)
    pin(client, LIST, 9)


def test_the_session_page_takes_the_same_queries_for_more_mentors(cast, client_for, session, pin):
    url = f"/supervizijas/{session.pk}/"
    sign_up(cast.mentor, session)
    # session, user, roles, TOTP; 5 the session with its region and who created it; 6 its
    # sign-ups with their mentors; save session.
    with on(datetime.datetime(2026, 12, 2, 17, 5)):
        pin(client_for(cast.staff), url, 9)
    for number in range(4):
        sign_up(other_mentor(number), session)
    with on(datetime.datetime(2026, 12, 2, 17, 5)):
        pin(client_for(cast.staff), url, 9)

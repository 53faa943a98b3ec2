"""Nothing typed is lost when a session ends (issue 11): the server's part.

A session ends after 30 idle minutes (SESSION_COOKIE_AGE, restarted by every request) and 12
hours after login (SESSION_ABSOLUTE_AGE). The browser keeps a draft of the forms marked
data-keep-draft (static/js/drafts.js, tested in tests/e2e/test_session_expiry.py); the server
tells the login page that the session had ended, says how long a session has left, and
answers the idle warning's "Stay logged in".
"""

import datetime
import re

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import translation

from diary.models import DiaryEntry
from evaluation import services as evaluation_services
from tests.conftest import TODAY
from tests.factories import PASSWORD, on

KEEP_ALIVE = "/sesija/pagarinat/"
UNSAVED = (
    "Your session had ended, so what you sent was not saved yet. Log in, and then send it again."
)
ENDED = "Your session had ended. Log in to go on where you were."
MEETING = {
    "date": "2026-11-25",
    "start_time": "08:00",
    "end_time": "09:20",
    "place": "Parks",
    "topic": "Pastaiga",
    "result": "Sarunājām nākamo nedēļu",
}


def latvian(text):
    with translation.override("lv"):
        return translation.gettext(text)


def session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


# --- "Stay logged in" ------------------------------------------------------------------------


def test_the_anonymous_are_sent_to_the_login_page_by_stay_logged_in(db):
    response = Client().post(KEEP_ALIVE)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={KEEP_ALIVE}"


def test_stay_logged_in_is_only_a_post(cast, client_for):
    assert client_for(cast.mentor_user).get(KEEP_ALIVE).status_code == 405


def test_stay_logged_in_answers_204_and_starts_the_idle_30_minutes_again(cast, client_for):
    client = client_for(cast.mentor_user)
    with time_machine.travel(TODAY, tick=False) as clock:
        assert client.get("/").status_code == 200
        clock.shift(datetime.timedelta(minutes=25))
        before = session_expiry(client)
        response = client.post(KEEP_ALIVE)
        assert response.status_code == 204
        assert response.content == b""
        assert response["X-Session-Seconds"] == str(30 * 60)
        assert session_expiry(client) - before == datetime.timedelta(minutes=25)
        # 50 minutes after the last page, the session is alive thanks to the keep-alive.
        clock.shift(datetime.timedelta(minutes=25))
        assert client.get("/").status_code == 200


def test_without_stay_logged_in_the_same_wait_ends_the_session(cast, client_for):
    client = client_for(cast.mentor_user)
    with time_machine.travel(TODAY, tick=False) as clock:
        assert client.get("/").status_code == 200
        clock.shift(datetime.timedelta(minutes=50))
        assert client.get("/").status_code == 302


def test_stay_logged_in_needs_the_pages_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.mentor_user)
    assert client.get("/").status_code == 200
    assert client.post(KEEP_ALIVE).status_code == 403
    token = client.cookies["csrftoken"].value
    assert client.post(KEEP_ALIVE, HTTP_X_CSRFTOKEN=token).status_code == 204


def test_stay_logged_in_never_reaches_past_the_absolute_age(cast, client_for, settings):
    settings.SESSION_ABSOLUTE_AGE = 60 * 60
    client = client_for(cast.preparer)
    with time_machine.travel(TODAY, tick=False) as clock:
        assert client.get("/").status_code == 200  # the hour starts
        clock.shift(datetime.timedelta(minutes=20))
        assert client.post(KEEP_ALIVE)["X-Session-Seconds"] == str(30 * 60)
        clock.shift(datetime.timedelta(minutes=20))
        # 20 minutes of the hour are left: the session lasts that long, not 30 minutes.
        assert client.post(KEEP_ALIVE)["X-Session-Seconds"] == str(20 * 60)
        assert 'data-seconds="1200"' in client.get("/").content.decode()
        clock.shift(datetime.timedelta(minutes=21))
        response = client.post(KEEP_ALIVE)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session


# --- The login page says the session had ended ------------------------------------------------


def test_a_form_sent_after_the_session_ended_is_not_saved_and_the_login_page_says_so(
    cast, client_for, active_plan
):
    client = client_for(cast.mentor_user)
    form_page = f"/dienasgramata/{active_plan.pk}/jauns/"
    with time_machine.travel(TODAY, tick=False) as clock:
        assert client.get(form_page).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.post(form_page, MEETING)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={form_page}&sesija=nesaglabats"
        assert not DiaryEntry.objects.exists()
        login_page = client.get(response["Location"]).content.decode()
    assert latvian(UNSAVED) in login_page
    assert latvian(ENDED) not in login_page
    # The notice stays through a mistyped password: the login form carries the flag.
    assert '<input type="hidden" name="sesija" value="nesaglabats">' in login_page
    wrong = client.post(
        "/accounts/login/",
        {"login": cast.mentor_user.email, "password": "nepareizi", "sesija": "nesaglabats"},
    )
    assert latvian(UNSAVED) in wrong.content.decode()
    # Logging in leads back to the form.
    back = client.post(
        "/accounts/login/",
        {"login": cast.mentor_user.email, "password": PASSWORD, "next": form_page},
    )
    assert back.status_code == 302 and back["Location"] == form_page


def test_a_page_asked_for_after_the_session_ended_leads_to_a_login_page_saying_so(cast, client_for):
    client = client_for(cast.preparer)
    with time_machine.travel(TODAY, tick=False) as clock:
        assert client.get("/").status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get("/iap/?statuss=draft")
        assert response["Location"] == (
            "/accounts/login/?next=/iap/%3Fstatuss%3Ddraft&sesija=beigusies"
        )
        login_page = client.get(response["Location"]).content.decode()
    assert latvian(ENDED) in login_page
    assert latvian(UNSAVED) not in login_page


def test_a_session_row_gone_from_the_database_counts_as_ended(cast, client_for):
    client = client_for(cast.mentor_user)
    Session.objects.all().delete()
    response = client.post("/loma/", {"membership": "1"})
    assert response["Location"].endswith("&sesija=nesaglabats")


def test_a_visitor_who_never_logged_in_is_not_told_of_an_ended_session(db):
    client = Client()
    response = client.get("/iap/")
    assert response["Location"] == "/accounts/login/?next=/iap/"
    login_page = client.get(response["Location"]).content.decode()
    assert latvian(ENDED) not in login_page and latvian(UNSAVED) not in login_page
    assert re.search(r'<div class="session-ended" data-session-ended hidden>', login_page)


def test_logging_out_is_not_an_ended_session(cast, client_for):
    client = client_for(cast.mentor_user)
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/iap/")["Location"] == "/accounts/login/?next=/iap/"


# --- The page says how long the session lasts, and which forms keep drafts -------------------


def test_every_page_of_a_logged_in_user_carries_the_idle_warning(cast, client_for):
    page = client_for(cast.mentor_user).get("/").content.decode()
    assert 'data-session-timer data-seconds="1800" data-idle="1800"' in page
    assert f'data-keep-alive="{KEEP_ALIVE}"' in page
    assert f'data-user="{cast.mentor_user.pk}"' in page
    assert "/static/js/drafts.js" in page


def test_the_login_page_has_the_drafts_script_but_no_timer(db):
    page = Client().get("/accounts/login/").content.decode()
    assert "/static/js/drafts.js" in page
    assert "data-session-timer" not in page


def _forms_keeping_drafts(response):
    assert response.status_code == 200
    return re.findall(r"<form [^>]*data-keep-draft", response.content.decode())


def test_the_diary_evaluation_plan_and_learner_forms_keep_drafts(
    cast, client_for, plan, active_plan
):
    mentor, preparer = client_for(cast.mentor_user), client_for(cast.preparer)
    with on(datetime.date(2026, 12, 21)):
        evaluation_services.evaluation_start(actor=cast.preparer, plan=active_plan)
    for client, url in (
        (mentor, f"/dienasgramata/{active_plan.pk}/jauns/"),
        (mentor, f"/iap/{active_plan.pk}/izvertesana/"),
        (preparer, f"/iap/{plan.pk}/labot/"),
        (preparer, f"/izglitojamie/{plan.learner.pk}/labot/"),
        (preparer, "/izglitojamie/jauns/"),
    ):
        assert len(_forms_keeping_drafts(client.get(url))) == 1, url


def test_forms_that_are_not_typed_into_keep_no_drafts(cast, client_for):
    # The logout, role and language forms, the login form: nothing to lose, nothing kept.
    assert not _forms_keeping_drafts(client_for(cast.preparer).get("/"))
    assert not _forms_keeping_drafts(Client().get("/accounts/login/"))

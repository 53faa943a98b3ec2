"""Nothing typed is lost when a session ends (issue 11), in a real browser on a 360×740 phone.

The demo mentor types a meeting into the diary; her session expires (30 idle minutes on the
server's clock); Save lands on the login page, which says that the session had ended and that
nothing was saved yet; after logging in the typed text is back in the form, and saving works.
A minute before an idle session ends a warning offers "Stay logged in", which extends it.
"""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone, translation
from playwright.sync_api import expect

from diary.models import DiaryEntry
from mentors.models import Mentor
from skola_kopiena.schools.models import Institution
from tests.e2e.conftest import DEMO_PASSWORD
from tests.e2e.test_diary import SCHOOL, anna_plan, free_slot

# The live server needs committed data; serialized_rollback restores the reference data
# (regions, municipalities from the migrations) that the flush after each test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# Unique strings, so that they can be found again.
PLACE = "Kafejnīca pie parka VIETA-S9X"
TOPIC = "Gatavošanās kontroldarbam TEMATS-S9X"
RESULT = "Izrēķinājām piecus uzdevumus REZULTATS-S9X"
COMES_BACK = "Your session had ended, nothing was saved yet: log in and what you typed comes back."
IS_BACK = "What you typed before the session ended is back: check it and save."
WARNING = (
    "Your session ends in one minute, because nothing has been sent to the portal for a while. "
    "What you have typed is not saved yet."
)
STAY = "Stay logged in"
ENDED_WITH_DRAFT = (
    "Your session has ended, and nothing was saved yet. What you typed is kept in this browser "
    "tab: log in again, and it comes back in the form."
)


def latvian(text):
    with translation.override("lv"):
        return translation.gettext(text)


def fits_the_screen(page):
    """No sideways scrolling on the phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def drafts_in(page):
    """The drafts kept in the tab's sessionStorage."""
    return page.evaluate(
        "Object.keys(sessionStorage).filter((key) => key.startsWith('skola-draft:')).length"
    )


def server_clock(request, minutes):
    """The server's clock, `minutes` on from now and ticking; its shift() moves it on."""
    traveller = time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=True)
    coordinates = traveller.start()
    request.addfinalizer(traveller.stop)
    return coordinates


def session_of(page):
    (key,) = [c["value"] for c in page.context.cookies() if c["name"] == "sessionid"]
    return Session.objects.get(session_key=key)


def a_meeting_to_record():
    """Anna's plan with a free 80 minutes before now, and the new-entry page of its month."""
    anna = Mentor.objects.get(email="mentor@demo.lv")
    plan = anna_plan(anna, Institution.objects.get(name=SCHOOL))
    slot = free_slot(anna, plan)
    assert slot, "no free 80 minutes of Anna's before 10:30 in the plan's November"
    return plan, slot, f"/dienasgramata/{plan.pk}/jauns/?datums=2026-11-01"


def log_in_again(page):
    page.locator("input[name=login]").fill("mentor@demo.lv")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").tap()


def test_a_half_typed_meeting_comes_back_after_the_session_expired(demo, log_in, request):
    plan, (day, start, end), form_url = a_meeting_to_record()
    mentor = log_in("mentor@demo.lv", **PHONE)
    mentor.goto(form_url)
    form = mentor.locator("main form[data-keep-draft]")
    form.locator("input[name=date]").fill(day.isoformat())
    form.locator("input[name=start_time]").fill(start.strftime("%H:%M"))
    form.locator("input[name=end_time]").fill(end.strftime("%H:%M"))
    form.locator("input[name=place]").fill(PLACE)
    form.locator("textarea[name=topic]").fill(TOPIC)
    form.locator("textarea[name=result]").fill(RESULT)

    # 31 minutes without a request: the server has ended the session. Save loses the POST.
    server_clock(request, minutes=31)
    with mentor.expect_navigation():
        form.locator("button[type=submit]").tap()
    assert "/accounts/login/" in mentor.url, mentor.url
    assert not DiaryEntry.objects.filter(place=PLACE).exists()
    notice = mentor.locator("main [data-session-ended]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(latvian(COMES_BACK))
    assert fits_the_screen(mentor)

    # Logged in again, she is back on the form with what she typed, and is told so.
    log_in_again(mentor)
    assert mentor.url.endswith(form_url), mentor.url
    form = mentor.locator("main form[data-keep-draft]")
    expect(mentor.locator("main .draft-notice")).to_contain_text(latvian(IS_BACK))
    expect(form.locator("input[name=date]")).to_have_value(day.isoformat())
    expect(form.locator("input[name=start_time]")).to_have_value(start.strftime("%H:%M"))
    expect(form.locator("input[name=end_time]")).to_have_value(end.strftime("%H:%M"))
    expect(form.locator("input[name=place]")).to_have_value(PLACE)
    expect(form.locator("textarea[name=topic]")).to_have_value(TOPIC)
    expect(form.locator("textarea[name=result]")).to_have_value(RESULT)
    expect(form.locator("[data-hours-output]")).to_have_text("2")  # the page's scripts saw it
    assert fits_the_screen(mentor)

    # Saving works, and the draft is gone from the tab.
    with mentor.expect_navigation():
        form.locator("button[type=submit]").tap()
    assert mentor.url.endswith(f"/dienasgramata/{plan.pk}/2026-11/"), mentor.url
    entry = DiaryEntry.objects.get(plan=plan, place=PLACE)
    assert (entry.date, entry.start_time, entry.end_time) == (day, start, end)
    assert (entry.topic, entry.result, entry.hours) == (TOPIC, RESULT, 2)
    assert drafts_in(mentor) == 0


def test_a_warning_a_minute_before_the_end_offers_to_stay_logged_in(demo, log_in, request):
    _plan, _slot, form_url = a_meeting_to_record()
    mentor = log_in("mentor@demo.lv", **PHONE)
    mentor.clock.install()
    mentor.goto(form_url)
    mentor.locator("main input[name=place]").fill(PLACE)
    warning = mentor.locator("[data-session-timer]")
    expect(warning).to_have_text("")
    loaded = session_of(mentor).expire_date

    # 29 minutes on, in the browser and on the server: the warning, with its button.
    clock = server_clock(request, minutes=29)
    mentor.clock.fast_forward("29:01")
    expect(warning).to_contain_text(latvian(WARNING))
    expect(warning).to_be_in_viewport()
    stay = warning.get_by_role("button", name=latvian(STAY))
    box = stay.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert fits_the_screen(mentor)
    stay.tap()
    expect(warning).to_have_text("")
    extended = session_of(mentor).expire_date
    assert extended - loaded >= datetime.timedelta(minutes=29)

    # 31 minutes after the page loaded the session lives on: the form is still hers.
    clock.shift(datetime.timedelta(minutes=2))
    mentor.clock.fast_forward("02:00")
    expect(warning).to_have_text("")
    response = mentor.goto(form_url)
    assert response.url.endswith(form_url)
    expect(mentor.locator("main input[name=place]")).to_have_value(PLACE)  # kept, unsaved

    # Left alone past the end, the page says so and offers to log in; what she typed stays.
    mentor.locator("main textarea[name=topic]").fill(TOPIC)
    clock.shift(datetime.timedelta(minutes=31))
    mentor.clock.fast_forward("31:00")
    expect(warning).to_contain_text(latvian(ENDED_WITH_DRAFT))
    with mentor.expect_navigation():
        warning.locator("a[data-login-link]").tap()
    expect(mentor.locator("main [data-session-ended]")).to_contain_text(latvian(COMES_BACK))
    log_in_again(mentor)
    assert mentor.url.endswith(form_url), mentor.url
    expect(mentor.locator("main textarea[name=topic]")).to_have_value(TOPIC)
    expect(mentor.locator("main input[name=place]")).to_have_value(PLACE)


def test_a_form_the_server_refused_shows_what_the_server_answered(demo, log_in):
    """A submit that reached the server: its answer, not the draft, is what the page shows."""
    _plan, (day, start, _end), form_url = a_meeting_to_record()
    mentor = log_in("mentor@demo.lv", **PHONE)
    mentor.goto(form_url)
    form = mentor.locator("main form[data-keep-draft]")
    form.locator("input[name=date]").fill(day.isoformat())
    form.locator("input[name=start_time]").fill(start.strftime("%H:%M"))
    form.locator("input[name=end_time]").fill(start.strftime("%H:%M"))  # no span at all
    form.locator("input[name=place]").fill(PLACE)
    with mentor.expect_navigation():
        form.locator("button[type=submit]").tap()
    expect(mentor.locator("main .error-summary")).to_be_visible()
    expect(mentor.locator("main .draft-notice")).to_have_count(0)
    expect(mentor.locator("main input[name=place]")).to_have_value(PLACE)
    assert drafts_in(mentor) == 0  # the server's page stands; typing starts a new draft
    mentor.locator("main textarea[name=topic]").fill(TOPIC)
    assert drafts_in(mentor) == 1

    # Logging out drops the drafts of the tab.
    with mentor.expect_navigation():
        mentor.locator("form[action='/accounts/logout/']").first.evaluate("f => f.requestSubmit()")
    assert drafts_in(mentor) == 0


def test_a_preparers_learner_form_comes_back_with_its_choices_and_can_be_discarded(demo, log_in):
    """The session's row gone from the database ends it as surely as the idle time."""
    preparer = log_in("preparer@demo.lv", **PHONE)
    preparer.goto("/izglitojamie/jauns/")
    form = preparer.locator("main form[data-keep-draft]")
    form.locator("input[name=first_name]").fill("Madara")
    form.locator("input[name=last_name]").fill("Ezeriņa")
    form.locator("input[name=birth_date]").fill("2011-03-04")
    radios = form.locator("input[name=education]")
    radios.nth(1).check()
    chosen = radios.nth(1).get_attribute("value")
    form.locator("input[name=course]").fill("2")

    Session.objects.all().delete()
    with preparer.expect_navigation():
        form.locator("button[type=submit]").tap()
    expect(preparer.locator("main [data-session-ended]")).to_contain_text(latvian(COMES_BACK))
    preparer.locator("input[name=login]").fill("preparer@demo.lv")
    preparer.locator("input[name=password]").fill(DEMO_PASSWORD)
    with preparer.expect_navigation():
        preparer.locator("main form button[type=submit]").tap()
    assert preparer.url.endswith("/izglitojamie/jauns/"), preparer.url

    form = preparer.locator("main form[data-keep-draft]")
    notice = preparer.locator("main .draft-notice")
    expect(notice).to_contain_text(latvian(IS_BACK))
    expect(form.locator("input[name=first_name]")).to_have_value("Madara")
    expect(form.locator("input[name=last_name]")).to_have_value("Ezeriņa")
    expect(form.locator("input[name=birth_date]")).to_have_value("2011-03-04")
    expect(form.locator(f"input[name=education][value='{chosen}']")).to_be_checked()
    expect(form.locator("input[name=course]")).to_have_value("2")

    # "Discard it and start again": the form as the server sent it, and no draft.
    notice.get_by_role("button").tap()
    expect(notice).to_have_count(0)
    expect(form.locator("input[name=first_name]")).to_have_value("")
    expect(form.locator("input[name=education]:checked")).to_have_count(0)
    assert drafts_in(preparer) == 0

"""Phone first (issue 11) in a real browser, on the demo data of `manage.py demo`.

On a 360×740 screen the demo mentor goes from her dashboard to a saved meeting in at most
three taps and without scrolling; the header folds into one menu button (that works without
JavaScript too) and keeps a visible menu on a wide screen; the entry form's verb and hours
follow what is typed; links and buttons outside running text are at least 44×44 px.
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from diary.models import DiaryEntry, DiaryMonth
from diary.services import hours_in_month, meeting_span, month_limit, plan_hours_in_month
from iap.models import MAX_MONTHLY_HOURS, Plan

# The live server needs committed data; serialized_rollback restores the reference data
# (regions, municipalities from the migrations) that the flush after each test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH, HEIGHT = 360, 740
PHONE = {"viewport": {"width": WIDTH, "height": HEIGHT}, "is_mobile": True, "has_touch": True}
WIDE = {"viewport": {"width": 1280, "height": 800}}
PLACE = "Vērmanes dārzs, soliņš VIETA-P11"
TOPIC = "Pastaiga un saruna TEMATS-P11"
RESULT = "Sarunājām nākamo tikšanos REZULTATS-P11"
# Counts the page's scrolls from now on.
COUNT_SCROLLS = """() => {
  window.__scrolls = 0;
  addEventListener('scroll', function () { window.__scrolls += 1; }, {passive: true});
}"""
# Links, buttons and disclosure buttons that are not inside running text, with their size.
TAP_TARGETS = """() => Array.from(document.querySelectorAll(
    'header a, header button, header summary, main a, main button, main summary,'
    + ' main input[type=file]'))
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .filter(e => !e.closest('.visually-hidden'))
  .filter(e => {
    const parent = e.parentElement;
    const inText = ['P', 'LI', 'DD', 'TD', 'SPAN'].includes(parent.tagName)
      && parent.textContent.trim() !== e.textContent.trim();
    return !inText;
  })
  .map(e => {
    const box = e.getBoundingClientRect();
    return {what: e.tagName + ' ' + (e.textContent.trim() || e.name || e.type).slice(0, 40),
            width: Math.round(box.width), height: Math.round(box.height)};
  })"""


def lv(text):
    with translation.override("lv"):
        return gettext(text)


def in_view(locator):
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= HEIGHT
        and box["x"] >= 0
        and box["x"] + box["width"] <= WIDTH
    )


def scrolled(page):
    return page.evaluate("[window.scrollY, window.__scrolls || 0]")


def free_the_meeting_just_held(plan):
    """Room in the demo's diary for the meeting the form offers (two academic hours that
    have just ended): the hours left in the month (CAP-2) and no meeting of the mentor's in
    those hours (CAP-3). The demo's meetings in the way are deleted."""
    now = timezone.localtime()
    today = now.date()
    first = today.replace(day=1)
    record = DiaryMonth.objects.filter(plan=plan, month=first).first()
    assert record is None or not record.is_locked_for_mentor
    starts_at, ends_at, _hours, _minutes = meeting_span(
        today, datetime.time(7, 0), (now + datetime.timedelta(minutes=30)).time()
    )
    DiaryEntry.objects.filter(
        mentor=plan.mentor, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).delete()

    def left():
        return min(
            month_limit(plan) - plan_hours_in_month(plan, today),
            MAX_MONTHLY_HOURS - hours_in_month(plan.learner, today),
        )

    later = DiaryEntry.objects.filter(
        plan__learner=plan.learner, date__gte=first, starts_at__gt=now
    )
    while left() < 2:
        later.order_by("-starts_at").first().delete()


def test_from_the_dashboard_to_a_saved_meeting_in_three_taps_without_scrolling(demo, log_in):
    """360×740: dashboard → saved meeting, at most 3 taps and no scroll (filling is no tap)."""
    mentor = log_in("mentor@demo.lv", **PHONE)
    assert mentor.url.endswith("/"), mentor.url  # logging in lands on the dashboard
    mentor.evaluate(COUNT_SCROLLS)
    taps = []

    def tap(locator):
        taps.append(locator)
        locator.tap()

    # --- The dashboard: a short header, and the learners first.
    header = mentor.locator("header.site-header").bounding_box()
    assert header["height"] <= 64, header  # under 9 % of the first screen
    first_card = mentor.locator("main section.card").first
    expect(first_card).to_have_class(re.compile(r"\bdiary-card\b"))
    record = first_card.locator("a.button[href$='/jauns/']")
    expect(record).to_have_text(lv("Record a meeting"))
    assert in_view(record)
    plan = Plan.objects.get(pk=int(re.search(r"/(\d+)/jauns/$", record.get_attribute("href"))[1]))
    free_the_meeting_just_held(plan)
    assert scrolled(mentor) == [0, 0]

    # --- Tap 1: "Record a meeting": today's date and the meeting that has just ended.
    tap(record)
    mentor.wait_for_url(re.compile(rf"/dienasgramata/{plan.pk}/jauns/$"))
    mentor.evaluate(COUNT_SCROLLS)
    form = mentor.locator("main form[data-hours-form]")
    expect(mentor.locator("main h1")).to_have_text(lv("Record a meeting"))
    expect(form.locator("input[name=date]")).to_have_value(timezone.localdate().isoformat())
    start = form.locator("input[name=start_time]").input_value()
    end = form.locator("input[name=end_time]").input_value()
    assert re.fullmatch(r"\d\d:\d\d", start) and re.fullmatch(r"\d\d:\d\d", end), (start, end)
    expect(form.locator("[data-hours-output]")).to_have_text("2")

    # --- Filling is typing, not tapping: place, topic and result, all on the first screen.
    for name, text in (("place", PLACE), ("topic", TOPIC), ("result", RESULT)):
        field = form.locator(f"[name={name}]")
        assert in_view(field), name
        field.fill(text)
    save = form.locator("button[data-entry-submit]")
    expect(save).to_have_text(lv("Record a meeting"))
    assert in_view(save), save.bounding_box()
    assert scrolled(mentor) == [0, 0]

    # --- Tap 2: saved; the month's page shows it.
    with mentor.expect_navigation():
        tap(save)
    assert re.search(rf"/dienasgramata/{plan.pk}/\d{{4}}-\d\d/$", mentor.url), mentor.url
    expect(mentor.locator(".messages .message-success")).to_have_count(1)
    entry = DiaryEntry.objects.get(plan=plan, place=PLACE)
    assert (entry.topic, entry.result, entry.date) == (TOPIC, RESULT, timezone.localdate())
    assert entry.hours == 2
    assert len(taps) <= 3, len(taps)
    expect(mentor.locator("main table.stack tbody tr").filter(has_text=PLACE)).to_have_count(1)


def test_the_header_folds_into_one_menu_button_on_a_phone_and_stays_open_on_a_wide_screen(
    demo, log_in
):
    mentor = log_in("mentor@demo.lv", **PHONE)
    menu = mentor.locator("header summary.site-menu-button")
    nav = mentor.get_by_role("navigation", name=lv("Main menu"))
    logout = mentor.locator("header form[action='/accounts/logout/'] button")
    expect(menu).to_be_visible()
    expect(nav).to_be_hidden()
    expect(logout).to_be_hidden()
    menu.tap()
    expect(nav).to_be_visible()
    expect(logout).to_be_visible()
    expect(mentor.locator("header a[href='/accounts/password/change/']")).to_be_visible()
    # "Log out" is the last thing in the menu, set apart from every link.
    panel = mentor.locator("header .site-menu-panel")
    last = panel.locator("a, button").last
    expect(last).to_have_text(lv("Log out"))
    before = panel.locator("a").last.bounding_box()
    after = logout.bounding_box()
    assert after["y"] - (before["y"] + before["height"]) >= 12, (before, after)
    for link in nav.locator("a").all():
        box = link.bounding_box()
        assert box["height"] >= 44, (link.inner_text(), box)
    menu.tap()
    expect(nav).to_be_hidden()

    # --- Without JavaScript the menu opens all the same.
    still = log_in("mentor@demo.lv", java_script_enabled=False, **PHONE)
    still.locator("header summary.site-menu-button").tap()
    expect(still.get_by_role("navigation", name=lv("Main menu"))).to_be_visible()

    # --- A wide screen shows the menu and the account in the header, no menu button.
    wide = log_in("mentor@demo.lv", **WIDE)
    expect(wide.locator("header summary.site-menu-button")).to_be_hidden()
    expect(wide.get_by_role("navigation", name=lv("Main menu"))).to_be_visible()
    expect(wide.locator("header form[action='/accounts/logout/'] button")).to_be_visible()


def test_the_entry_forms_verb_and_hours_follow_what_is_typed(demo, log_in):
    mentor = log_in("mentor@demo.lv", **PHONE)
    href = mentor.locator("main section.diary-card a.button[href$='/jauns/']").first
    href.tap()
    mentor.wait_for_url(re.compile(r"/jauns/$"))
    form = mentor.locator("main form[data-hours-form]")
    title, save = mentor.locator("main h1"), form.locator("button[data-entry-submit]")
    today = timezone.localdate()
    # A day ahead: planned.
    form.locator("input[name=date]").fill((today + datetime.timedelta(days=3)).isoformat())
    expect(title).to_have_text(lv("Plan a meeting"))
    expect(save).to_have_text(lv("Plan a meeting"))
    # Today, still ahead: planned; today, already started: recorded.
    form.locator("input[name=date]").fill(today.isoformat())
    form.locator("input[name=start_time]").fill("23:00")
    form.locator("input[name=end_time]").fill("23:50")
    expect(title).to_have_text(lv("Plan a meeting"))
    form.locator("input[name=start_time]").fill("06:00")
    form.locator("input[name=end_time]").fill("06:30")
    expect(title).to_have_text(lv("Record a meeting"))
    expect(save).to_have_text(lv("Record a meeting"))
    # DIA-4: under 40 minutes says why it is no hour, not a bare "0".
    expect(form.locator("[data-hours-output]")).to_have_text("0")
    note = form.locator("[data-hours-note]")
    expect(note).to_have_text(lv("under 40 minutes: not one academic hour"))
    expect(note).to_be_visible()
    form.locator("input[name=end_time]").fill("07:20")
    expect(form.locator("[data-hours-output]")).to_have_text("2")


def test_links_and_buttons_outside_running_text_are_at_least_44_px_square(demo, log_in):
    mentor = log_in("mentor@demo.lv", **PHONE)
    plan_pk = int(
        re.search(
            r"/(\d+)/jauns/$",
            mentor.locator("main section.diary-card a.button[href$='/jauns/']").first.get_attribute(
                "href"
            ),
        )[1]
    )
    month = timezone.localdate().strftime("%Y-%m")
    entry = DiaryEntry.objects.filter(plan_id=plan_pk).order_by("pk").first()
    pages = ["/", f"/dienasgramata/{plan_pk}/{month}/", f"/dienasgramata/{plan_pk}/jauns/"]
    pages += ["/uzaicinajumi/"]
    if entry is not None:
        pages.append(f"/dienasgramata/ieraksts/{entry.pk}/")
    small = []
    for path in pages:
        mentor.goto(path)
        mentor.locator("header summary.site-menu-button").click()  # the menu's links too
        for target in mentor.evaluate(TAP_TARGETS):
            if target["width"] < 44 or target["height"] < 44:
                small.append((path, target))
    assert not small, small

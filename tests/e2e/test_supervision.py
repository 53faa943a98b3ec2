"""Supervision in a real browser, on the demo data of `manage.py demo`.

The demo mentor, on her phone, signs up for an upcoming supervision session of her region
(SUP-1); the session takes place, and the demo coordinator marks her as attended, which the
project staff may only from the session's start on; her dashboard then ticks step 6 of the
handbook's ten steps for her plan of that semester (CHK).
"""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from diary.models import DiaryEntry
from iap.models import Plan
from mentors.models import Mentor
from skola_kopiena.accounts.models import User
from skola_kopiena.accounts.permissions import acting_for
from skola_kopiena.schools.calendar import PROJECT_LAST_DAY
from supervision import selectors, services
from supervision.models import Session, Signup
from supervision.policies import mentor_target_groups
from tests.factories import give_totp

# The live server needs committed data; serialized_rollback restores the reference data
# (regions, municipalities from the migrations) that the flush after each test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DAY = datetime.timedelta(days=1)
STARTS = (datetime.time(10, 0), datetime.time(14, 0), datetime.time(9, 0), datetime.time(17, 0))
PLACE = "Rīgas Kultūras centrs „Iļģuciems”, Dagmāras iela 7, 2. zāle VIETA-5K8"
SUPERVISOR = "Inga Rudzīte (sertificēta supervizore)"
SUPERVISION_STEP = 5  # the sixth of the ten steps: "Supervision (optional)"


def fits_the_screen(page):
    """No sideways scrolling on the phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def submit(form):
    """Click the form's submit button and wait for the page the server answers with."""
    with form.page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def in_semester(plan, day):
    return plan.semester.start_date <= day <= plan.semester.latest_end_date


def is_free(mentor, starts_at, ends_at):
    """No meeting of the mentor's diary (CAP-3) and no session she signed up for overlaps."""
    overlap = {"starts_at__lt": ends_at, "ends_at__gt": starts_at}
    return not (
        DiaryEntry.objects.filter(mentor=mentor, **overlap).exists()
        or Session.objects.filter(
            signups__mentor=mentor, signups__cancelled_at__isnull=True, **overlap
        ).exists()
    )


def session_to_join(staff, anna, plan):
    """An upcoming session of Anna's region and target group, within the plan's semester,
    that she has not signed up for and can still join; if the demo offers none, the demo
    coordinator plans one on the first weekday from tomorrow on, at a time free of Anna's
    meetings."""
    groups = mentor_target_groups(anna)
    for session in selectors.mentor_offered_sessions(anna, groups):
        if (
            not session.is_mine
            and session.signup_open
            and not session.is_full
            and in_semester(plan, session.date)
            and is_free(anna, session.starts_at, session.ends_at)
        ):
            return session
    day = timezone.localdate() + DAY
    while day <= min(plan.semester.latest_end_date, PROJECT_LAST_DAY):
        for start in STARTS if day.weekday() < 5 else ():
            if is_free(anna, *Session.span(day, start)):
                return services.session_create(
                    actor=staff,
                    acting=acting_for(staff),
                    date=day,
                    start_time=start,
                    place=PLACE,
                    region=anna.region,
                    target_group=sorted(groups)[0],
                    capacity=12,
                    supervisor=SUPERVISOR,
                )
        day += DAY
    pytest.fail(f"no free 3 hours of Anna's left in {plan.semester}")


def supervision_step(page, plan):
    """The dashboard's step 6 for `plan`, the ten steps unfolded."""
    card = page.locator("main section.diary-card").filter(
        has=page.locator(f"a[href='/dienasgramata/{plan.pk}/']")
    )
    expect(card).to_have_count(1)
    card.locator("details > summary").tap()
    steps = card.locator("ol.checklist > li")
    expect(steps).to_have_count(10)
    step = steps.nth(SUPERVISION_STEP)
    expect(step).to_be_visible()
    return step


def test_a_mentor_signs_up_on_her_phone_and_attends_a_supervision_session(demo, log_in, request):
    """SUP-1, CHK step 6."""
    anna = Mentor.objects.get(email="mentor@demo.lv")
    staff = User.objects.get(email="staff@demo.lv")
    give_totp(staff)
    today = timezone.localdate()
    plans = Plan.objects.filter(mentor=anna, status=Plan.Status.APPROVED).select_related("semester")
    plan = next(p for p in plans.order_by("pk") if p.semester.latest_end_date > today)
    # A plan of an earlier semester: the session of this one does not tick its step 6.
    earlier = next(p for p in plans.order_by("pk") if p.semester.latest_end_date < today)
    # The demo's session of two weeks ago, in this semester, is marked as attended: its
    # coordinator corrects the mark, so that step 6 waits for the session of this test.
    for signup in Signup.objects.filter(
        mentor=anna,
        attended=True,
        session__date__gte=plan.semester.start_date,
        session__date__lte=plan.semester.latest_end_date,
    ).select_related("session"):
        services.attendance_mark(
            actor=staff,
            acting=acting_for(staff),
            session=signup.session,
            attended={signup.pk: False},
        )
    session = session_to_join(staff, anna, plan)
    signed_up_before = session.signed_up
    detail = f"/supervizijas/{session.pk}/"

    # --- The mentor, on her phone: step 6 of the plan is not ticked yet.
    mentor = log_in("mentor@demo.lv", **PHONE)
    expect(supervision_step(mentor, plan)).not_to_have_class("done")

    # --- SUP-1: the upcoming sessions of her region and target group; she signs up.
    mentor.locator("summary.site-menu-button").tap()  # on a phone the menu is one button
    mentor.locator("nav a[href='/supervizijas/']").tap()
    mentor.wait_for_url("**/supervizijas/")
    assert fits_the_screen(mentor)
    offered = mentor.locator("main ul.cards > li.card").filter(
        has=mentor.locator(f"a[href='{detail}']")
    )
    expect(offered).to_have_count(1)
    expect(offered).to_contain_text(session.place)
    expect(offered.locator(f"form[action='{detail}atteikt/']")).to_have_count(0)
    with mentor.expect_navigation():
        offered.locator(f"form[action='{detail}pieteikties/'] button[type=submit]").tap()
    assert mentor.url.endswith("/supervizijas/"), mentor.url
    expect(mentor.locator(".messages .message-success")).to_have_count(1)
    signup = Signup.objects.get(session=session, mentor=anna, cancelled_at__isnull=True)
    assert signup.attended is None
    session.refresh_from_db()
    assert session.signed_up == signed_up_before + 1
    # The session is hers now: no second sign-up, she may cancel until the day before ...
    expect(offered.locator(f"form[action='{detail}pieteikties/']")).to_have_count(0)
    expect(offered.locator(f"form[action='{detail}atteikt/']")).to_have_count(1)
    # ... and it is among her sign-ups, not marked yet.
    mine = mentor.locator("main table.stack tbody tr").filter(
        has=mentor.locator(f"a[href='{detail}']")
    )
    expect(mine).to_have_count(1)
    expect(mine.locator(".tag")).to_have_count(1)
    expect(mine.locator(".tag-success, .tag-warning, .tag-muted")).to_have_count(0)
    assert fits_the_screen(mentor)

    # --- Before the session's start, staff see her signed up, but keep no attendance yet.
    coordinator = log_in("staff@demo.lv")
    coordinator.goto(detail)
    expect(coordinator.locator("main")).to_contain_text(anna.full_name)
    expect(coordinator.locator(f"main form[action='{detail}apmeklejums/']")).to_have_count(0)

    # --- The session takes place: the clock moves to the evening after it.
    clock = time_machine.travel(session.ends_at + datetime.timedelta(hours=2), tick=True)
    clock.start()
    request.addfinalizer(clock.stop)

    # --- SUP-1: the demo coordinator marks her as attended on the session's page.
    coordinator = log_in("staff@demo.lv")  # a day on, the session has expired
    coordinator.locator("nav a[href='/supervizijas/']").click()
    coordinator.wait_for_url("**/supervizijas/")
    coordinator.locator(f"main table.stack a[href='{detail}']").click()
    coordinator.wait_for_url(f"**{detail}")
    attendance = coordinator.locator(f"main form[action='{detail}apmeklejums/']")
    attendance.locator(f"input[name=signup_{signup.pk}][value=yes]").check()
    submit(attendance)
    assert coordinator.url.endswith(detail), coordinator.url
    expect(coordinator.locator(".messages .message-success")).to_have_count(1)
    signup.refresh_from_db()
    assert signup.attended is True
    assert signup.marked_by == staff
    expect(attendance.locator(f"input[name=signup_{signup.pk}][value=yes]")).to_be_checked()

    # --- The mentor sees it among her sign-ups, attended ...
    mentor = log_in("mentor@demo.lv", **PHONE)
    mentor.locator("summary.site-menu-button").tap()
    mentor.locator("nav a[href='/supervizijas/']").tap()
    mentor.wait_for_url("**/supervizijas/")
    mine = mentor.locator("main table.stack tbody tr").filter(
        has=mentor.locator(f"a[href='{detail}']")
    )
    expect(mine.locator(".tag-success")).to_have_count(1)
    # ... no longer among the upcoming sessions ...
    expect(mentor.locator(f"main ul.cards a[href='{detail}']")).to_have_count(0)
    assert fits_the_screen(mentor)

    # --- ... and, CHK: her dashboard ticks step 6 for the plan of that semester, only.
    mentor.locator("summary.site-menu-button").tap()
    mentor.locator("nav a[href='/']").tap()
    mentor.wait_for_url(lambda url: url.endswith("/"))
    expect(supervision_step(mentor, plan)).to_have_class("done")
    expect(supervision_step(mentor, earlier)).not_to_have_class("done")
    assert fits_the_screen(mentor)

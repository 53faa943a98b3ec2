"""The mentor's diary in a real browser, on the demo data of `manage.py demo`.

A month of mentoring from the mentor's phone to the employer's approval: planning a meeting
with its hours shown live (DIA-2, DIA-4), reporting its result (DIA-7), the timesheet printed
from the portal and its signed scan (TS-1, TS-3), the month confirmed and approved (APR-1),
and the preparer, who sees each month's status and hours but not its content (DIA-6).
"""

import datetime
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from diary.models import DiaryEntry, DiaryMonth
from diary.services import hours_in_month, meeting_span
from iap.models import MAX_MONTHLY_HOURS, Plan
from iap.services import plan_allows_mentoring
from mentors.models import Contract, Mentor
from skola_kopiena.accounts.models import User
from skola_kopiena.schools.models import Institution
from tests.factories import PDF_BYTES, advance_plan, make_learner, make_plan, semester
from tests.factories import month_end as month_end_clock

# The live server needs committed data; serialized_rollback restores the reference data
# (regions, municipalities from the migrations) that the flush after each test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCHOOL = "Rīgas 64. vidusskola"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NOVEMBER = datetime.date(2026, 11, 1)
# Meetings of 80 minutes (two academic hours) that end before 10:30, the tests' "now".
SLOTS = [(datetime.time(6, 0), datetime.time(7, 20)), (datetime.time(7, 20), datetime.time(8, 40))]
# Unique strings, so that the preparer's page can be searched for them.
PLACE = "Vērmanes dārzs, soliņš VIETA-7Q3"
TOPIC = "Iepazīšanās pastaigā TEMATS-7Q3"
RESULT = "Sastādījām nedēļas plānu REZULTATS-7Q3"
COMMENT = "Ļoti atvērts sarunai KOMENTARS-7Q3"


def fits_the_screen(page):
    """No sideways scrolling on the phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def submit(form):
    """Click the form's submit button and wait for the page the server answers with."""
    with form.page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def november_is_free(plan, extra_hours):
    """Can the mentor add a meeting to the plan's November and confirm the month today?"""
    now = timezone.now()
    record = DiaryMonth.objects.filter(plan=plan, month=NOVEMBER).first()
    if record is not None and record.status != DiaryMonth.Status.OPEN:
        return False
    entries = plan.diary_entries.filter(date__gte=NOVEMBER, date__lt=datetime.date(2026, 12, 1))
    if any(e.starts_at > now or not e.has_result for e in entries):
        return False  # a meeting still ahead, or one without its result, blocks confirming
    return hours_in_month(plan.learner, NOVEMBER) + extra_hours <= MAX_MONTHLY_HOURS


def free_slot(mentor, plan):
    """(date, start, end) of 80 minutes today, or on an earlier November day, that the plan
    allows and that none of the mentor's meetings overlaps (CAP-3)."""
    today = timezone.localdate()
    for back in range(today.day):
        day = today - datetime.timedelta(days=back)
        if not plan_allows_mentoring(plan, day):
            continue
        for start, end in SLOTS:
            starts_at, ends_at, _hours, _minutes = meeting_span(day, start, end)
            taken = DiaryEntry.objects.filter(
                mentor=mentor, starts_at__lt=ends_at, ends_at__gt=starts_at
            ).exists()
            if not taken and ends_at <= timezone.now():
                return day, start, end
    return None


def anna_plan(anna, school):
    """An active plan of Anna's at the school, employed by the school, with November open.

    The demo's own plan if its November allows the whole month end today; otherwise a fresh
    approved plan for a new learner, under the demo's year contract of Anna with the school.
    """
    candidates = Plan.objects.filter(
        mentor=anna,
        learner__institution=school,
        status=Plan.Status.APPROVED,
        contract__employer=school,
    ).order_by("pk")
    for plan in candidates:
        if november_is_free(plan, 2) and free_slot(anna, plan):
            return plan
    preparer = User.objects.get(email="preparer@demo.lv")
    approver = User.objects.get(email="approver@demo.lv")
    autumn = semester("2026/2027", 1)
    learner = make_learner(
        preparer,
        school,
        first_name="Valters",
        last_name="Dienvidnieks",
        birth_date=datetime.date(2012, 5, 6),
    )
    contract = Contract.objects.get(
        mentor=anna, employer=school, school_year=autumn.school_year, semester=None
    )
    plan = make_plan(preparer, learner, on_semester=autumn)
    return advance_plan(
        plan,
        preparer=preparer,
        mentor=anna,
        to="approved",
        approver=approver,
        contract=contract,
    )


def test_a_mentor_runs_a_month_on_a_phone_and_the_approver_approves_it(
    demo, log_in, tmp_path, request
):
    """DIA-2, DIA-4, DIA-7, TS-1, TS-3, APR-1, DIA-6."""
    school = Institution.objects.get(name=SCHOOL)
    anna = Mentor.objects.get(email="mentor@demo.lv")
    plan = anna_plan(anna, school)
    assert plan.status == Plan.Status.APPROVED
    assert plan.contract.employer == school
    assert november_is_free(plan, 2)
    slot = free_slot(anna, plan)
    assert slot, "no free 80 minutes of Anna's before 10:30 in the plan's November"
    day, start, end = slot
    hours_before = hours_in_month(plan.learner, NOVEMBER)
    plan_hours_before = sum(
        plan.diary_entries.filter(
            date__gte=NOVEMBER, date__lt=datetime.date(2026, 12, 1)
        ).values_list("hours", flat=True)
    )
    pk = plan.pk
    month_path = f"/dienasgramata/{pk}/2026-11/"
    scan = tmp_path / "grafiks-parakstits.pdf"
    scan.write_bytes(PDF_BYTES)

    # --- The mentor, on her phone, opens the plan and its diary: this month's page.
    mentor = log_in("mentor@demo.lv", **PHONE)
    mentor.goto(f"/iap/{pk}/")
    mentor.locator(f"main a[href='/dienasgramata/{pk}/']").tap()
    mentor.wait_for_url(f"**{month_path}")
    expect(mentor.locator("main h1")).to_be_visible()
    assert fits_the_screen(mentor)

    # --- DIA-2, DIA-4: she plans a meeting; the hours show as she types the times.
    mentor.locator(f"main a[href^='/dienasgramata/{pk}/jauns/']").tap()
    mentor.wait_for_url(re.compile(rf"/dienasgramata/{pk}/jauns/\?datums=2026-11-01$"))
    assert fits_the_screen(mentor)
    form = mentor.locator("main form[data-hours-form]")
    output = form.locator("[data-hours-output]")
    expect(output).to_have_text("—")
    form.locator("input[name=date]").fill(day.isoformat())
    form.locator("input[name=start_time]").fill(start.strftime("%H:%M"))
    form.locator("input[name=end_time]").fill("06:39" if start.hour == 6 else "07:59")
    expect(output).to_have_text("0")  # 39 minutes: less than one academic hour
    form.locator("input[name=end_time]").fill(end.strftime("%H:%M"))
    expect(output).to_have_text("2")  # 80 minutes: two academic hours of 40 minutes
    form.locator("input[name=place]").fill(PLACE)
    form.locator("textarea[name=topic]").fill(TOPIC)
    form.locator("details.optional-field > summary").tap()  # the optional comment is folded
    form.locator("textarea[name=comment]").fill(COMMENT)
    with mentor.expect_navigation():
        form.locator("button[type=submit]").tap()
    assert mentor.url.endswith(month_path), mentor.url
    entry = DiaryEntry.objects.get(plan=plan, place=PLACE)
    assert (entry.date, entry.start_time, entry.end_time, entry.hours) == (day, start, end, 2)
    assert entry.result == ""
    assert fits_the_screen(mentor)

    # --- DIA-7: the meeting is over, so the month page asks for its result; she fills it in.
    edit = mentor.locator(f"main a[href='/dienasgramata/ieraksts/{entry.pk}/']")
    expect(edit).to_have_count(1)
    edit.tap()
    mentor.wait_for_url(f"**/dienasgramata/ieraksts/{entry.pk}/")
    form = mentor.locator("main form[data-hours-form]")
    expect(form.locator("[data-hours-output]")).to_have_text("2")
    form.locator("textarea[name=result]").fill(RESULT)
    with mentor.expect_navigation():
        form.locator("button[type=submit]").tap()
    assert mentor.url.endswith(month_path), mentor.url
    entry.refresh_from_db()
    assert entry.result == RESULT
    row = mentor.locator("main table.stack tbody tr").filter(has_text=PLACE)
    expect(row).to_contain_text(RESULT)

    # --- TS-1: the timesheet, filled in from the diary, printed as a PDF.
    with mentor.expect_download() as download:
        mentor.locator(f"main a[href='/dienasgramata/{pk}/grafiks.pdf']").first.tap()
    assert download.value.suggested_filename == f"grafiks-{pk}.pdf"
    with open(download.value.path(), "rb") as printed:
        assert printed.read(5) == b"%PDF-"

    # --- DIA-7: confirming is offered from the month's last day on, not before.
    expect(mentor.locator(f"main form[action='{month_path}apstiprinat/']")).to_have_count(0)
    clock = month_end_clock(NOVEMBER)
    clock.start()
    request.addfinalizer(clock.stop)
    mentor = log_in("mentor@demo.lv", **PHONE)  # five days on, the session has expired
    mentor.goto(month_path)

    # --- TS-3: the signed timesheet's scan; then DIA-7: the month is confirmed.
    month_end = mentor.locator("main section.card").filter(
        has=mentor.locator(f"form[action='{month_path}apstiprinat/']")
    )
    month_end.locator("input[name=file]").set_input_files(scan)
    submit(month_end.locator(f"form[action='{month_path}grafiks/']"))
    record = DiaryMonth.objects.get(plan=plan, month=NOVEMBER)
    assert record.timesheet_scan
    assert record.status == DiaryMonth.Status.OPEN
    with mentor.expect_navigation():
        month_end.locator(f"form[action='{month_path}apstiprinat/'] button[type=submit]").tap()
    record.refresh_from_db()
    assert record.status == DiaryMonth.Status.CONFIRMED, mentor.locator("main").inner_text()
    assert record.hours == plan_hours_before + 2
    # Confirmed, the month is locked for the mentor: no more planning, editing or month end.
    expect(mentor.locator(f"main a[href^='/dienasgramata/{pk}/jauns/']")).to_have_count(0)
    expect(mentor.locator(f"main form[action='{month_path}apstiprinat/']")).to_have_count(0)

    # --- APR-1: the school's approver finds the month in the queue and approves it.
    approver = log_in("approver@demo.lv")
    approver.goto("/stundas/")
    card = approver.locator("main section.card").filter(
        has=approver.locator(f"form[action='/stundas/{record.pk}/lemums/']")
    )
    expect(card).to_contain_text(plan.learner.full_name)
    expect(card).to_contain_text(TOPIC)  # DIA-6: the approver sees the topic ...
    for secret in (PLACE, RESULT, COMMENT):  # ... but never the place, result or comment
        expect(card).not_to_contain_text(secret)
    with approver.expect_navigation():
        card.locator("button[name=decision][value=approve]").click()
    record.refresh_from_db()
    assert record.status == DiaryMonth.Status.APPROVED
    assert record.decided_by.email == "approver@demo.lv"
    expect(approver.locator(f"main form[action='/stundas/{record.pk}/lemums/']")).to_have_count(0)

    # --- DIA-6: the preparer sees the month's status and hours, never its content.
    with translation.override("lv"):
        approved = str(DiaryMonth.Status.APPROVED.label)
    preparer = log_in("preparer@demo.lv")
    response = preparer.goto(month_path)
    assert response.status == 200
    summary = preparer.locator("main dl.summary")
    expect(summary.locator("dd").nth(0)).to_contain_text(approved)
    expect(summary.locator("dd").nth(1)).to_have_text(re.compile(rf"^\s*{hours_before + 2}\b"))
    november = preparer.locator(f"main nav a[href='{month_path}']")
    expect(november).to_contain_text(f"{record.hours} h")
    main = preparer.locator("main")
    for secret in (PLACE, TOPIC, RESULT, COMMENT):
        expect(main).not_to_contain_text(secret)
    # Their timesheet is the blank form with the plan's header (DIA-6).
    with preparer.expect_download() as blank:
        preparer.locator(f"main a[href='/dienasgramata/{pk}/grafiks.pdf']").click()
    with open(blank.value.path(), "rb") as printed:
        text = " ".join(p.extract_text() for p in PdfReader(printed).pages)
    assert TOPIC not in " ".join(text.split())

    # --- The final state.
    record.refresh_from_db()
    assert record.status == DiaryMonth.Status.APPROVED
    assert record.hours == plan_hours_before + 2
    assert record.confirmed_at is not None
    assert hours_in_month(plan.learner, NOVEMBER) == hours_before + 2
    entry.refresh_from_db()
    assert (entry.hours, entry.place, entry.result, entry.comment) == (2, PLACE, RESULT, COMMENT)

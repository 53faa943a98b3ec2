"""Pay in a real browser, on the demo data of `manage.py demo`.

The demo approver closes last month for payroll, once (PAY-6), and downloads the spreadsheet
the employer's accountant gets (PAY-3), made by a Celery task behind a progress page; the
demo mentor then follows her own hours and pay, with the months not payable yet and why
(PAY-1, PAY-5).
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import date_format, number_format
from openpyxl import load_workbook
from playwright.sync_api import expect

from diary.models import DiaryMonth
from mentors.models import Mentor
from payroll.models import PayrollExport, PayrollRun
from payroll.selectors import own_pay
from skola_kopiena.schools.models import Institution
from tests.factories import semester

# The live server needs committed data; serialized_rollback restores the reference data
# (regions, municipalities from the migrations) that the flush after each test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCHOOL = "Rīgas 64. vidusskola"
# The tests' today is 25.11.2026: last month is October, the month before it September.
SEPTEMBER = datetime.date(2026, 9, 1)
OCTOBER = datetime.date(2026, 10, 1)
EXPORT_URL = re.compile(r"/eksporti/(\d+)/$")
# The spreadsheet's columns (payroll/exports.py): mentor, certificate, contract, plan, month
# of the hours, correction, hours, rate, amount, and the amount's three parts.
MENTOR, PLAN, MONTH, CORRECTION, HOURS, RATE, AMOUNT = 0, 3, 4, 5, 6, 7, 8


def in_latvian(function, *args):
    with translation.override("lv"):
        return function(*args)


def test_the_approver_closes_last_month_and_the_mentor_follows_her_pay(demo, log_in, tmp_path):
    """PAY-1, PAY-3, PAY-5, PAY-6."""
    school = Institution.objects.get(name=SCHOOL)
    anna = Mentor.objects.get(email="mentor@demo.lv")
    # The demo: September is closed by the school's approver; October is approved (at least
    # for one of Anna's plans) and waits to be closed; one of Anna's months is returned.
    assert PayrollRun.objects.filter(employer=school, month=SEPTEMBER).exists()
    assert not PayrollRun.objects.filter(employer=school, month=OCTOBER).exists()
    approved = DiaryMonth.objects.filter(
        plan__mentor=anna,
        plan__contract__employer=school,
        month=OCTOBER,
        status=DiaryMonth.Status.APPROVED,
    ).first()
    assert approved is not None and approved.hours > 0
    returned = (
        DiaryMonth.objects.filter(
            plan__mentor=anna, plan__semester=semester(), status=DiaryMonth.Status.RETURNED
        )
        .select_related("plan__learner")
        .first()
    )
    assert returned is not None
    employer_path = f"/darba-samaksa/iestade/{school.pk}/2026-10/"

    # --- "Darba samaksa" opens on last month, with the lines not paid yet.
    approver = log_in("approver@demo.lv")
    approver.locator("nav a[href='/darba-samaksa/']").click()
    approver.wait_for_url(f"**{employer_path}")
    expect(approver.locator(f"main form[action='{employer_path}eksports/']")).to_have_count(0)
    # PAY-1: the returned month is listed as not payable, with the approver's reason.
    waiting = approver.locator("main table.stack tbody tr").filter(has_text=returned.return_reason)
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text(f"{returned.month:%m.%Y}")

    # --- PAY-6: the approver closes October for payroll; the page says so.
    with approver.expect_navigation():
        approver.locator(f"main form[action='{employer_path}slegt/'] button[type=submit]").click()
    assert approver.url.endswith(employer_path), approver.url
    run = PayrollRun.objects.get(employer=school, month=OCTOBER)
    assert run.closed_by.email == "approver@demo.lv"
    line = run.lines.get(diary_month=approved)
    assert (line.mentor, line.hours, line.amount) == (
        anna,
        approved.hours,
        line.hours * line.rate_amount,
    )
    assert run.hours == sum(run.lines.values_list("hours", flat=True))
    assert run.amount == sum(run.lines.values_list("amount", flat=True))
    confirmation = approver.locator(".messages .message-success")
    expect(confirmation).to_have_count(1)
    expect(confirmation).to_contain_text(in_latvian(date_format, OCTOBER, "F Y"))
    expect(confirmation).to_contain_text(f"{run.hours}")
    amount_text = in_latvian(lambda: number_format(run.amount, 2, force_grouping=True))
    expect(confirmation).to_contain_text(amount_text)
    # Closed once: the button is gone (a second click would change nothing).
    expect(approver.locator(f"main form[action='{employer_path}slegt/']")).to_have_count(0)

    # --- The XLSX, made in the background behind its progress page.
    export_form = approver.locator(f"main form[action='{employer_path}eksports/']")
    export_form.locator("select[name=file_format]").select_option("xlsx")
    export_form.locator("button[type=submit]").click()
    approver.wait_for_url(EXPORT_URL)
    export = PayrollExport.objects.get(pk=int(EXPORT_URL.search(approver.url).group(1)))
    assert (export.employer, export.month, export.file_format) == (school, OCTOBER, "xlsx")
    link = approver.locator(f"main a[href='/faili/payroll/payrollexport/{export.pk}/file/']")
    expect(link).to_be_visible()  # the page refreshes itself until the file is ready
    with approver.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"darba-samaksa-2026-10-iestade-{school.pk}.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    workbook = load_workbook(saved, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    body, totals = rows[1:-1], rows[-1]
    assert len(body) == run.lines.count()
    (row,) = [r for r in body if r[MENTOR] == line.mentor_name and r[PLAN] == line.plan_id]
    # Numbers stay numbers, for the accountant's formulas: whole hours, amounts in euros.
    assert type(row[HOURS]) is int and row[HOURS] == line.hours
    assert isinstance(row[AMOUNT], int | float) and Decimal(str(row[AMOUNT])) == line.amount
    assert Decimal(str(row[RATE])) == line.rate_amount
    assert row[MONTH].date() == OCTOBER and row[CORRECTION] in ("", None)
    assert type(totals[HOURS]) is int and totals[HOURS] == run.hours
    assert isinstance(totals[AMOUNT], int | float) and Decimal(str(totals[AMOUNT])) == run.amount

    # --- PAY-5: the mentor follows her hours and pay: an amount, and what waits, and why.
    mentor = log_in("mentor@demo.lv")
    mentor.locator("nav a[href='/samaksa/']").click()
    mentor.wait_for_url("**/samaksa/")
    pay = own_pay(anna, semester())
    assert pay["amount"] > 0
    totals = mentor.locator("main dl.totals")
    expect(totals).to_contain_text(f"{in_latvian(floatformat, pay['amount'], '2g')} €")
    expect(totals).to_contain_text(str(pay["hours"]))
    # October of the approved plan: payable, and paid in the payroll just closed.
    october = mentor.locator("main section.card").filter(
        has=mentor.locator("h3", has_text=in_latvian(date_format, OCTOBER, "F Y"))
    )
    paid = october.locator("tbody tr").filter(has_text=approved.plan.learner.full_name)
    expect(paid.locator(".tag-success")).to_have_count(1)
    expect(paid).to_contain_text(f"{in_latvian(floatformat, line.amount, '2g')} €")
    expect(paid).to_contain_text("10.2026")
    # The returned month: not payable yet, with the approver's reason.
    card = mentor.locator("main section.card").filter(
        has=mentor.locator("h3", has_text=in_latvian(date_format, returned.month, "F Y"))
    )
    row = card.locator("tbody tr").filter(has_text=returned.plan.learner.full_name)
    expect(row.locator(".tag-warning")).to_have_count(1)
    expect(row).to_contain_text(returned.return_reason)

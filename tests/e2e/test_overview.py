"""The overview in a real browser, on the demo data of `manage.py demo`: the demo staff
member opens it, reads a plot and its table, and follows a figure to the plans behind it;
the national demo staff member sees every region side by side; the demo auditor reads a plan
and downloads its learner's complete record."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from skola_kopiena.accounts.models import User
from skola_kopiena.schools.models import Region
from tests.factories import give_totp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_staff_member_follows_a_figure_to_its_plans(demo, log_in):
    give_totp(User.objects.get(email="staff@demo.lv"))
    page = log_in("staff@demo.lv")
    page.get_by_role("link", name="Pārskats").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pārskats")
    expect(page.locator("svg.chart").first).to_be_visible()
    table = page.locator(
        "table", has=page.locator("caption", has_text="Atbalsta plāni pēc statusa")
    )
    active = table.get_by_role("row", name=re.compile("^aktīvs"))
    count = int(active.locator("a").first.inner_text())
    assert count > 0
    active.locator("a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atbalsta plāni")
    expect(page.locator("select[name=statuss]")).to_have_value("approved")
    rows = page.locator("table.stack tbody tr")
    assert rows.count() == min(count, 50)
    expect(rows.first).to_contain_text("aktīvs")


def test_the_national_staff_member_sees_every_region(demo, log_in, tmp_path):
    give_totp(User.objects.get(email="national@demo.lv"))
    page = log_in("national@demo.lv")
    page.goto("/parskats/")
    header = page.locator(
        "table", has=page.locator("caption", has_text="Atbalsta plāni pēc statusa")
    ).locator("thead")
    for region in Region.objects.all():
        expect(header).to_contain_text(region.name)
    # The page's own contents lead to each figure, the last one too.
    page.get_by_role("navigation", name="Šajā lapā").get_by_role(
        "link", name="Mentori un plāni pa pašvaldībām"
    ).click()
    expect(page).to_have_url(re.compile(r"#supply-heading$"))
    expect(page.get_by_role("heading", name="Mentori un plāni pa pašvaldībām")).to_be_in_viewport()
    page.screenshot(path=tmp_path / "overview.png", full_page=True)


def test_the_staff_member_verifies_a_sampled_month(demo, log_in):
    """APR-4: a spot check of approved months, one opened beside its diary and verified."""
    from timesheets.models import MonthVerification

    give_totp(User.objects.get(email="staff@demo.lv"))
    page = log_in("staff@demo.lv")
    page.get_by_role("link", name="Stundu pārbaude").click()
    page.get_by_label("Nejaušs apstiprināto mēnešu paraugs").fill("2")
    page.get_by_role("button", name="Rādīt").click()
    expect(page.locator(".message")).to_contain_text("Nejaušs paraugs: 2")
    sample_url = page.url
    assert "sekla=" in sample_url
    first = page.locator("table.stack tbody tr th a").first
    month_pk = int(re.search(r"/parbaude/(\d+)/", first.get_attribute("href"))[1])
    first.click()
    expect(page.get_by_role("heading", name="Mēneša dienasgrāmata")).to_be_visible()
    page.get_by_label("pārbaudīts: stundas atbilst dienasgrāmatai un grafikam").check()
    page.get_by_role("button", name="Reģistrēt pārbaudi").click()
    expect(page.locator(".messages")).to_contain_text("Stundu pārbaude ir reģistrēta.")
    assert page.url == sample_url
    checked = MonthVerification.objects.get(diary_month_id=month_pk)
    assert (checked.outcome, checked.checked_by.email) == ("verified", "staff@demo.lv")
    expect(page.locator("table.stack tbody").first).to_contain_text("pārbaudīts")


def test_the_auditor_downloads_a_learners_complete_record(demo, log_in):
    """The auditor reads a plan of their region, with no way to change it, and downloads
    its learner's complete record; each page they opened is in the access log (ACC-1)."""
    from skola_kopiena.accounts.models import AccessLog

    auditor = User.objects.get(email="auditor@demo.lv")
    give_totp(auditor)
    page = log_in("auditor@demo.lv")
    expect(page.get_by_role("heading", name="Pārbaudei uz vietas piešķirtie IAP")).to_be_visible()
    page.locator("nav.main-nav").get_by_role("link", name="Atbalsta plāni").click()
    # A plan of the auditor's region (those granted one by one open only themselves).
    page.get_by_label("Reģions").select_option(label=str(Region.objects.get(code="riga")))
    page.get_by_role("button", name="Rādīt").click()
    page.locator("table.stack tbody tr a").first.click()
    expect(page.locator("main form[method=post]")).to_have_count(0)
    page.get_by_role("link", name="Izglītojamā lapa: visi viņa IAP").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Lejupielādēt pilno ierakstu (ZIP)").click()
    archive = zipfile.ZipFile(download.value.path())
    assert archive.namelist()[0] == "saturs.txt"
    assert "iap.csv" in archive.namelist()
    assert AccessLog.objects.filter(user=auditor, action=AccessLog.Action.RECORD_EXPORT).exists()
    pages = AccessLog.objects.filter(user=auditor, action=AccessLog.Action.AUDIT_READ)
    assert {"/", "/iap/"} <= set(pages.values_list("object_repr", flat=True))

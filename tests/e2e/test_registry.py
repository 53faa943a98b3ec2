"""REG-2 and REG-3 in a real browser, on the demo data of `manage.py demo`."""

import re

import pytest
from playwright.sync_api import expect

from mentors.models import ChangeRequest, Mentor
from skola_kopiena.accounts.models import User
from tests.factories import give_totp

# The live server needs committed data; serialized_rollback restores the reference data
# (regions, municipalities from the migrations) that the flush after each test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MENTOR_LINK = re.compile(r"/mentori/(\d+)/$")


def listed_mentors(page):
    """{pk: name} of the mentors in the registry results table."""
    links = page.locator("table.stack tbody tr td:first-child a")
    result = {}
    for link in links.all():
        pk = int(MENTOR_LINK.search(link.get_attribute("href")).group(1))
        result[pk] = link.inner_text().strip()
    return result


def test_preparer_finds_only_mentors_who_serve_the_chosen_municipality(demo, log_in):
    expected = {
        m.pk: m.full_name
        for m in Mentor.objects.searchable().filter(municipalities__name="Jūrmala").distinct()
    }
    # demo.py: Anna Bērziņa and Līga Kalniņa serve Jūrmala.
    assert set(expected.values()) == {"Anna Bērziņa", "Līga Kalniņa"}
    outsider = Mentor.objects.get(first_name="Oskars", last_name="Grants")  # Latgale

    page = log_in("preparer@demo.lv")
    page.goto("/mentori/")
    # Before filtering, the Latgale mentor is in the registry: the filter must remove him.
    assert outsider.pk in listed_mentors(page)

    search = page.get_by_role("search")
    search.locator("select[name=municipality]").select_option(label="Jūrmala")
    search.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/mentori/\?.*municipality="))
    expect(search.locator("select[name=municipality] option:checked")).to_have_text("Jūrmala")

    found = listed_mentors(page)
    assert found == expected
    assert outsider.pk not in found
    expect(page.locator("table.stack")).not_to_contain_text("Oskars Grants")
    # Each row shows the municipality among the ones the mentor serves.
    rows = page.locator("table.stack tbody tr")
    expect(rows).to_have_count(len(expected))
    for row in rows.all():
        expect(row.locator("td").nth(4)).to_contain_text("Jūrmala")


def test_mentor_asks_for_a_change_and_staff_apply_it(demo, log_in):
    mentor = Mentor.objects.get(email="mentor@demo.lv")
    old_phone = mentor.phone
    new_phone = "+371 2999 8877"
    before = set(mentor.municipalities.values_list("name", flat=True))
    assert "Ķekavas novads" not in before
    give_totp(User.objects.get(email="staff@demo.lv"))

    # The mentor asks for a new phone number and one more municipality.
    mentor_page = log_in("mentor@demo.lv")
    mentor_page.goto("/mentori/mans-ieraksts/")
    expect(mentor_page.locator("main")).to_contain_text(old_phone)
    mentor_page.locator("a[href='/mentori/mans-ieraksts/izmainas/']").click()
    mentor_page.wait_for_url("**/mentori/mans-ieraksts/izmainas/")
    form = mentor_page.locator("main form[method=post]")
    form.locator("input[name=phone]").fill(new_phone)
    for name in before:  # the current municipalities come ticked
        expect(form.get_by_label(name, exact=True)).to_be_checked()
    form.get_by_label("Ķekavas novads", exact=True).check()
    form.locator("textarea[name=note]").fill("Sāku strādāt arī Ķekavā.")
    form.locator("button[type=submit]").click()
    mentor_page.wait_for_url(re.compile(r"/mentori/mans-ieraksts/$"))
    waiting = mentor_page.locator("main dl.summary").nth(1)
    expect(waiting).to_contain_text(new_phone)
    expect(waiting).to_contain_text("Ķekavas novads")
    expect(mentor_page.locator("a[href='/mentori/mans-ieraksts/izmainas/']")).to_have_count(0)
    request = ChangeRequest.objects.get(mentor=mentor, status=ChangeRequest.Status.PENDING)

    # Project staff of the Rīga region apply it (the demo also has Jānis Ozols's request).
    staff_page = log_in("staff@demo.lv")
    staff_page.goto("/mentori/izmainu-pieprasijumi/")
    pending = staff_page.locator("table.stack").first.locator("tbody tr")
    expect(pending.filter(has_text="Jānis Ozols")).to_have_count(1)
    row = pending.filter(has_text="Anna Bērziņa")
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    staff_page.wait_for_url(f"**/mentori/izmainu-pieprasijumi/{request.pk}/")
    expect(staff_page.locator("main table.stack")).to_contain_text(new_phone)
    staff_page.locator("textarea[name=decision_note]").fill("Apstiprināts.")
    staff_page.locator("button[name=decision][value=apply]").click()
    staff_page.wait_for_url(re.compile(r"/mentori/izmainu-pieprasijumi/$"))
    expect(staff_page.locator("main")).to_contain_text("Apstiprināts.")

    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.APPLIED
    mentor.refresh_from_db()
    assert mentor.phone == new_phone
    assert set(mentor.municipalities.values_list("name", flat=True)) == before | {"Ķekavas novads"}
    # Jānis Ozols's request is untouched.
    assert ChangeRequest.objects.filter(
        mentor__last_name="Ozols", status=ChangeRequest.Status.PENDING
    ).exists()

    # The mentor sees the new data in the entry, and no request waiting any more.
    mentor_page.goto("/mentori/mans-ieraksts/")
    entry = mentor_page.locator("main dl.summary").first
    expect(entry).to_contain_text(new_phone)
    expect(entry).to_contain_text("Ķekavas novads")
    expect(mentor_page.locator("main dl.summary")).to_have_count(1)
    expect(mentor_page.locator("a[href='/mentori/mans-ieraksts/izmainas/']")).to_be_visible()

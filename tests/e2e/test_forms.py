"""Forms on a phone in a real browser, on the demo data of `manage.py demo` (issue 11).

After a refused submit the error summary takes focus; its link to a group of radios focuses
the group's first option with its question in view; a plan's start date follows the chosen
semester (CAL-2) but never replaces a date the preparer wrote.
"""

import datetime

import pytest
from playwright.sync_api import expect

from iap import services
from iap.models import Learner
from skola_kopiena.schools.models import Institution
from tests.factories import semester

# The live server needs committed data; serialized_rollback restores the reference data
# (regions, municipalities from the migrations) that the flush after each test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCHOOL = "Rīgas 64. vidusskola"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def fits_the_screen(page):
    """No sideways scrolling on the phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def submit(form):
    """Tap the form's submit button and wait for the page the server answers with."""
    with form.page.expect_navigation():
        form.locator("button[type=submit]").first.tap()


def test_a_refused_form_focuses_its_error_summary_and_a_radio_link_its_first_option(demo, log_in):
    preparer = log_in("preparer@demo.lv", **PHONE)
    preparer.goto("/izglitojamie/jauns/")
    form = preparer.locator("main form[method=post]")
    # No blank "---------" among the radios, and none chosen for the preparer.
    radios = form.locator("input[name=education]")
    expect(radios).to_have_count(2)
    for index in range(2):
        expect(radios.nth(index)).not_to_be_checked()
    form.locator("input[name=first_name]").fill("Roberts")
    submit(form)

    summary = preparer.locator("main [data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert fits_the_screen(preparer)
    # What was typed is still there.
    expect(form.locator("input[name=first_name]")).to_have_value("Roberts")

    # The link to the education radios focuses the first option, its question in view.
    summary.locator("a[href='#id_education_0']").tap()
    first = form.locator("#id_education_0")
    expect(first).to_be_focused()
    expect(first).to_have_attribute("value", "general")
    expect(form.locator("fieldset:has(#id_education_0) > legend")).to_be_in_viewport()

    # The link to a text field focuses the field.
    summary.locator("a[href='#id_last_name']").tap()
    expect(form.locator("#id_last_name")).to_be_focused()


def test_a_plans_start_date_follows_the_semester_unless_the_preparer_wrote_one(demo, log_in):
    school = Institution.objects.get(name=SCHOOL)
    autumn, spring = semester("2026/2027", 1), semester("2026/2027", 2)
    # A learner without a plan for the spring: no IAP-1 refusal hides the start date's.
    learner = (
        Learner.objects.filter(institution=school).exclude(plans__semester=spring).order_by("pk")
    ).first()
    autumn_start = services.plan_default_dates(learner, autumn)[0]
    spring_start = services.plan_default_dates(learner, spring)[0]
    assert autumn_start != spring_start

    preparer = log_in("preparer@demo.lv", **PHONE)
    preparer.goto(f"/izglitojamie/{learner.pk}/iap/jauns/")
    form = preparer.locator("main form[method=post]")
    chosen = form.locator("select[name=semester]")
    start = form.locator("input[name=start_date]")
    expect(chosen).to_have_value(str(autumn.pk))
    expect(start).to_have_value(autumn_start.isoformat())
    assert fits_the_screen(preparer)

    # Another semester: the start date moves to its first day for this learner, and back.
    chosen.select_option(str(spring.pk))
    expect(start).to_have_value(spring_start.isoformat())
    chosen.select_option(str(autumn.pk))
    expect(start).to_have_value(autumn_start.isoformat())

    # A date the preparer wrote stays, whichever semester is chosen.
    written = autumn_start + datetime.timedelta(days=5)
    start.fill(written.isoformat())
    chosen.select_option(str(spring.pk))
    expect(start).to_have_value(written.isoformat())

    # The server still refuses a start date outside the chosen semester, at the field, and
    # the summary takes focus; the date comes back as written and still is not replaced.
    form.locator("input[name=module][value=II]").check()
    form.locator("input[name=risks]").first.check()
    submit(form)
    expect(preparer.locator("main [data-error-summary]")).to_be_focused()
    expect(form.locator(".field-error input[name=start_date]")).to_have_value(written.isoformat())
    chosen.select_option(str(autumn.pk))
    expect(start).to_have_value(written.isoformat())

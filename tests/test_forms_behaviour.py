"""Forms after the GOV.UK patterns, on the server's side (issue 11): radios offer only real
choices, the error summary links a group to its first option, a plan's semester options carry
their start dates, and numeric limits are said in the house's words, not Django's."""

import datetime
import html
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from evaluation.forms import DecisionForm as EvaluationDecisionForm
from evaluation.forms import EvaluationForm
from iap import services
from iap.forms import COURSE_MESSAGES, GRADE_MESSAGES, MONTHLY_HOURS_MESSAGES, PlanForm
from iap.models import MAX_MONTHLY_HOURS, Plan
from mentors.forms import ChangeRequestForm
from supervision.forms import SessionForm
from supervision.models import MAX_CAPACITY, Session
from tests.factories import semester

NEW_LEARNER = "/izglitojamie/jauns/"
DJANGO_LIMITS = ("Ensure this value", "Šai vērtībai", "Vērtībai jābūt")


def _page(response):
    return html.unescape(response.content.decode())


def _lv(text, **params):
    with translation.override("lv"):
        translated = translation.gettext(str(text))
        return translated % params if params else translated


def _radios(page, name):
    return re.findall(rf'<input type="radio" name="{name}"[^>]*>', page)


def _plan_data(semester_pk, **fields):
    return {
        "semester": semester_pk,
        "start_date": "2026-11-30",
        "module": "II",
        "risks": ["learning_difficulties"],
        "monthly_hours": "8",
        **fields,
    }


# --- No blank "---------" among radios ------------------------------------------------------


def test_the_learner_form_offers_the_two_educations_and_checks_neither(cast, client_for):
    page = _page(client_for(cast.preparer).get(NEW_LEARNER))
    radios = _radios(page, "education")
    assert [re.search(r'value="([^"]*)"', radio).group(1) for radio in radios] == [
        "general",
        "vocational",
    ]
    assert not any("checked" in radio for radio in radios)
    assert "---------" not in page


def test_a_learner_without_education_is_asked_to_choose_one_at_the_field(cast, client_for):
    response = client_for(cast.preparer).post(
        NEW_LEARNER,
        {"first_name": "Roberts", "last_name": "Kalējs", "birth_date": "2012-04-15", "grade": "8"},
    )
    form = response.context["form"]
    assert form.errors.as_data()["education"][0].code == "required"
    page = _page(response)
    assert _lv("Choose general or vocational education.") in page
    # The summary's link goes to the group's first option, which exists.
    assert 'href="#id_education_0"' in page and 'id="id_education_0"' in page
    assert 'value="general"' in re.search(r"<input[^>]*id=\"id_education_0\"[^>]*>", page).group()


@pytest.mark.parametrize(
    "form",
    [
        lambda: PlanForm(),
        lambda: EvaluationForm(),
        lambda: EvaluationDecisionForm(),
        lambda: SessionForm(regions=[]),
    ],
    ids=["plan", "evaluation", "evaluation decision", "supervision session"],
)
def test_no_radio_group_offers_a_blank_choice(cast, form):
    form = form()
    for field in form:
        rendered = str(field)
        if 'type="radio"' in rendered:
            assert "---------" not in rendered, field.name
            assert 'value=""' not in rendered, field.name
            assert "checked" not in rendered, field.name


def test_a_session_without_a_target_group_is_asked_to_choose_one(cast):
    form = SessionForm({"capacity": "10"}, regions=[cast.riga])
    assert not form.is_valid()
    assert form.errors.as_data()["target_group"][0].message == _lv("Choose the target group.")


def test_the_summary_links_a_group_of_checkboxes_in_groups_to_its_first_box(cast):
    form = ChangeRequestForm({"email": "a@example.lv", "phone": "+37120000000"})
    assert not form.is_valid()
    summary = render_to_string("includes/form_errors.html", {"form": form})
    first = form["municipalities"].subwidgets[0].id_for_label
    assert first.startswith("id_municipalities_0_")
    assert f'href="#{first}"' in summary
    assert "data-error-summary" in summary and 'tabindex="-1"' in summary


# --- The plan's start date follows its semester ---------------------------------------------


def test_each_semester_option_carries_the_learners_default_start_date(cast, client_for, learner):
    autumn, spring = semester("2026/2027", 1), semester("2026/2027", 2)
    page = _page(client_for(cast.preparer).get(f"/izglitojamie/{learner.pk}/iap/jauns/"))
    select = re.search(r"<select[^>]*name=\"semester\"[^>]*>", page).group()
    assert 'data-start-date-field="id_start_date"' in select
    for each in (autumn, spring):
        start = services.plan_default_dates(learner, each)[0]
        assert re.search(
            rf'<option value="{each.pk}"[^>]*data-start-date="{start.isoformat()}"', page
        )
    # Today in the current semester, the first day in the next one; the server's default stays.
    assert services.plan_default_dates(learner, autumn)[0] == datetime.date(2026, 11, 25)
    assert services.plan_default_dates(learner, spring)[0] == spring.start_date
    assert 'name="start_date" value="2026-11-25"' in page


def test_editing_a_plan_keeps_its_semester_without_start_dates_to_follow(cast, client_for, plan):
    page = _page(client_for(cast.preparer).get(f"/iap/{plan.pk}/labot/"))
    assert "data-start-date" not in page


def test_a_start_date_outside_the_chosen_semester_is_still_refused(cast, client_for, learner):
    spring = semester("2026/2027", 2)
    response = client_for(cast.preparer).post(
        f"/izglitojamie/{learner.pk}/iap/jauns/", _plan_data(spring.pk, start_date="2026-11-30")
    )
    assert response.context["form"].errors.as_data()["start_date"][0].code == "CAL-2"
    assert not Plan.objects.exists()


# --- Numbers explained in the house's words -------------------------------------------------


@pytest.mark.parametrize("hours", ["21", "0", "abc"])
def test_the_plans_monthly_hours_are_explained_in_the_houses_words(
    cast, client_for, learner, hours
):
    response = client_for(cast.preparer).post(
        f"/izglitojamie/{learner.pk}/iap/jauns/",
        _plan_data(semester("2026/2027", 1).pk, monthly_hours=hours),
    )
    error = response.context["form"].errors.as_data()["monthly_hours"][0]
    code = {"21": "max_value", "0": "min_value", "abc": "invalid"}[hours]
    assert error.code == code
    page = _page(response)
    expected = _lv(MONTHLY_HOURS_MESSAGES[code], limit_value=MAX_MONTHLY_HOURS)
    assert expected in page
    assert not any(words in page for words in DJANGO_LIMITS)
    assert not Plan.objects.exists()


def test_changing_the_hours_above_20_is_explained_in_the_houses_words(
    cast, client_for, active_plan
):
    response = client_for(cast.preparer).post(
        f"/iap/{active_plan.pk}/stundas/", {"monthly_hours": "25", "reason": "Eksāmeni"}
    )
    page = _page(response)
    assert _lv(MONTHLY_HOURS_MESSAGES["max_value"], limit_value=MAX_MONTHLY_HOURS) in page
    assert not any(words in page for words in DJANGO_LIMITS)


@pytest.mark.parametrize(
    "education,field,value,messages",
    [
        ("general", "grade", "13", GRADE_MESSAGES),
        ("general", "grade", "0", GRADE_MESSAGES),
        ("vocational", "course", "5", COURSE_MESSAGES),
        ("vocational", "course", "-1", COURSE_MESSAGES),
    ],
)
def test_a_grade_or_course_out_of_range_is_explained_at_the_field(
    cast, client_for, education, field, value, messages
):
    response = client_for(cast.preparer).post(
        NEW_LEARNER,
        {
            "first_name": "Roberts",
            "last_name": "Kalējs",
            "birth_date": "2012-04-15",
            "education": education,
            field: value,
        },
    )
    assert field in response.context["form"].errors
    page = _page(response)
    assert _lv(messages["max_value"]) in page
    assert not any(words in page for words in DJANGO_LIMITS)


@pytest.mark.parametrize("capacity,code", [("31", "max_value"), ("0", "min_value")])
def test_a_sessions_places_are_explained_in_the_houses_words(cast, capacity, code):
    form = SessionForm(
        {
            "date": "2026-12-09",
            "start_time": "14:00",
            "place": "Rīga, Brīvības iela 1",
            "target_group": Session.TargetGroup.choices[0][0],
            "capacity": capacity,
            "supervisor": "Inese Ozola",
        },
        regions=[cast.riga],
    )
    assert not form.is_valid()
    error = form.errors.as_data()["capacity"][0]
    assert error.code == code
    with translation.override("lv"):
        message = form.errors["capacity"][0]
    assert not any(words in message for words in DJANGO_LIMITS)
    if code == "max_value":
        assert str(MAX_CAPACITY) in message

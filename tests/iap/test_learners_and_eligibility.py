import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from iap.models import Learner, Plan
from iap.services import learner_register
from tests.factories import InstitutionFactory, make_learner, make_plan, municipality, semester

D = datetime.date


def test_preparer_registers_a_learner_of_their_institution(cast, client_for):
    # ACC-3: no personal code is asked for or kept.
    response = client_for(cast.preparer).post(
        "/izglitojamie/jauns/",
        {
            "first_name": "Līva",
            "last_name": "Ozoliņa",
            "birth_date": "2012-05-02",
            "education": "general",
            "grade": "8",
        },
    )
    learner = Learner.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/izglitojamie/{learner.pk}/iap/jauns/"
    assert learner.institution == cast.school and learner.created_by == cast.preparer
    field_names = {f.name for f in Learner._meta.get_fields()}
    assert not field_names & {"personal_code", "personas_kods", "user"}


def test_a_learner_has_a_grade_in_general_and_a_course_in_vocational_education(cast):
    # ELIG-2
    with pytest.raises(ValidationError) as error:
        make_learner(cast.preparer, cast.school, grade=None)
    assert "grade" in error.value.message_dict
    assert error.value.error_dict["grade"][0].code == "ELIG-2"
    with pytest.raises(ValidationError) as error:
        make_learner(cast.preparer, cast.school, education="vocational", grade=None, course=5)
    assert "course" in error.value.message_dict
    assert error.value.error_dict["course"][0].code == "max_value"  # the model's 1–4
    vocational = make_learner(
        cast.preparer, cast.school, education="vocational", grade=10, course=2
    )
    assert (vocational.grade, vocational.course) == (None, 2)
    with pytest.raises(ValidationError) as error:
        make_learner(cast.preparer, cast.school, first_name="Cits", grade=13)
    assert error.value.error_dict["grade"][0].code == "max_value"  # the model's 1–12


def test_the_database_refuses_a_general_learner_with_a_course(cast, learner):
    # ELIG-2
    learner.course = 2
    with pytest.raises(IntegrityError), transaction.atomic():
        learner.save()


def test_the_same_learner_is_not_registered_twice_at_an_institution(cast, client_for, learner):
    # IAP-1: data integrity; a child registered twice could get two plans in a semester.
    response = client_for(cast.preparer).post(
        "/izglitojamie/jauns/",
        {
            "first_name": "KĀRLIS",
            "last_name": "bērziņš",
            "birth_date": "2012-03-14",
            "education": "general",
            "grade": "8",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["form"].errors.as_data()["__all__"][0].code == "IAP-1"
    assert Learner.objects.count() == 1
    # The same child may be registered at another institution (after moving school).
    other = learner_register(
        actor=cast.other_preparer,
        institution=cast.other_school,
        first_name="Kārlis",
        last_name="Bērziņš",
        birth_date=D(2012, 3, 14),
        education="general",
        grade=8,
        course=None,
    )
    assert other.pk


def test_a_learner_under_13_on_the_start_date_cannot_get_a_mentor(cast, client_for):
    # ELIG-1: the form says so plainly, at the start date.
    young = make_learner(
        cast.preparer, cast.school, first_name="Mazā", birth_date=D(2013, 12, 1), grade=7
    )
    response = client_for(cast.preparer).post(
        f"/izglitojamie/{young.pk}/iap/jauns/",
        {
            "semester": semester().pk,
            "start_date": "2026-11-30",
            "module": "II",
            "risks": ["learning_difficulties"],
            "monthly_hours": "8",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["start_date"]
    assert "12" in errors[0] and "13" in errors[0]
    assert response.context["form"].errors.as_data()["start_date"][0].code == "ELIG-1"
    assert not Plan.objects.exists()


def test_a_learner_who_turns_13_by_the_start_date_can_get_a_plan(cast):
    # ELIG-1: 13 on the plan's start date is enough.
    learner = make_learner(cast.preparer, cast.school, birth_date=D(2014, 1, 4), grade=7)
    plan = make_plan(
        cast.preparer, learner, on_semester=semester("2026/2027", 2), start_date=D(2027, 1, 4)
    )
    assert plan.pk


@pytest.mark.parametrize(
    "category,grade,vocational,ok",
    [
        ("a", 9, False, True),
        ("a", 8, False, False),
        ("b", None, True, True),
        ("b", 8, False, False),
        ("c", 7, False, True),
        ("c", 9, False, True),
        ("c", 10, False, False),
        ("c", 6, False, False),
    ],
)
def test_module_i_categories_are_checked_against_the_learner(cast, category, grade, vocational, ok):
    # ELIG-3
    institution = cast.school
    fields = {"grade": grade}
    if vocational:
        institution = InstitutionFactory(kind="vocational", municipality=municipality("Rīga"))
        fields = {"education": "vocational", "grade": None, "course": 1}
    learner = make_learner(cast.preparer, institution, birth_date=D(2010, 1, 1), **fields)
    if ok:
        assert make_plan(cast.preparer, learner, module="I", category=category, risks=[]).pk
    else:
        with pytest.raises(ValidationError) as error:
            make_plan(cast.preparer, learner, module="I", category=category, risks=[])
        assert "category" in error.value.message_dict
        assert {e.code for e in error.value.error_dict["category"]} == {"ELIG-3"}


def test_module_i_needs_exactly_one_category(cast, learner):
    # ELIG-3: one category, and the database keeps categories out of module II.
    with pytest.raises(ValidationError) as error:
        make_plan(cast.preparer, learner, module="I", category="", risks=[])
    assert "category" in error.value.message_dict
    assert {e.code for e in error.value.error_dict["category"]} == {"ELIG-3"}
    plan = make_plan(cast.preparer, learner, module="II", category="c")
    assert plan.category == ""
    plan.category = "c"
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_module_ii_needs_a_risk_and_other_needs_a_description(cast, client_for, learner):
    # ELIG-4
    client = client_for(cast.preparer)
    url = f"/izglitojamie/{learner.pk}/iap/jauns/"
    base = {
        "semester": semester().pk,
        "start_date": "2026-11-30",
        "module": "II",
        "monthly_hours": "8",
        "strengths": "Prot klausīties",
    }
    no_risk = client.post(url, base)
    assert "risks" in no_risk.context["form"].errors
    assert no_risk.context["form"].errors.as_data()["risks"][0].code == "ELIG-4"
    assert "Prot klausīties</textarea>" in no_risk.content.decode()  # nothing typed is lost
    undescribed = client.post(url, {**base, "risks": ["other"]})
    assert "other_risk" in undescribed.context["form"].errors
    assert undescribed.context["form"].errors.as_data()["other_risk"][0].code == "ELIG-4"
    created = client.post(
        url, {**base, "risks": ["other", "immigrant"], "other_risk": "Bieži maina dzīvesvietu"}
    )
    assert created.status_code == 302
    plan = Plan.objects.get()
    assert plan.risks.get(risk="other").description == "Bieži maina dzīvesvietu"
    assert plan.risks.count() == 2

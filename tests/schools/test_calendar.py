import datetime

import pytest
from django.core.exceptions import ValidationError

from skola_kopiena.schools.calendar import mentoring_allowed, semester_containing
from skola_kopiena.schools.models import (
    Institution,
    InstitutionSemester,
    Municipality,
    Region,
    SchoolBreak,
    SchoolYear,
    Semester,
)
from tests.factories import InstitutionFactory, municipality

D = datetime.date


@pytest.fixture
def school(db):
    return InstitutionFactory(municipality=municipality("Rīga"))


@pytest.fixture
def vocational(db):
    return InstitutionFactory(
        kind=Institution.Kind.VOCATIONAL, municipality=municipality("Ogres novads")
    )


def test_reference_data_has_five_regions_and_all_43_municipalities(db):
    assert Region.objects.count() == 5
    assert Municipality.objects.count() == 43
    assert Municipality.objects.filter(kind="state_city").count() == 7
    assert Municipality.objects.get(name="Siguldas novads").region.code == "riga"
    assert Municipality.objects.get(name="Varakļānu novads").region.code == "vidzeme"


def test_both_school_years_ship_with_semesters_breaks_and_their_source(db):
    # CAL-2: the dates of 2025/2026 and 2026/2027 come from the Cabinet's decisions.
    for name in ("2025/2026", "2026/2027"):
        year = SchoolYear.objects.get(name=name)
        assert year.semesters.count() == 2
        assert set(year.breaks.values_list("kind", flat=True)) == {
            "autumn",
            "winter",
            "spring",
            "summer",
        }
        assert "Ministru kabineta" in year.source
    second = Semester.objects.get(school_year__name="2026/2027", number=2)
    assert (second.start_date, second.end_date) == (D(2027, 1, 4), D(2027, 5, 31))


def test_no_mentoring_before_2026_or_after_the_project_end(school):
    # CAL-1
    answer = mentoring_allowed(day=D(2025, 12, 1), institution=school, grade=8)
    assert not answer and answer.code == "CAL-1"
    assert "01.01.2026" in answer.reason
    answer = mentoring_allowed(day=D(2029, 9, 1), institution=school, grade=8)
    assert not answer and answer.code == "CAL-1"


def test_mentoring_is_allowed_on_school_days_and_weekends_inside_a_semester(school):
    # CAL-3: Saturdays and Sundays inside the semester are allowed.
    assert mentoring_allowed(day=D(2026, 9, 1), institution=school, grade=8)
    assert mentoring_allowed(day=D(2026, 9, 5), institution=school, grade=8)  # Saturday
    assert mentoring_allowed(day=D(2026, 9, 6), institution=school, grade=8)  # Sunday
    assert mentoring_allowed(day=D(2026, 12, 18), institution=school, grade=8)  # last day


def test_mentoring_is_allowed_in_the_autumn_and_spring_breaks(school):
    # CAL-3: those breaks lie inside a semester.
    assert mentoring_allowed(day=D(2026, 10, 21), institution=school, grade=8)
    assert mentoring_allowed(day=D(2027, 3, 10), institution=school, grade=8)


def test_mentoring_is_refused_in_the_winter_and_summer_breaks_with_the_reason(school):
    # CAL-3: never between semesters.
    winter = mentoring_allowed(day=D(2026, 12, 21), institution=school, grade=8)
    assert not winter and winter.code == "CAL-3"
    assert str(SchoolBreak.Kind.WINTER.label) in winter.reason
    assert "21.12.2026" in winter.reason
    summer = mentoring_allowed(day=D(2027, 7, 15), institution=school, grade=8)
    assert not summer and summer.code == "CAL-3"
    assert str(SchoolBreak.Kind.SUMMER.label) in summer.reason


def test_the_second_semester_ends_by_grade(school):
    # CAL-2: grades 1–8 and 10–11 end on 31 May 2027, grade 9 on 11 June, grade 12 on 18 June.
    day = D(2027, 6, 10)
    assert not mentoring_allowed(day=day, institution=school, grade=8)
    assert mentoring_allowed(day=day, institution=school, grade=9)
    assert not mentoring_allowed(day=D(2027, 6, 12), institution=school, grade=9)
    assert mentoring_allowed(day=D(2027, 6, 18), institution=school, grade=12)
    assert not mentoring_allowed(day=D(2027, 6, 18), institution=school, grade=11)


def test_a_vocational_institution_can_set_its_own_semester_dates(school, vocational):
    # CAL-2: the own dates apply to the vocational institution's learners only.
    semester = Semester.objects.get(school_year__name="2026/2027", number=2)
    InstitutionSemester.objects.create(
        institution=vocational,
        semester=semester,
        start_date=D(2027, 1, 11),
        end_date=D(2027, 6, 30),
    )
    assert mentoring_allowed(day=D(2027, 6, 25), institution=vocational)
    assert not mentoring_allowed(day=D(2027, 1, 5), institution=vocational)
    assert not mentoring_allowed(day=D(2027, 6, 25), institution=school, grade=11)
    assert mentoring_allowed(day=D(2027, 1, 5), institution=school, grade=11)
    assert semester_containing(D(2027, 6, 25), vocational) == semester


def test_only_a_vocational_institution_sets_its_own_semester_dates(school):
    # CAL-2
    semester = Semester.objects.get(school_year__name="2026/2027", number=2)
    own = InstitutionSemester(
        institution=school, semester=semester, start_date=D(2027, 1, 4), end_date=D(2027, 6, 30)
    )
    with pytest.raises(ValidationError) as error:
        own.full_clean()
    assert "institution" in error.value.message_dict
    assert error.value.error_dict["institution"][0].code == "CAL-2"


def test_a_grades_own_semester_end_comes_after_the_semesters_start(db):
    # CAL-2: data integrity of the second semester's end by grade (9, 12).
    semester = Semester.objects.get(school_year__name="2026/2027", number=2)
    semester.end_date_grade_9 = semester.start_date
    with pytest.raises(ValidationError) as error:
        semester.full_clean()
    assert error.value.error_dict["end_date_grade_9"][0].code == "CAL-2"


def test_staff_corrections_to_the_calendar_take_effect_at_once(school):
    # CAL-2: staff correct any date in the admin; the service reads the stored dates.
    semester = Semester.objects.get(school_year__name="2026/2027", number=1)
    assert not mentoring_allowed(day=D(2026, 12, 19), institution=school, grade=8)
    semester.end_date = D(2026, 12, 20)
    semester.save()
    assert mentoring_allowed(day=D(2026, 12, 19), institution=school, grade=8)
    assert semester.history.first().end_date == D(2026, 12, 20)

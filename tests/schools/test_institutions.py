import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from skola_kopiena.schools.models import Institution
from tests.factories import InstitutionFactory


def test_each_employer_sets_its_own_hours_approval_day(db):
    # APR-2: the day of the month by which the employer approves last month's hours.
    school = InstitutionFactory(hours_approval_day=7)
    youth_centre = InstitutionFactory(kind=Institution.Kind.YOUTH_CENTRE, hours_approval_day=15)
    assert (school.hours_approval_day, youth_centre.hours_approval_day) == (7, 15)


@pytest.mark.parametrize("day", [0, 29, 31])
def test_an_approval_day_that_is_not_in_every_month_is_refused(db, day):
    # APR-2: 1–28, so that the deadline exists in February too.
    institution = InstitutionFactory.build(hours_approval_day=day)
    with pytest.raises(ValidationError) as error:
        institution.full_clean()
    assert "hours_approval_day" in error.value.message_dict
    # The model field's own validators keep Django's codes.
    expected = "min_value" if day < 1 else "max_value"
    assert error.value.error_dict["hours_approval_day"][0].code == expected
    with pytest.raises(IntegrityError), transaction.atomic():
        institution.save()


def test_staff_edit_institutions_in_the_admin_with_history(cast, client_for):
    client = client_for(cast.staff)
    response = client.post(
        f"/admin/schools/institution/{cast.school.pk}/change/",
        {
            "name": cast.school.name,
            "kind": "general",
            "municipality": cast.school.municipality_id,
            "registration_number": "",
            "hours_approval_day": "12",
            "is_active": "on",
            "own_semesters-TOTAL_FORMS": "0",
            "own_semesters-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    cast.school.refresh_from_db()
    assert cast.school.hours_approval_day == 12
    assert cast.school.history.first().history_user == cast.staff

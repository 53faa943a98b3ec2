import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from iap import services
from mentors.models import Contract
from tests.factories import (
    InstitutionFactory,
    advance_plan,
    make_contract,
    make_learner,
    make_plan,
    municipality,
    pdf_upload,
    semester,
)

D = datetime.date


@pytest.fixture
def accepted_plan(cast, plan):
    return advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="accepted")


def test_preparer_records_the_contract_with_the_background_check_and_attaches_it(
    cast, client_for, accepted_plan
):
    # CON-1, CON-5, CON-6
    response = client_for(cast.preparer).post(
        f"/iap/{accepted_plan.pk}/ligums/",
        {
            "action": "record",
            "employer": cast.school.pk,
            "period": "semester",
            "contract_number": "2026/17",
            "signed_on": "2026-09-10",
            "background_check_date": "2026-09-05",
            "background_check_by": "Direktora vietniece A. Liepa",
            "signed_file": pdf_upload("ligums.pdf"),
        },
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    accepted_plan.refresh_from_db()
    assert accepted_plan.contract == contract
    assert (contract.background_check_date, contract.background_check_by) == (
        D(2026, 9, 5),
        "Direktora vietniece A. Liepa",
    )
    # CON-5: the portal keeps no details of the check.
    names = {f.name for f in Contract._meta.get_fields()}
    assert {n for n in names if n.startswith("background_check")} == {
        "background_check_date",
        "background_check_by",
    }


def test_the_background_check_comes_before_the_contract(cast, accepted_plan):
    # CON-5
    from mentors.services import contract_create

    with pytest.raises(ValidationError) as error:
        contract_create(
            actor=cast.preparer,
            mentor=cast.mentor,
            employer=cast.school,
            school_year=semester().school_year,
            semester=semester(),
            signed_on=D(2026, 9, 1),
            background_check_date=D(2026, 9, 2),
            background_check_by="X",
            signed_file=pdf_upload(),
        )
    assert "background_check_date" in error.value.message_dict
    assert error.value.error_dict["background_check_date"][0].code == "CON-5"


def test_a_signed_contract_file_must_be_a_real_document(cast, client_for, accepted_plan):
    # CON-6, ACC-2: the rest of the form is kept.
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(cast.preparer).post(
        f"/iap/{accepted_plan.pk}/ligums/",
        {
            "action": "record",
            "employer": cast.school.pk,
            "period": "year",
            "signed_on": "2026-09-10",
            "background_check_date": "2026-09-05",
            "background_check_by": "Direktore",
            "signed_file": SimpleUploadedFile("l.pdf", b"nav pdf"),
        },
    )
    assert "signed_file" in response.context["new_form"].errors
    # ACC-2: the upload check's own code (skola_kopiena/files/validation.py).
    assert response.context["new_form"].errors.as_data()["signed_file"][0].code == "file_type"
    assert 'value="Direktore"' in response.content.decode()
    assert not Contract.objects.exists()


def test_a_year_contract_covers_both_semesters_a_semester_contract_one(cast):
    # CON-3
    year = make_contract(cast.preparer, cast.mentor, cast.school, whole_year=True)
    assert year.covers(semester("2026/2027", 1)) and year.covers(semester("2026/2027", 2))
    assert not year.covers(semester("2025/2026", 2))
    one = make_contract(cast.preparer, cast.second_mentor, cast.school)
    assert one.covers(semester("2026/2027", 1)) and not one.covers(semester("2026/2027", 2))


def test_one_contract_per_mentor_employer_and_period(cast):
    # CON-3: also for the database.
    make_contract(cast.preparer, cast.mentor, cast.school, whole_year=True)
    with pytest.raises(ValidationError) as error:
        make_contract(cast.preparer, cast.mentor, cast.school)  # the year already covers it
    assert error.value.code == "CON-3"
    first = Contract.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            mentor=first.mentor,
            employer=first.employer,
            school_year=first.school_year,
            signed_on=first.signed_on,
            background_check_date=first.background_check_date,
            background_check_by="X",
            signed_file=first.signed_file,
            created_by=cast.preparer,
        )


def test_a_youth_centre_of_the_municipality_may_employ_the_mentor(cast, accepted_plan):
    # CON-2
    contract = make_contract(cast.preparer, cast.mentor, cast.youth_centre)
    services.plan_attach_contract(actor=cast.preparer, plan=accepted_plan, contract=contract)
    far_centre = InstitutionFactory(kind="youth_centre", municipality=municipality("Liepāja"))
    far = make_contract(cast.preparer, cast.mentor, far_centre)
    with pytest.raises(ValidationError) as error:
        services.plan_attach_contract(actor=cast.preparer, plan=accepted_plan, contract=far)
    assert {e.code for e in error.value.error_dict["contract"]} == {"CON-2"}


def test_a_vocational_learner_is_supported_only_under_a_contract_with_the_institution(cast):
    # CON-2
    school = InstitutionFactory(kind="vocational", municipality=municipality("Rīga"))
    learner = make_learner(
        cast.preparer,
        school,
        education="vocational",
        grade=None,
        course=1,
        birth_date=D(2009, 1, 1),
    )
    plan = make_plan(cast.preparer, learner)
    advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="accepted")
    centre = make_contract(cast.preparer, cast.mentor, cast.youth_centre)
    with pytest.raises(ValidationError) as error:
        services.plan_attach_contract(actor=cast.preparer, plan=plan, contract=centre)
    assert "vocational" in str(error.value).lower() or "profesionāl" in str(error.value).lower()
    assert {e.code for e in error.value.error_dict["contract"]} == {"CON-2"}
    own = make_contract(cast.preparer, cast.mentor, school)
    services.plan_attach_contract(actor=cast.preparer, plan=plan, contract=own)


def test_a_contract_covers_at_most_six_learners_of_the_employer(cast):
    # CON-4: six learners of the employer in a semester.
    spring = semester("2026/2027", 2)
    contract = make_contract(cast.preparer, cast.mentor, cast.school, whole_year=True)
    for n in range(6):
        learner = make_learner(cast.preparer, cast.school, first_name=f"L{n}")
        plan = make_plan(cast.preparer, learner, on_semester=spring)
        advance_plan(plan, preparer=cast.preparer, mentor=cast.mentor, to="accepted")
        services.plan_attach_contract(actor=cast.preparer, plan=plan, contract=contract)
    learner = make_learner(cast.preparer, cast.school, first_name="Septītais")
    seventh = make_plan(cast.preparer, learner, on_semester=spring)
    # CAP-1 already stops the mentor accepting a seventh learner in the semester; the mentor
    # is written straight to the plan here so that the contract's own guard, CON-4, refuses.
    seventh.mentor = cast.mentor
    seventh.save()
    with pytest.raises(ValidationError) as error:
        services.plan_attach_contract(actor=cast.preparer, plan=seventh, contract=contract)
    assert "contract" in error.value.message_dict
    assert {e.code for e in error.value.error_dict["contract"]} == {"CON-4"}


def test_the_contract_is_attached_only_after_the_mentor_accepted(cast, plan):
    # CON-1
    contract = make_contract(cast.preparer, cast.mentor, cast.school)
    with pytest.raises(ValidationError) as error:
        services.plan_attach_contract(actor=cast.preparer, plan=plan, contract=contract)
    assert error.value.code == "CON-1"


def test_a_minor_needs_the_parents_application_an_adult_signs_their_own(cast, client_for):
    # AGR-1
    minor = make_plan(cast.preparer, make_learner(cast.preparer, cast.school))
    adult_learner = make_learner(
        cast.preparer, cast.school, first_name="Pieaugušais", birth_date=D(2007, 5, 1), grade=12
    )
    adult = make_plan(cast.preparer, adult_learner)
    assert not minor.learner_is_adult and adult.learner_is_adult
    minor_page = client_for(cast.preparer).get(f"/iap/{minor.pk}/dokumenti/")
    adult_page = client_for(cast.preparer).get(f"/iap/{adult.pk}/dokumenti/")
    assert minor_page.context["application_form"].fields["file"].label != (
        adult_page.context["application_form"].fields["file"].label
    )
    assert any("parent" in m or "vecāk" in m for m in services.plan_missing(minor))
    assert any("own" in m or "paša" in m or "pilngad" in m for m in services.plan_missing(adult))


def test_the_agreement_is_printed_filled_in_with_blank_signature_lines(
    cast, client_for, accepted_plan
):
    # AGR-2: A4, Latvian letters intact, the four fields, lines for both signatures.
    services.plan_save_agreement(
        actor=cast.preparer,
        plan=accepted_plan,
        situation="Kavē matemātiku un ķīmiju",
        situation_plan="Tikšanās reizi nedēļā",
        provider_commits="Uzklausīt un atbalstīt",
        learner_commits="Ierasties laikā",
    )
    response = client_for(cast.preparer).get(f"/iap/{accepted_plan.pk}/vienosanas.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    width_mm, height_mm = (
        float(page.mediabox.width) * 25.4 / 72,
        float(page.mediabox.height) * 25.4 / 72,
    )
    assert (round(width_mm), round(height_mm)) == (210, 297)
    text = " ".join(p.extract_text() for p in reader.pages)
    for expected in (
        "Kārlis Bērziņš",
        "Kavē matemātiku un ķīmiju",
        "Tikšanās reizi nedēļā",
        "Uzklausīt un atbalstīt",
        "Ierasties laikā",
        "Anna Bērziņa",
    ):
        assert expected in text
    assert text.count("paraksts") + text.count("signature") >= 2


def test_the_agreement_scan_comes_after_the_four_fields(cast, accepted_plan):
    # AGR-2, AGR-3
    with pytest.raises(ValidationError) as error:
        services.plan_upload_agreement_scan(
            actor=cast.preparer, plan=accepted_plan, file=pdf_upload()
        )
    assert error.value.error_dict["file"][0].code == "AGR-2"


def test_submitting_lists_everything_still_missing(cast, client_for, accepted_plan):
    # IAP-4, AGR-3, CON-1: what is missing is listed, not just refused.
    missing = services.plan_missing(accepted_plan)
    assert len(missing) == 4  # contract, application, agreement fields, agreement scan
    with pytest.raises(ValidationError) as error:
        services.plan_submit(actor=cast.preparer, plan=accepted_plan)
    assert [e.code for e in error.value.error_list] == ["CON-1", "AGR-3", "AGR-2", "AGR-3"]
    assert error.value.messages == missing
    response = client_for(cast.preparer).post(f"/iap/{accepted_plan.pk}/iesniegt/", follow=True)
    accepted_plan.refresh_from_db()
    assert accepted_plan.status == "draft"
    page = response.content.decode()
    for item in missing:
        assert item in page


def test_a_complete_plan_is_submitted(cast, client_for, accepted_plan):
    # IAP-4
    contract = make_contract(cast.preparer, cast.mentor, cast.school)
    services.plan_attach_contract(actor=cast.preparer, plan=accepted_plan, contract=contract)
    services.plan_upload_application(actor=cast.preparer, plan=accepted_plan, file=pdf_upload())
    services.plan_save_agreement(
        actor=cast.preparer,
        plan=accepted_plan,
        situation="a",
        situation_plan="b",
        provider_commits="c",
        learner_commits="d",
    )
    services.plan_upload_agreement_scan(actor=cast.preparer, plan=accepted_plan, file=pdf_upload())
    accepted_plan.refresh_from_db()
    assert services.plan_missing(accepted_plan) == []
    client_for(cast.preparer).post(f"/iap/{accepted_plan.pk}/iesniegt/")
    accepted_plan.refresh_from_db()
    assert accepted_plan.status == "submitted"

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentors.models import ChangeRequest, Mentor
from mentors.services import change_request_submit
from tests.factories import MentorFactory, municipality, region


def test_certificate_numbers_are_unique(cast):
    # REG-1: the certificate of the 36-hour training identifies a mentor.
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorFactory(certificate_number=cast.mentor.certificate_number)


def test_a_mentor_email_is_unique_whatever_its_case(cast):
    # REG-1
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorFactory(email=cast.mentor.email.upper())


def test_preparer_finds_mentors_by_municipality(cast, client_for):
    # REG-2
    jurmala = municipality("Jūrmala")
    other = MentorFactory(last_name="Vītols", municipalities=[municipality("Liepāja")])
    response = client_for(cast.preparer).get("/mentori/", {"municipality": jurmala.pk})
    mentors = list(response.context["page"].object_list)
    assert mentors == [cast.mentor]
    assert other.full_name not in response.content.decode()


def test_preparer_finds_mentors_by_region_and_by_name(cast, client_for):
    # REG-2
    client = client_for(cast.preparer)
    by_region = client.get("/mentori/", {"region": cast.vidzeme.pk}).context["page"].object_list
    assert list(by_region) == [cast.second_mentor]
    by_name = client.get("/mentori/", {"name": "bērziņa"}).context["page"].object_list
    assert list(by_name) == [cast.mentor]


def test_search_shows_contact_data_and_the_load_of_each_mentor(cast, client_for):
    # REG-2, CAP-1: "0 of 6" until plans exist.
    page = client_for(cast.preparer).get("/mentori/").content.decode()
    assert cast.mentor.email in page
    assert cast.mentor.phone in page
    assert "0 no 6" in page or "0 of 6" in page


def test_hidden_and_unavailable_mentors_are_not_found_by_schools(cast, client_for):
    # REG-3: a hidden mentor is out of the search; staff still see them in their region.
    cast.mentor.hidden_from_search = True
    cast.mentor.save()
    away = MentorFactory(is_available=False)
    for_preparer = client_for(cast.preparer).get("/mentori/").context["page"].object_list
    assert cast.mentor not in for_preparer and away not in for_preparer
    for_staff = client_for(cast.staff).get("/mentori/").context["page"].object_list
    assert cast.mentor in for_staff and away in for_staff
    assert client_for(cast.preparer).get(f"/mentori/{cast.mentor.pk}/").status_code == 404


def test_regional_staff_see_only_their_regions_mentors(cast, client_for):
    # REG-3: the regional coordinator keeps their region's part of the registry.
    listed = client_for(cast.other_staff).get("/mentori/").context["page"].object_list
    assert list(listed) == [cast.second_mentor]


def test_registry_is_sorted_the_latvian_way(cast, client_for):
    for last_name in ("Zariņš", "Čakste", "Cīrulis", "Ābele", "Avotiņš"):
        MentorFactory(last_name=last_name, first_name="Test")
    names = [
        m.last_name for m in client_for(cast.staff).get("/mentori/").context["page"].object_list
    ]
    assert names == ["Ābele", "Avotiņš", "Bērziņa", "Cīrulis", "Čakste", "Zariņš"]


def test_a_mentor_cannot_search_or_see_other_mentors(cast, client_for):
    # REG-2, REG-3: mentors do not offer themselves to schools, nor see each other.
    client = client_for(cast.mentor_user)
    assert client.get("/mentori/").status_code == 403
    assert client.get(f"/mentori/{cast.second_mentor.pk}/").status_code == 403
    own = client.get("/mentori/mans-ieraksts/")
    assert own.status_code == 200
    assert cast.mentor.certificate_number in own.content.decode()
    assert cast.second_mentor.email not in own.content.decode()


def test_registry_search_query_count_stays_flat_with_50_mentors(
    cast, client_for, django_assert_num_queries
):
    # As many for 2 mentors as for 50.
    client = client_for(cast.staff)
    # session, user, roles, TOTP; 5 the semester under way; 6 the region's mentors (count);
    # 7 the municipalities and 8 the regions of the search form; 9 the page of mentors with
    # region and each one's learners this semester in a subquery; 10 their municipalities;
    # save session.
    with django_assert_num_queries(13):
        assert client.get("/mentori/").status_code == 200
    for _ in range(48):
        MentorFactory(municipalities=[municipality("Rīga"), municipality("Jūrmala")])
    with django_assert_num_queries(13):
        assert client.get("/mentori/").status_code == 200
    assert Mentor.objects.count() == 50


def test_mentor_asks_for_a_change_and_it_waits_for_the_coordinator(cast, client_for):
    # REG-3
    client = client_for(cast.mentor_user)
    response = client.post(
        "/mentori/mans-ieraksts/izmainas/",
        {
            "email": cast.mentor.email,
            "phone": "+371 2888 8888",
            "region": cast.riga.pk,
            "municipalities": [municipality("Rīga").pk, municipality("Ķekavas novads").pk],
            "note": "Pārcēlos uz Ķekavu.",
        },
    )
    assert response.status_code == 302
    request = ChangeRequest.objects.get(mentor=cast.mentor)
    assert request.status == ChangeRequest.Status.PENDING
    assert request.phone == "+371 2888 8888"
    assert request.email == ""  # unchanged fields are not part of the request
    assert request.change_municipalities
    cast.mentor.refresh_from_db()
    assert cast.mentor.phone != "+371 2888 8888"  # nothing changes before the decision
    page = client.get("/mentori/mans-ieraksts/").content.decode()
    assert "+371 2888 8888" in page


def test_a_change_request_that_changes_nothing_is_refused_at_the_form(cast, client_for):
    # REG-3
    response = client_for(cast.mentor_user).post(
        "/mentori/mans-ieraksts/izmainas/",
        {
            "email": cast.mentor.email,
            "phone": cast.mentor.phone,
            "region": cast.riga.pk,
            "municipalities": [m.pk for m in cast.mentor.municipalities.all()],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"].errors.as_data()["__all__"][0].code == "REG-3"
    assert not ChangeRequest.objects.exists()


def test_a_bad_phone_number_is_shown_at_the_field_and_the_rest_is_kept(cast, client_for):
    # REG-1: the entry's phone, checked by the model's validator (Django's code).
    response = client_for(cast.mentor_user).post(
        "/mentori/mans-ieraksts/izmainas/",
        {
            "email": "jauns@example.lv",
            "phone": "zvani man",
            "region": cast.riga.pk,
            "municipalities": [municipality("Rīga").pk],
            "note": "Mana piezīme",
        },
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert response.context["form"].errors.as_data()["phone"][0].code == "invalid"
    page = response.content.decode()
    assert "jauns@example.lv" in page and "Mana piezīme" in page


def test_only_one_request_waits_at_a_time(cast):
    # REG-3
    change_request_submit(actor=cast.mentor_user, mentor=cast.mentor, phone="+371 2111 2222")
    with pytest.raises(ValidationError) as error:
        change_request_submit(actor=cast.mentor_user, mentor=cast.mentor, phone="+371 2111 3333")
    assert error.value.code == "REG-3"
    assert ChangeRequest.objects.get().phone == "+371 2111 2222"


def test_staff_apply_a_change_and_the_decision_is_recorded(cast, client_for):
    # REG-3: contact data and municipalities change through the regional coordinator.
    request = change_request_submit(
        actor=cast.mentor_user,
        mentor=cast.mentor,
        email="Anna.Jauna@example.lv",
        phone="+371 2999 1111",
        municipalities=[municipality("Ķekavas novads")],
    )
    response = client_for(cast.staff).post(
        f"/mentori/izmainu-pieprasijumi/{request.pk}/", {"decision": "apply", "decision_note": ""}
    )
    assert response.status_code == 302
    cast.mentor.refresh_from_db()
    assert cast.mentor.phone == "+371 2999 1111"
    assert cast.mentor.email == "anna.jauna@example.lv"
    assert list(cast.mentor.municipalities.all()) == [municipality("Ķekavas novads")]
    cast.mentor_user.refresh_from_db()
    assert cast.mentor_user.email == "anna.jauna@example.lv"  # they log in with the new email
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.APPLIED
    assert request.decided_by == cast.staff and request.decided_at is not None
    # History names who changed the registry entry.
    assert cast.mentor.history.first().history_user == cast.staff


def test_staff_reject_a_change_with_a_reason_the_mentor_sees(cast, client_for):
    # REG-3
    request = change_request_submit(actor=cast.mentor_user, mentor=cast.mentor, region=cast.vidzeme)
    staff = client_for(cast.staff)
    no_reason = staff.post(
        f"/mentori/izmainu-pieprasijumi/{request.pk}/", {"decision": "reject", "decision_note": ""}
    )
    assert no_reason.status_code == 200
    assert "decision_note" in no_reason.context["form"].errors
    assert no_reason.context["form"].errors.as_data()["decision_note"][0].code == "REG-3"
    staff.post(
        f"/mentori/izmainu-pieprasijumi/{request.pk}/",
        {
            "decision": "reject",
            "decision_note": "Lūdzu vispirms sazinieties ar Vidzemes koordinatoru.",
        },
    )
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.REJECTED
    cast.mentor.refresh_from_db()
    assert cast.mentor.region == cast.riga
    page = client_for(cast.mentor_user).get("/mentori/mans-ieraksts/").content.decode()
    assert "Lūdzu vispirms sazinieties ar Vidzemes koordinatoru." in page


def test_a_decided_request_cannot_be_decided_again(cast, client_for):
    # REG-3: a second click changes nothing and says so.
    request = change_request_submit(
        actor=cast.mentor_user, mentor=cast.mentor, phone="+371 2999 1111"
    )
    staff = client_for(cast.staff)
    staff.post(f"/mentori/izmainu-pieprasijumi/{request.pk}/", {"decision": "apply"})
    again = staff.post(
        f"/mentori/izmainu-pieprasijumi/{request.pk}/", {"decision": "reject", "decision_note": "x"}
    )
    assert again.status_code == 200
    assert again.context["form"].errors.as_data()["__all__"][0].code == "REG-3"
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.APPLIED


def test_staff_of_another_region_cannot_decide(cast, client_for):
    # REG-3: each region's coordinator decides for their mentors.
    request = change_request_submit(
        actor=cast.mentor_user, mentor=cast.mentor, phone="+371 2999 1111"
    )
    response = client_for(cast.other_staff).post(
        f"/mentori/izmainu-pieprasijumi/{request.pk}/", {"decision": "apply"}
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == ChangeRequest.Status.PENDING


def test_mentor_hides_from_the_search_and_comes_back(cast, client_for):
    # REG-3
    mentor_client, preparer = client_for(cast.mentor_user), client_for(cast.preparer)
    mentor_client.post("/mentori/mans-ieraksts/redzamiba/", {"hidden": "1"})
    cast.mentor.refresh_from_db()
    assert cast.mentor.hidden_from_search
    assert cast.mentor not in preparer.get("/mentori/").context["page"].object_list
    assert cast.mentor.history.first().history_user == cast.mentor_user
    mentor_client.post("/mentori/mans-ieraksts/redzamiba/", {"hidden": "0"})
    assert cast.mentor in preparer.get("/mentori/").context["page"].object_list


def test_staff_manage_the_registry_in_the_admin_limited_to_their_region(cast, client_for):
    listing = client_for(cast.other_staff).get("/admin/mentors/mentor/").content.decode()
    assert cast.second_mentor.email in listing
    assert f">{cast.mentor.email}<" not in listing
    admin_listing = client_for(cast.admin).get("/admin/mentors/mentor/").content.decode()
    assert cast.mentor.email in admin_listing and cast.second_mentor.email in admin_listing


def test_registry_history_is_visible_in_the_admin(cast, client_for):
    cast.mentor.phone = "+371 2444 4444"
    cast.mentor.save()
    page = client_for(cast.admin).get(f"/admin/mentors/mentor/{cast.mentor.pk}/history/")
    assert page.status_code == 200
    assert region("riga").name  # reference data loaded


def test_the_admin_lists_mentors_in_latvian_order_too(cast, client_for):
    for last_name in ("Ābele", "Zariņš"):
        MentorFactory(last_name=last_name, first_name="Test")
    response = client_for(cast.admin).get("/admin/mentors/mentor/")
    names = [m.last_name for m in response.context["cl"].result_list]
    assert names == ["Ābele", "Bērziņa", "Čaklais", "Zariņš"]

from skola_kopiena.accounts.models import AccessLog, Role, RoleMembership, User
from tests.factories import PASSWORD, UserFactory, give_role, give_totp


def test_a_user_with_several_roles_picks_which_one_to_act_as(cast, client_for):
    give_role(cast.preparer, Role.APPROVER, institution=cast.school)
    client = client_for(cast.preparer)
    assert client.get("/").context["acting"].role == Role.PREPARER
    approver = cast.preparer.memberships.get(role=Role.APPROVER)
    response = client.post("/loma/", {"membership": approver.pk, "next": "/mentori/"})
    assert response.status_code == 302 and response["Location"] == "/mentori/"
    assert client.get("/").context["acting"].role == Role.APPROVER


def test_nobody_can_act_in_a_role_of_someone_else(cast, client_for):
    foreign = cast.staff.memberships.get()
    response = client_for(cast.preparer).post("/loma/", {"membership": foreign.pk})
    assert response.status_code == 403


def test_a_role_switch_never_redirects_off_the_site(cast, client_for):
    membership = cast.preparer.memberships.get()
    response = client_for(cast.preparer).post(
        "/loma/", {"membership": membership.pk, "next": "https://example.com/"}
    )
    assert response["Location"] == "/"


def test_a_revoked_role_takes_effect_on_the_next_request(cast, client_for):
    client = client_for(cast.preparer)
    assert client.get("/mentori/").status_code == 200
    membership = cast.preparer.memberships.get()
    membership.is_active = False
    membership.save()
    assert client.get("/mentori/").status_code == 403


def test_a_user_without_a_role_sees_nothing_but_an_explanation(cast, client_for):
    # ACC: deny by default.
    client = client_for(cast.outsider)
    page = client.get("/")
    assert page.status_code == 200
    assert page.context["acting"].role is None
    assert client.get("/mentori/").status_code == 403


def test_scope_must_match_the_role(db):
    user = UserFactory()
    membership = RoleMembership(user=user, role=Role.PREPARER)
    from django.core.exceptions import ValidationError

    try:
        membership.full_clean()
    except ValidationError:
        pass
    else:
        raise AssertionError("a preparer without an institution must be refused")


def test_history_records_who_changed_a_role(cast, client_for):
    membership = cast.preparer.memberships.get()
    client = client_for(cast.admin)
    response = client.post(
        f"/admin/accounts/user/{cast.preparer.pk}/change/",
        {
            "email": cast.preparer.email,
            "first_name": "Ieva",
            "last_name": "Jaunā",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": membership.pk,
            "memberships-0-user": cast.preparer.pk,
            "memberships-0-role": "approver",
            "memberships-0-institution": cast.school.pk,
            "memberships-0-is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert membership.role == Role.APPROVER
    assert membership.history.first().history_user == cast.admin


def test_staff_read_the_access_log_only_through_the_admin_and_cannot_edit_it(cast, client_for):
    # ACC-1, ACC-2: reads and downloads are logged in a log the application only appends to.
    AccessLog.objects.create(
        user=cast.staff, role="staff", action="download", object_type="x", object_id="1"
    )
    client = client_for(cast.admin)
    assert client.get("/admin/accounts/accesslog/").status_code == 200
    log = AccessLog.objects.get()
    assert (
        client.post(f"/admin/accounts/accesslog/{log.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AccessLog.objects.count() == 1


def _user_form(user, membership, role):
    return {
        "email": user.email,
        "first_name": "Ieva",
        "last_name": "Jaunā",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-user": user.pk,
        "memberships-0-role": role,
        "memberships-0-is_active": "on",
    }


NEW_ACCOUNT = {
    "email": "jauna.skolotaja@example.lv",
    "first_name": "Jana",
    "last_name": "Skolotāja",
    "password1": "Drosa-parole-2026",
    "password2": "Drosa-parole-2026",
    "memberships-TOTAL_FORMS": "1",
    "memberships-INITIAL_FORMS": "0",
    "memberships-0-role": "preparer",
    "memberships-0-is_active": "on",
}


def test_only_administrators_create_accounts_and_give_roles(cast, client_for):
    form = NEW_ACCOUNT | {"memberships-0-institution": cast.school.pk}
    refused = client_for(cast.staff).post("/admin/accounts/user/add/", form)
    assert refused.status_code == 403
    assert not User.objects.filter(email="jauna.skolotaja@example.lv").exists()

    response = client_for(cast.admin).post("/admin/accounts/user/add/", form)
    assert response.status_code == 302
    created = User.objects.get(email="jauna.skolotaja@example.lv")
    assert created.memberships.get().institution == cast.school


def test_project_staff_change_no_account_and_give_no_role(cast, client_for):
    client = client_for(cast.staff)
    mentor_membership = cast.mentor_user.memberships.get()
    refused = client.post(
        f"/admin/accounts/user/{cast.mentor_user.pk}/change/",
        _user_form(cast.mentor_user, mentor_membership, "staff"),
    )
    assert refused.status_code == 403
    password = client.post(
        f"/admin/accounts/user/{cast.mentor_user.pk}/password/",
        {"password1": "Cita-parole-2026", "password2": "Cita-parole-2026"},
    )
    assert password.status_code == 403
    cast.mentor_user.refresh_from_db()
    mentor_membership.refresh_from_db()
    assert mentor_membership.role == Role.MENTOR
    assert cast.mentor_user.check_password(PASSWORD)
    # Their own account is no way up either.
    own = cast.staff.memberships.get()
    refused = client.post(
        f"/admin/accounts/user/{cast.staff.pk}/change/",
        _user_form(cast.staff, own, "admin") | {"memberships-0-region": ""},
    )
    assert refused.status_code == 403
    own.refresh_from_db()
    assert own.role == Role.STAFF and own.region == cast.riga


def test_an_administrators_account_is_outside_a_regional_coordinators_reach(cast, client_for):
    membership = cast.admin.memberships.get()
    response = client_for(cast.staff).post(
        f"/admin/accounts/user/{cast.admin.pk}/change/", _user_form(cast.admin, membership, "admin")
    )
    assert response.status_code == 404
    cast.admin.refresh_from_db()
    assert cast.admin.last_name != "Jaunā"


def test_an_administrator_without_superuser_rights_makes_no_superuser(cast, client_for):
    membership = cast.mentor_user.memberships.get()
    response = client_for(cast.admin).post(
        f"/admin/accounts/user/{cast.mentor_user.pk}/change/",
        _user_form(cast.mentor_user, membership, "mentor")
        | {"is_superuser": "on", "is_staff": "on"},
    )
    assert response.status_code == 302
    cast.mentor_user.refresh_from_db()
    assert not cast.mentor_user.is_superuser and not cast.mentor_user.is_staff
    assert cast.mentor_user.last_name == "Jaunā"


def test_refusals_are_explained_in_latvian_with_a_way_back(cast, client_for):
    forbidden = client_for(cast.mentor_user).get("/mentori/")
    assert forbidden.status_code == 403
    assert forbidden.templates[0].name == "403.html"
    missing = client_for(cast.preparer).get("/mentori/999999/")
    assert missing.status_code == 404
    assert missing.templates[0].name == "404.html"
    for response in (forbidden, missing):
        page = response.content.decode()
        assert 'lang="lv"' in page and 'href="/"' in page


def test_national_staff_are_labelled_in_latvian(db):
    user = UserFactory()
    membership = give_role(user, Role.STAFF)
    assert str(membership) == "projekta darbinieks (visa valsts)"


def test_a_superuser_without_a_role_row_acts_as_administrator_behind_a_second_factor(
    db, client_for
):
    superuser = UserFactory(email="saknes@example.lv", is_superuser=True)
    client = client_for(superuser)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]
    give_totp(superuser)
    assert client.get("/admin/accounts/user/add/").status_code == 200

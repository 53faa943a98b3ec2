import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS
from django.test import Client, override_settings

from skola_kopiena.accounts.models import Role, User
from tests.conftest import TODAY
from tests.factories import PASSWORD, UserFactory, give_role, give_totp


def login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_anonymous_visitors_see_only_the_latvian_login_page(db):
    client = Client()
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    page = response.content.decode()
    assert 'lang="lv"' in page
    assert "Parole" in page  # the field labels are Latvian
    assert "/accounts/signup/" not in page  # no invitation to sign up


def test_a_user_logs_in_by_email_and_password_and_lands_on_the_dashboard(cast):
    client = Client()
    response = login(client, "SAGATAVOTAJS@example.lv")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def lock_out(client, email):
    """Five wrong passwords in a row: the lockout threshold of one account at one address."""
    for _ in range(5):
        response = login(client, email, "nepareiza-parole")
        assert response.context["form"].has_error(NON_FIELD_ERRORS, "email_password_mismatch")


def test_five_wrong_passwords_lock_the_account_at_that_address_for_15_minutes(cast):
    client = Client(REMOTE_ADDR="10.1.1.1")
    with time_machine.travel(TODAY) as clock:
        lock_out(client, cast.preparer.email)
        clock.shift(datetime.timedelta(minutes=14))
        # Even the right password is refused: guessing stops here, however the email is typed.
        response = login(client, cast.preparer.email.upper())
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        form = response.context["form"]
        assert form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts")
        assert "15" in form.non_field_errors()[0]  # says when to try again
        assert 'href="/accounts/password/reset/"' in response.content.decode()
        clock.shift(datetime.timedelta(minutes=1))
        response = login(client, cast.preparer.email)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_one_persons_wrong_passwords_do_not_lock_out_a_colleague_behind_the_same_router(cast):
    lock_out(Client(REMOTE_ADDR="10.1.1.1"), cast.preparer.email)
    colleague = Client(REMOTE_ADDR="10.1.1.1")
    response = login(colleague, cast.approver.email)
    assert response.status_code == 302 and "_auth_user_id" in colleague.session


def test_an_account_locked_at_one_address_still_logs_in_from_another(cast):
    lock_out(Client(REMOTE_ADDR="10.1.1.1"), cast.preparer.email)
    elsewhere = Client(REMOTE_ADDR="10.2.2.2")
    response = login(elsewhere, cast.preparer.email)
    assert response.status_code == 302 and "_auth_user_id" in elsewhere.session


def test_a_hundred_failures_from_one_address_in_15_minutes_stop_all_logins_from_it(cast):
    client = Client(REMOTE_ADDR="10.1.1.1")
    with time_machine.travel(TODAY) as clock:
        for attempt in range(99):
            if attempt % 25 == 0:
                clock.shift(datetime.timedelta(minutes=1))  # stay under 30 logins a minute
            login(client, f"minejums{attempt // 5}@example.lv", "nepareiza-parole")
        colleague = Client(REMOTE_ADDR="10.1.1.1")
        assert login(colleague, cast.approver.email).status_code == 302
        login(client, "vel.viens@example.lv", "nepareiza-parole")
        response = login(Client(REMOTE_ADDR="10.1.1.1"), cast.preparer.email)
        assert response.context["form"].has_error(NON_FIELD_ERRORS, "too_many_login_attempts")
        assert login(Client(REMOTE_ADDR="10.2.2.2"), cast.preparer.email).status_code == 302


def test_a_locked_out_persons_retries_do_not_use_up_the_allowance_of_their_address(cast):
    client = Client(REMOTE_ADDR="10.1.1.1")
    with time_machine.travel(TODAY) as clock:
        lock_out(client, cast.preparer.email)
        for attempt in range(100):
            if attempt % 25 == 0:
                clock.shift(datetime.timedelta(minutes=1))
            login(client, cast.preparer.email, "nepareiza-parole")
        colleague = Client(REMOTE_ADDR="10.1.1.1")
        assert login(colleague, cast.approver.email).status_code == 302


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_trusted_proxy_each_client_address_is_counted_separately(cast):
    def behind_proxy(client_address):
        return Client(REMOTE_ADDR="172.18.0.1", HTTP_X_FORWARDED_FOR=client_address)

    lock_out(behind_proxy("203.0.113.5"), cast.preparer.email)
    elsewhere = behind_proxy("203.0.113.6")
    response = login(elsewhere, cast.preparer.email)
    assert response.status_code == 302 and "_auth_user_id" in elsewhere.session


def test_without_a_trusted_proxy_a_forged_forwarded_address_is_ignored(cast):
    lock_out(Client(REMOTE_ADDR="10.1.1.1"), cast.preparer.email)
    forger = Client(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    response = login(forger, cast.preparer.email)
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "too_many_login_attempts")


def test_too_many_requests_get_the_portals_page_with_a_link_to_the_password_reset(cast):
    client = Client()
    for _ in range(3):
        client.post("/accounts/password/reset/", {"email": cast.preparer.email})
    response = client.post("/accounts/password/reset/", {"email": cast.preparer.email})
    assert response.status_code == 429
    assert "429.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert 'lang="lv"' in page
    assert 'href="/accounts/password/reset/"' in page


def test_there_is_no_public_sign_up(db):
    client = Client()
    client.post(
        "/accounts/signup/",
        {
            "email": "jauns@example.lv",
            "password1": "Garaparole-2026",
            "password2": "Garaparole-2026",
        },
    )
    assert not User.objects.filter(email="jauns@example.lv").exists()


def test_a_forgotten_password_is_reset_by_email(cast):
    response = Client().post("/accounts/password/reset/", {"email": cast.preparer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.preparer.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_setting_a_new_password_lifts_the_lockout_at_that_address(cast):
    # The lockout message sends the person to "Forgot your password?": once they have set a
    # new one, it logs them in from the same address at once, not after the 15 minutes.
    client = Client(REMOTE_ADDR="10.1.1.1")
    with time_machine.travel(TODAY, tick=False):
        lock_out(client, cast.preparer.email)
        client.post("/accounts/password/reset/", {"email": cast.preparer.email})
        link = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[0].body).group()
        form_page = client.get(link, follow=True).redirect_chain[-1][0]
        new_password = "jauna-parole-2026"
        done = client.post(form_page, {"password1": new_password, "password2": new_password})
        assert done.status_code == 302
        client.logout()
        response = login(client, cast.preparer.email, new_password)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_logging_out_ends_the_session(cast, client_for):
    client = client_for(cast.preparer)
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_staff_without_a_second_factor_must_set_one_up_first(db):
    staff = UserFactory()
    give_role(staff, Role.STAFF)
    client = Client()
    login(client, staff.email)
    response = client.get("/mentori/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # Setting up the factor asks for the password once more (allauth's reauthentication).
    reauthenticate = client.get("/accounts/2fa/totp/activate/")
    assert reauthenticate["Location"].startswith("/accounts/reauthenticate/")
    client.post(reauthenticate["Location"], {"password": PASSWORD})
    activation = client.get("/accounts/2fa/totp/activate/")
    assert activation.status_code == 200
    assert activation.context["form"].secret  # the key to scan into the authenticator app
    give_totp(staff)
    assert client.get("/mentori/").status_code == 200


def test_mentors_and_school_staff_need_no_second_factor(cast, client_for):
    assert client_for(cast.preparer).get("/mentori/").status_code == 200
    assert client_for(cast.mentor_user).get("/mentori/mans-ieraksts/").status_code == 200


@override_settings(REQUIRE_STAFF_MFA=False)
def test_the_second_factor_requirement_can_be_switched_off_for_the_demo(db):
    staff = UserFactory()
    give_role(staff, Role.STAFF)
    client = Client()
    client.force_login(staff)
    assert client.get("/mentori/").status_code == 200


def test_staff_with_totp_log_in_with_a_code_after_the_password(cast):
    response = login(Client(), cast.staff.email)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")


def test_the_admin_logs_in_through_the_same_protected_login(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["preparer", "approver", "mentor_user", "auditor"])
def test_roles_without_the_admin_are_told_so_not_sent_round_in_a_loop(cast, client_for, role):
    response = client_for(getattr(cast, role)).get("/admin/", follow=True)
    assert response.status_code == 403
    assert [url for url, _status in response.redirect_chain] == ["/admin/login/?next=/admin/"]
    assert "403.html" in [template.name for template in response.templates]


def test_the_portal_speaks_latvian_even_to_an_english_browser_until_english_is_chosen(
    cast, client_for
):
    client = client_for(cast.preparer)
    page = client.get("/mentori/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="lv"' in page.content.decode()
    client.post("/valoda/", {"language": "en", "next": "/mentori/"})
    assert 'lang="en"' in client.get("/mentori/").content.decode()


def test_a_mentor_imported_without_a_password_sets_one_through_the_reset_email(cast):
    from mentors.services import mentor_account_ensure
    from tests.factories import MentorFactory

    mentor = MentorFactory(email="jauns.mentors@example.lv", user=None)
    user = mentor_account_ensure(actor=cast.staff, mentor=mentor)
    assert not user.has_usable_password()
    Client().post("/accounts/password/reset/", {"email": "jauns.mentors@example.lv"})
    assert [m.to for m in mail.outbox] == [["jauns.mentors@example.lv"]]


def test_the_login_email_is_changed_only_through_the_registry_not_by_the_user(cast, client_for):
    # REG-3: a mentor's email changes through the regional coordinator.
    response = client_for(cast.mentor_user).get("/accounts/email/")
    assert response.status_code == 404


def test_a_forms_address_opened_as_a_page_says_so_in_latvian(cast, client_for):
    # The login's way back after a session ended on a form leads to a GET of its address.
    response = client_for(cast.preparer).get("/loma/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    page = response.content.decode()
    assert "Šī adrese ir veidlapai" in page and 'href="/"' in page

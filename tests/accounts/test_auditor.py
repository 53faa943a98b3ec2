"""The auditor (the roles table): reads what project staff of their region, or of the whole
country, see, or only the plans staff grant them one by one until an end date; changes
nothing; every read is in the access log (ACC-1)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from iap import services
from iap.models import AuditGrant
from skola_kopiena.accounts.models import AccessLog, Role, RoleMembership
from skola_kopiena.accounts.permissions import access_log_for, acting_for
from tests.factories import UserFactory, give_role, give_totp, school_plan
from tests.overview.test_records import _plan_with_a_month, _zip
from timesheets.models import MonthVerification

D = datetime.date
RIGA = ZoneInfo("Europe/Riga")


END_OF_NOVEMBER = D(2026, 11, 30)


def _grant(cast, plan, until=END_OF_NOVEMBER):
    return services.audit_grant_give(
        actor=cast.staff, plan=plan, auditor=cast.sample_auditor, until=until
    )


def test_every_page_an_auditor_opens_is_in_the_access_log_of_their_region(cast, client_for):
    """ACC-1"""
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    client_for(cast.auditor).get(f"/iap/{plan.pk}/")
    client_for(cast.auditor).get("/parskats/")
    read = AccessLog.objects.filter(user=cast.auditor, action=AccessLog.Action.AUDIT_READ)
    assert list(read.order_by("at").values_list("object_repr", "role", "region")) == [
        (f"/iap/{plan.pk}/", Role.AUDITOR, cast.riga.pk),
        ("/parskats/", Role.AUDITOR, cast.riga.pk),
    ]
    # Rīga's staff see what Rīga's auditor read; Vidzeme's do not.
    assert access_log_for(acting_for(cast.staff)).filter(user=cast.auditor).count() == 2
    assert not access_log_for(acting_for(cast.other_staff)).filter(user=cast.auditor).exists()


def test_an_auditor_reads_the_whole_diary_and_the_read_is_logged(cast, client_for):
    """ACC-1, DIA-6: the auditor sees the diary as staff do, place and result included."""
    plan = _plan_with_a_month(cast)
    page = client_for(cast.auditor).get(f"/dienasgramata/{plan.pk}/2026-10/")
    assert page.status_code == 200
    assert "IERAKSTA-VIETA-8812" in page.content.decode()
    logged = AccessLog.objects.get(user=cast.auditor, action=AccessLog.Action.READ_DIARY)
    assert (logged.plan_pk, logged.role, logged.month) == (plan.pk, Role.AUDITOR, D(2026, 10, 1))


def test_a_refused_write_is_not_logged_as_a_read(cast, client_for):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    assert client_for(cast.auditor).get(f"/iap/{plan.pk}/labot/").status_code == 403
    assert not AccessLog.objects.filter(user=cast.auditor).exists()


def test_the_auditor_sees_the_hours_check_but_records_nothing(cast, client_for):
    """APR-4: staff verify; the auditor reads the month and what was found."""
    plan = _plan_with_a_month(cast)
    month = plan.diary_months.get()
    client = client_for(cast.auditor)
    page = client.get(f"/parbaude/{month.pk}/").content.decode()
    assert "IERAKSTA-VIETA-8812" in page
    assert 'name="outcome"' not in page
    refused = client.post(f"/parbaude/{month.pk}/", {"outcome": "verified"})
    assert refused.status_code == 403
    assert not MonthVerification.objects.exists()


def test_a_regional_auditor_downloads_a_learners_complete_record(cast, client_for):
    plan = _plan_with_a_month(cast)
    url = f"/izglitojamie/{plan.learner.pk}/pilns-ieraksts/"
    archive = _zip(client_for(cast.auditor).post(url))
    assert "dienasgramata.csv" in archive.namelist()
    logged = AccessLog.objects.get(action=AccessLog.Action.RECORD_EXPORT)
    assert (logged.user, logged.role) == (cast.auditor, Role.AUDITOR)
    # The auditor of granted plans reads those plans, not a person's whole record.
    _grant(cast, plan)
    assert client_for(cast.sample_auditor).post(url).status_code == 403


def test_a_national_auditor_reads_every_region(cast, client_for):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    national = UserFactory(email="vadosa.iestade@example.lv")
    give_role(national, Role.AUDITOR)
    give_totp(national)
    acting = acting_for(national)
    assert acting.is_national and acting.oversees
    assert client_for(national).get(f"/iap/{plan.pk}/").status_code == 200
    assert client_for(national).get("/parskats/").status_code == 200
    assert "Vidzeme" in client_for(national).get("/parskats/").content.decode()


def test_an_auditor_without_a_second_factor_sets_one_up_first(cast, client_for):
    auditor = UserFactory(email="jauns.revidents@example.lv")
    give_role(auditor, Role.AUDITOR, region=cast.riga)
    response = client_for(auditor).get("/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate" in response["Location"]


def test_an_auditor_has_no_way_into_the_django_admin(cast, client_for):
    response = client_for(cast.auditor).get("/admin/iap/plan/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_only_an_auditor_without_a_region_reads_granted_plans_only(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleMembership.objects.create(
            user=cast.outsider, role=Role.AUDITOR, region=cast.riga, sample_only=True
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleMembership.objects.create(user=cast.outsider, role=Role.STAFF, sample_only=True)


# --- Plans granted one by one (django-guardian), until an end date ----------------------


def test_staff_grant_a_plan_to_an_auditor_who_then_reads_it_and_nothing_else(cast, client_for):
    plan = _plan_with_a_month(cast)
    other = school_plan(cast, "Otra", to="approved")
    auditor = client_for(cast.sample_auditor)
    assert auditor.get(f"/iap/{plan.pk}/").status_code == 404
    response = client_for(cast.staff).post(
        f"/iap/{plan.pk}/revidenti/",
        {"auditor": cast.sample_auditor.pk, "until": "2026-12-15"},
    )
    assert response.status_code == 302
    grant = AuditGrant.objects.get()
    # django-guardian's per-object permission, with its end date and who gave it.
    assert (grant.user, grant.content_object, grant.permission.codename) == (
        cast.sample_auditor,
        plan,
        "audit_plan",
    )
    assert (grant.until, grant.granted_by) == (D(2026, 12, 15), cast.staff)
    assert auditor.get(f"/iap/{plan.pk}/").status_code == 200
    assert auditor.get(f"/dienasgramata/{plan.pk}/2026-10/").status_code == 200
    assert auditor.get(f"/izglitojamie/{plan.learner.pk}/").status_code == 200
    month = plan.diary_months.get()
    assert auditor.get(f"/faili/diary/diarymonth/{month.pk}/timesheet_scan/").status_code == 200
    assert auditor.get(f"/iap/{other.pk}/").status_code == 404
    assert auditor.get("/parskats/").status_code == 403
    home = auditor.get("/").content.decode()
    assert f'href="/iap/{plan.pk}/"' in home and "15.12.2026" in home


def test_a_granted_plan_lapses_after_its_end_date(cast, client_for):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    _grant(cast, plan, until=D(2026, 11, 30))
    with time_machine.travel(datetime.datetime(2026, 11, 30, 23, 50, tzinfo=RIGA), tick=False):
        assert client_for(cast.sample_auditor).get(f"/iap/{plan.pk}/").status_code == 200
    with time_machine.travel(datetime.datetime(2026, 12, 1, 0, 10, tzinfo=RIGA), tick=False):
        assert client_for(cast.sample_auditor).get(f"/iap/{plan.pk}/").status_code == 404
        page = client_for(cast.staff).get(f"/iap/{plan.pk}/revidenti/").content.decode()
        assert '<span class="tag">beigusies</span>' in page


def test_staff_end_a_grant_at_once_and_its_history_stays(cast, client_for):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    grant = _grant(cast, plan, until=D(2026, 12, 31))
    staff = client_for(cast.staff)
    assert staff.post(f"/iap/{plan.pk}/revidenti/{grant.pk}/beigt/").status_code == 302
    assert client_for(cast.sample_auditor).get(f"/iap/{plan.pk}/").status_code == 404
    grant.refresh_from_db()
    assert grant.until == D(2026, 11, 24)
    assert [h.until for h in grant.history.order_by("history_date")] == [
        D(2026, 12, 31),
        D(2026, 11, 24),
    ]
    assert grant.history.latest().history_user == cast.staff


def test_granting_a_plan_again_moves_its_end_date(cast):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    _grant(cast, plan, until=D(2026, 12, 1))
    _grant(cast, plan, until=D(2027, 1, 31))
    assert list(AuditGrant.objects.values_list("until", flat=True)) == [D(2027, 1, 31)]


@pytest.mark.parametrize(
    ("until", "code"),
    [(D(2026, 11, 24), "grant_past"), (D(2027, 11, 27), "grant_length")],
)
def test_a_grant_needs_an_end_date_from_today_to_a_year_ahead(cast, until, code):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    with pytest.raises(ValidationError) as exc:
        _grant(cast, plan, until=until)
    assert [e.code for e in exc.value.error_dict["until"]] == [code]


def test_only_auditors_are_granted_plans(cast):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    with pytest.raises(ValidationError) as exc:
        services.audit_grant_give(
            actor=cast.staff, plan=plan, auditor=cast.preparer, until=D(2026, 12, 1)
        )
    assert [e.code for e in exc.value.error_dict["auditor"]] == ["not_auditor"]


def test_a_past_end_date_is_refused_in_latvian_beside_the_field(cast, client_for):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    page = client_for(cast.staff).post(
        f"/iap/{plan.pk}/revidenti/",
        {"auditor": cast.sample_auditor.pk, "until": "2026-11-01"},
    )
    assert page.status_code == 200
    assert "Beigu datums nevar būt pagātnē." in page.content.decode()
    assert not AuditGrant.objects.exists()


def test_staff_of_another_region_do_not_see_the_plans_grants(cast, client_for):
    plan = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    grant = _grant(cast, plan)
    other = client_for(cast.other_staff)
    assert other.get(f"/iap/{plan.pk}/revidenti/").status_code == 404
    assert other.post(f"/iap/{plan.pk}/revidenti/{grant.pk}/beigt/").status_code == 404
    grant.refresh_from_db()
    assert grant.until == D(2026, 11, 30)


def test_an_auditor_of_another_region_finds_nothing_of_rigas(cast, client_for):
    """Another region's objects answer 404 to the auditor, as to its staff."""
    plan = _plan_with_a_month(cast)
    month = plan.diary_months.get()
    vidzeme = UserFactory(email="vidzemes.revidents@example.lv")
    give_role(vidzeme, Role.AUDITOR, region=cast.vidzeme)
    give_totp(vidzeme)
    client = client_for(vidzeme)
    for url in (
        f"/iap/{plan.pk}/",
        f"/dienasgramata/{plan.pk}/2026-10/",
        f"/izglitojamie/{plan.learner.pk}/",
        f"/mentori/{cast.mentor.pk}/",
        f"/parbaude/{month.pk}/",
        f"/faili/diary/diarymonth/{month.pk}/timesheet_scan/",
        f"/darba-samaksa/iestade/{cast.school.pk}/2026-10/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/izglitojamie/{plan.learner.pk}/pilns-ieraksts/").status_code == 404
    # Its own region's overview, without Rīga's plan.
    overview = client.get("/parskats/")
    assert overview.status_code == 200
    assert [region.pk for region in overview.context["regions"]] == [cast.vidzeme.pk]


def test_a_plan_granted_beyond_the_auditors_region_opens_that_plan_not_the_whole_record(
    cast, client_for
):
    from tests.factories import make_learner, make_plan

    vidzeme_plan = make_plan(
        cast.other_preparer, make_learner(cast.other_preparer, cast.other_school)
    )
    services.audit_grant_give(
        actor=cast.other_staff, plan=vidzeme_plan, auditor=cast.auditor, until=D(2026, 12, 31)
    )
    auditor = client_for(cast.auditor)
    assert auditor.get(f"/iap/{vidzeme_plan.pk}/").status_code == 200
    record = f"/izglitojamie/{vidzeme_plan.learner_id}/pilns-ieraksts/"
    assert auditor.post(record).status_code == 404
    assert client_for(cast.other_staff).post(record).status_code == 200


def test_the_learners_page_lists_only_the_plans_the_auditor_was_granted(cast, client_for):
    from tests.factories import make_plan, semester

    granted = school_plan(cast, "Annija", to="approved", mentor=cast.mentor)
    make_plan(cast.preparer, granted.learner, on_semester=semester("2026/2027", 2))
    _grant(cast, granted)
    page = client_for(cast.sample_auditor).get(f"/izglitojamie/{granted.learner_id}/")
    assert [plan.pk for plan in page.context["plans"]] == [granted.pk]
    assert page.context["can_export_record"] is False
    assert (
        client_for(cast.staff)
        .get(f"/izglitojamie/{granted.learner_id}/")
        .context["can_export_record"]
    )


def test_the_hours_check_offers_the_employers_of_the_plans_granted_elsewhere(cast, client_for):
    # Their months are in the auditor's list: the employer filter names them too.
    from tests.factories import advance_plan, make_learner, make_plan

    vidzeme_plan = advance_plan(
        make_plan(cast.other_preparer, make_learner(cast.other_preparer, cast.other_school)),
        preparer=cast.other_preparer,
        mentor=cast.second_mentor,
        to="ready",
    )
    services.audit_grant_give(
        actor=cast.other_staff, plan=vidzeme_plan, auditor=cast.auditor, until=D(2026, 12, 31)
    )

    def employers(user):
        form = client_for(user).get("/parbaude/").context["form"]
        return {pk for pk, _name in form.fields["darba_devejs"].choices if pk}

    assert cast.other_school.pk in employers(cast.auditor)
    assert cast.school.pk in employers(cast.auditor)
    assert cast.other_school.pk not in employers(cast.staff)
